"""`pitboard import results FILE`: the generic format a track official fills in."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, Pitboard, dump_tables

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


def test_documented_example_imports(pitboard: Pitboard) -> None:
    report = pitboard.json("import", "results", str(EXAMPLE))
    assert report["files"][0]["inserted"] == 9
    quill = pitboard.json("driver", "Avery Quill")
    assert quill["rows"] == [
        {
            "series": "thunder-stock",
            "season": None,
            "track": None,
            "starts": 2,
            "wins": 1,
            "top5": 2,
            "top10": 2,
            "poles": 1,
            "laps": 90,
            "laps_led": 49,
            "avg_start": 2.0,
            "avg_finish": 1.5,
            "best_finish": 1,
            "dnf": 0,
            "points": 87,
        }
    ]
    # Car numbers are text: Quill's 08 and Marsh's 8 are different cars.
    assert pitboard.stats()["drivers"] == 6


def test_reimport_changes_nothing(pitboard: Pitboard) -> None:
    pitboard.json("import", "results", str(EXAMPLE))
    before = dump_tables(pitboard.database)
    report = pitboard.json("import", "results", str(EXAMPLE))
    assert report["changed"] is False
    assert dump_tables(pitboard.database) == before


def test_blank_status_means_running_and_no_finish_means_did_not_start(pitboard: Pitboard) -> None:
    pitboard.json("import", "results", str(EXAMPLE))
    stroud = pitboard.json("driver", "Riley Stroud")["total"]
    assert stroud["dnf"] == 0
    okafor = pitboard.json("driver", "Sam Okafor")["total"]
    assert okafor["starts"] == 0


def test_json_file(pitboard: Pitboard, tmp_path: Path) -> None:
    rows = [
        {
            "series": "valley-late-models",
            "season": 2024,
            "round": 1,
            "track": "Millbrook Dirt Oval",
            "surface": "dirt",
            "driver": "Tess Alder",
            "car": "7",
            "start": 2,
            "finish": 1,
            "laps": 30,
            "status": "running",
            "points": 50,
        },
        {
            "series": "valley-late-models",
            "season": 2024,
            "round": 1,
            "track": "Millbrook Dirt Oval",
            "surface": "dirt",
            "driver": "Quinn Barrow",
            "car": "77",
            "start": 1,
            "finish": 2,
            "laps": 30,
            "status": "running",
            "points": 48,
        },
    ]
    path = tmp_path / "night1.json"
    path.write_text(json.dumps({"results": rows}))
    assert pitboard.json("import", "results", str(path))["files"][0]["inserted"] == 2
    assert pitboard.json("driver", "Tess Alder")["total"]["wins"] == 1


def test_bad_rows_are_named_and_good_rows_kept(pitboard: Pitboard, tmp_path: Path) -> None:
    lines = EXAMPLE.read_text().splitlines()
    header = lines[0]
    bad = [
        lines[1].replace("thunder-stock,", "Thunder Stock!,", 1),  # not a slug
        lines[2].replace(",paved,", ",gravel,", 1),  # unknown surface
        lines[3].replace("2025-04-12", "12/04/2025", 1),  # not an ISO date
        *lines[4:],
    ]
    path = tmp_path / "night.csv"
    path.write_text("\n".join([header, *bad]) + "\n")
    done = pitboard.run("import", "results", str(path))
    assert done.returncode == 3
    assert "night.csv, line 2, column 'series': not a series slug" in done.stderr
    assert "night.csv, line 3, column 'surface': not one of dirt, paved, road" in done.stderr
    assert "night.csv, line 4, column 'date': not a date (YYYY-MM-DD) (value '12/04/2025')" in (
        done.stderr
    )
    assert pitboard.stats()["results"] == 6


def test_race_facts_must_agree(pitboard: Pitboard, tmp_path: Path) -> None:
    lines = EXAMPLE.read_text().splitlines()
    lines[2] = lines[2].replace("Lakeview Oval", "Hollow Creek Speedway")
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n")
    done = pitboard.run("import", "results", str(path))
    assert "mixed.csv, line 3, column 'track': disagrees with the first row of the same race" in (
        done.stderr
    )


def test_missing_file(pitboard: Pitboard, tmp_path: Path) -> None:
    done = pitboard.run("import", "results", str(tmp_path / "nope.csv"))
    assert done.returncode == 1
    assert f"nope.csv: file not found: {tmp_path / 'nope.csv'}" in done.stderr


def test_empty_file(pitboard: Pitboard, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    done = pitboard.run("import", "results", str(path))
    assert done.returncode == 1
    assert "empty.csv: the file is empty" in done.stderr
