"""Final standings against a published table: matching its names, naming what differs, and
refusing a table it cannot read (file, line and field named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pitboard.core.published import PublishedError, PublishedRow, compare, read_table
from tests.conftest import Pitboard


def row(position: int, driver: str, points: int) -> PublishedRow:
    return PublishedRow("valley", 2025, position, driver, points)


OURS = [(1, "Avery Quill Jr.", 120), (2, "A.J. Marsh", 110), (3, "Riley Stroud", 110)]


def test_a_published_table_matches_by_name_and_points() -> None:
    published = [row(1, "Avery Quill", 120), row(2, "AJ Marsh", 110), row(3, "Riley Stroud", 110)]
    assert compare(published, OURS) == []


def test_what_differs_is_named() -> None:
    published = [
        row(1, "Avery Quill Jr.", 95),
        row(2, "Riley Stroud", 110),
        row(3, "Casey Dunmore", 90),
    ]
    found = compare(published, OURS)
    assert [
        (d.position, d.name, d.ours_position, d.ours_points, d.ours_at_position) for d in found
    ] == [
        (1, "Avery Quill Jr.", 1, 120, None),  # other points
        (2, "Riley Stroud", 3, 110, "A.J. Marsh"),  # another order
        (3, "Casey Dunmore", None, None, "Riley Stroud"),  # not in the table at all
    ]


def test_a_row_without_points_checks_who_is_at_the_position(tmp_path: Path) -> None:
    """Some sources give only a place ("the No. 40 team finished eighth"): an empty points
    cell checks the competitor at that position, not the points."""
    path = tmp_path / "published.csv"
    path.write_text(
        "series,season,position,owner,points\n"
        "valley,2025,2,A.J. Marsh,\nvalley,2025,3,Avery Quill,\n"
    )
    rows = read_table(path)
    assert [r.points for r in rows] == [None, None]
    (wrong,) = compare(rows, OURS)
    assert (wrong.position, wrong.name, wrong.points, wrong.ours_position) == (
        3,
        "Avery Quill",
        None,
        1,
    )


def test_a_suffix_is_dropped_only_where_it_names_one_driver() -> None:
    ours = [(1, "Avery Quill Jr.", 120), (2, "Avery Quill Sr.", 100)]
    (different,) = compare([row(1, "Avery Quill", 120)], ours)
    assert different.ours_position is None  # father or son: not guessed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("series,season,position,driver\n", "line 1: no column 'points'"),
        (
            "series,season,position,driver,points\nvalley,2025,first,Avery Quill,120\n",
            "line 2, field 'position': 'first' is not a whole number",
        ),
        (
            "series,season,position,driver,points\n"
            "valley,2025,1,Avery Quill,120\nvalley,2025,2, ,9\n",
            "line 3, field 'driver': empty",
        ),
    ],
)
def test_an_unreadable_table_names_the_line_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "published.csv"
    path.write_text(text)
    with pytest.raises(PublishedError) as caught:
        read_table(path)
    assert str(caught.value) == f"{path}, {message}"


def test_the_cli_names_a_bad_file(pitboard: Pitboard, tmp_path: Path) -> None:
    path = tmp_path / "published.csv"
    path.write_text("series,season,position,driver,points\nvalley,2025,1,Avery Quill,lots\n")
    done = pitboard.run("points", "published", str(path))
    assert done.returncode == 1
    assert f"{path}, line 2, field 'points': 'lots' is not a whole number" in done.stderr
    missing = pitboard.run("points", "published", str(tmp_path / "nowhere.csv"))
    assert missing.returncode == 1 and "No such file or directory" in missing.stderr
