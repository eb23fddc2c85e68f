"""The whole of ../shared/data/nascar, imported for real: nothing lost, nothing doubled."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BACKEND, NASCAR, NASCAR_ROWS, Pitboard, need_nascar, query

pytestmark = pytest.mark.realdata


def test_every_row_is_kept(nascar_db: Pitboard) -> None:
    stats = nascar_db.stats()
    assert stats["results"] == NASCAR_ROWS
    assert stats["series"] == 3
    assert stats["races"] == 2786 + 1371 + 712
    assert stats["seasons"] == 76 + 43 + 30


def test_second_import_changes_nothing(nascar_db: Pitboard) -> None:
    before = nascar_db.stats()
    done = nascar_db.run("import", "nascar", "--source", str(NASCAR), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["changed"] is False
    assert sum(f["unchanged"] for f in report["files"]) == NASCAR_ROWS
    assert nascar_db.stats() == before


def test_entries_that_did_not_start_are_kept_as_such(nascar_db: Pitboard) -> None:
    rows = query(
        nascar_db.database,
        "SELECT status_class, COUNT(*) FROM records_result WHERE finish IS NULL GROUP BY 1",
    )
    assert rows == [("did_not_start", 4)]


def test_doubled_drivers_and_shared_positions_are_kept_and_reported(nascar_db: Pitboard) -> None:
    done = nascar_db.run("import", "nascar", "--source", str(NASCAR), "--format", "json")
    remarks = {
        (f["file"], r["reason"]): r["count"]
        for f in json.loads(done.stdout)["files"]
        for r in f["remarks"]
    }
    assert remarks[("cup.parquet", "driver listed twice in this race (both rows kept)")] == 2
    assert remarks[("nxs.parquet", "driver listed twice in this race (both rows kept)")] == 12
    assert remarks[("cup.parquet", "finishing position shared with another row (both kept)")] == 4
    assert remarks[("nxs.parquet", "no finishing position: kept as did not start")] == 4
    twice = query(
        nascar_db.database,
        "SELECT COUNT(*) FROM records_result WHERE entry = 2",
    )
    assert twice == [(7,)]


def test_series_carry_their_name_history(nascar_db: Pitboard) -> None:
    names = query(
        nascar_db.database,
        "SELECT s.slug, n.first_season, n.name, n.source_url FROM records_seriesname n "
        "JOIN records_series s ON s.id = n.series_id ORDER BY s.slug, n.first_season",
    )
    by_series = {}
    for slug, first, name, url in names:
        by_series.setdefault(slug, []).append((first, name))
        assert url.startswith("https://"), f"{name} has no source"
    assert (1949, "NASCAR Strictly Stock Division") in by_series["cup"]
    assert (2008, "NASCAR Nationwide Series") in by_series["nxs"]
    assert (1995, "NASCAR SuperTruck Series presented by Craftsman") in by_series["truck"]


def test_one_driver_per_person_across_series(nascar_db: Pitboard) -> None:
    grala = nascar_db.json("driver", "Kaz Grala")
    assert [row["series"] for row in grala["rows"]] == ["cup", "nxs", "truck"]


def test_ambiguous_name_lists_candidates(nascar_db: Pitboard) -> None:
    done = nascar_db.run("driver", "Johnny Benson", "--format", "json")
    assert done.returncode == 2  # a usage error: the name needs refining
    assert done.stderr.strip() == "pitboard: 'Johnny Benson' matches 2 drivers; be more precise"
    found = json.loads(done.stdout)["candidates"]
    # Namesakes told apart by their seasons and series (most starts first).
    assert [(c["name"], c["first_season"], c["last_season"], c["series"][0]) for c in found] == [
        ("Johnny Benson Jr.", 1993, 2010, "cup"),
        ("Johnny Benson Sr.", 1973, 1973, "cup"),
    ]
    shown = nascar_db.run("driver", "Johnny Benson")
    assert shown.returncode == 2
    assert "Johnny Benson Sr.  (prefix match, 1973 cup)" in shown.stderr


def test_lookup_ranks_exact_over_prefix_and_contains(nascar_db: Pitboard) -> None:
    # "Kyle Petty" is exact even though "Kyle Petty" is also contained in no other name.
    assert nascar_db.json("driver", "kyle petty")["driver"]["name"] == "Kyle Petty"
    # A unique prefix is taken; a misspelling is matched when one name is clearly closest.
    assert nascar_db.json("driver", "Danica")["driver"]["name"] == "Danica Patrick"
    assert nascar_db.json("driver", "Richrd Petty")["driver"]["name"] == "Richard Petty"
    done = nascar_db.run("driver", "Petty")
    assert done.returncode == 2 and "Lee Petty  (contains match, 1949–1964 cup)" in done.stderr
    assert nascar_db.run("driver", "Nobody Like This Name At All").returncode == 1


def test_teams_and_manufacturers_have_careers(nascar_db: Pitboard) -> None:
    team = nascar_db.json("team", "Hendrick Motorsports")
    assert team["team"]["name"] == "Hendrick Motorsports"
    assert team["total"]["wins"] > 300
    make = nascar_db.json("manufacturer", "Toyota", "--series", "truck")
    assert [row["series"] for row in make["rows"]] == ["truck"]
    assert make["total"]["wins"] == make["rows"][0]["wins"]


@pytest.mark.postgres
def test_full_import_into_postgresql(postgres_url: str, tmp_path) -> None:
    if BACKEND == "postgres":
        pytest.skip("the whole suite runs on PostgreSQL in this run")
    need_nascar()
    cli = Pitboard(postgres_url, tmp_path)
    cli.run("import", "nascar", "--source", str(NASCAR), check=True)
    first = cli.stats()
    assert first["results"] == NASCAR_ROWS
    again = cli.run("import", "nascar", "--source", str(NASCAR), "--format", "json")
    assert json.loads(again.stdout)["changed"] is False
    assert cli.stats() == first
    assert cli.json("driver", "Richard Petty")["total"]["wins"] == 200


def test_cli_tables_read_as_tables(nascar_db: Pitboard) -> None:
    """No Python structures in the text output, and no sum of points across seasons (each
    season's points are of its own system)."""
    check = nascar_db.run("points", "check", "--series", "cup", "--seasons", "1990-1990")
    assert check.returncode == 0 and "{" not in check.stdout + check.stderr
    assert "Differences by cause: penalty" in check.stdout
    assert "Mark Martin" in check.stdout and "134" in check.stdout
    career = nascar_db.run("driver", "Richard Petty", check=True).stdout
    assert "points" not in career and "1185" in career
    by_season = nascar_db.run("driver", "Richard Petty", "--by", "season", check=True).stdout
    assert "points" in by_season
