"""One record, many sources: imports that never lose what another source or a fuller earlier
file stated, source keys, provenance per statement, reviewable identity (issue 9).

Fictional seasons only: nascaR.data-shaped files from tests/builders.py and generic files.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.builders import DRIVERS, season_rows, write, write_folder
from tests.conftest import NASCAR, REPO, Pitboard, need_nascar, query
from tests.server import serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"
REQUIRED = ["series", "season", "round", "track", "driver", "finish"]


def by_file(report: dict) -> dict[str, dict]:
    return {f["file"]: f for f in report["files"]}


def counts(pitboard: Pitboard) -> dict[str, int]:
    """Records of every kind but sources (a new file is a new source)."""
    return {k: v for k, v in pitboard.stats().items() if k != "sources"}


def careers(pitboard: Pitboard, *names: str) -> dict[str, object]:
    return {n: pitboard.json("driver", n, "--by", "season") for n in names}


def race_facts(pitboard: Pitboard, series: str, season: int, rnd: int) -> tuple:
    rows = query(
        pitboard.database,
        "SELECT r.name, r.length_miles, r.surface, r.date FROM records_race r "
        "JOIN records_season s ON s.id = r.season_id JOIN records_series e ON e.id = s.series_id "
        f"WHERE e.slug = '{series}' AND s.year = {season} AND r.round = {rnd}",
    )
    return rows[0]


def test_a_generic_file_naming_a_held_race_adds_its_statement_and_removes_nothing(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Loss case 1: a one-row file about a race another source holds."""
    pitboard.json(
        "import",
        "nascar",
        "--source",
        str(write_folder(tmp_path / "n", {"cup": season_rows(2021, 3)})),
    )
    before_stats, before_race = counts(pitboard), race_facts(pitboard, "cup", 2021, 2)
    before = careers(pitboard, "Avery Quill", "Jordan Marsh")
    one = tmp_path / "one.csv"
    one.write_text(
        "series,season,round,track,driver,finish\ncup,2021,2,Cedar Ridge Speedway,Avery Quill,2\n"
    )
    report = pitboard.json("import", "results", str(one))
    assert by_file(report)["one.csv"]["joined"] == 1
    assert counts(pitboard) == before_stats
    assert race_facts(pitboard, "cup", 2021, 2) == before_race
    assert careers(pitboard, "Avery Quill", "Jordan Marsh") == before
    assert query(pitboard.database, "SELECT COUNT(*) FROM records_resultstatement")[0][0] == 22


def test_a_reimport_without_optional_columns_blanks_nothing(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Loss case 2: the documented example again, with only its required columns."""
    pitboard.json("import", "results", str(EXAMPLE))
    shown = (
        "SELECT points, prize_money, team_id, laps_led, car_number FROM records_result ORDER BY id"
    )
    races = "SELECT name, date, length_miles, scheduled_laps, surface FROM records_race ORDER BY id"
    before = (query(pitboard.database, shown), query(pitboard.database, races))
    bare = tmp_path / "bare.csv"
    pd.read_csv(EXAMPLE, dtype=str)[REQUIRED].to_csv(bare, index=False)
    report = pitboard.json("import", "results", str(bare))
    assert report["changed"] is False, report
    blank = tmp_path / "blank.csv"
    full = pd.read_csv(EXAMPLE, dtype=str)
    full.loc[:, ["points", "team", "prize_money"]] = None  # present but empty
    full.to_csv(blank, index=False)
    assert pitboard.json("import", "results", str(blank))["changed"] is False
    assert (query(pitboard.database, shown), query(pitboard.database, races)) == before


def test_a_file_cut_mid_race_keeps_the_rest_until_pruned(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Loss case 3: a file cut cleanly at a line end in the middle of a race."""
    rows = season_rows(2021, 3)
    pitboard.json(
        "import", "nascar", "--source", str(write_folder(tmp_path / "full", {"cup": rows}))
    )
    before = counts(pitboard), careers(pitboard, "Morgan Pike", "Riley Stroud")
    cut = write_folder(tmp_path / "cut", {"cup": rows[:12]}, fmt="csv")  # race 3: 2 of 5 rows
    done = pitboard.run("import", "nascar", "--source", str(cut), "--format", "json")
    assert done.returncode == 0
    cup = by_file(json.loads(done.stdout))["cup.csv"]
    assert (cup["kept"], cup["removed"]) == (3, 0)
    assert any("use --prune" in r["reason"] for r in cup["remarks"])
    assert (counts(pitboard), careers(pitboard, "Morgan Pike", "Riley Stroud")) == before


def test_a_killed_run_is_marked_interrupted_and_its_committed_rejects_are_written(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """The cup file (one bad row) commits; the run is killed during the long nxs file."""
    cup = season_rows(2021, 2)
    cup[3]["Finish"] = -4
    drivers = [f"Filler Driver {n}" for n in range(40)]
    nxs = [row for year in range(1900, 2000) for row in season_rows(year, 30, drivers)]
    folder = tmp_path / "long"
    folder.mkdir()
    write(folder / "cup.parquet", cup)
    write(folder / "nxs.parquet", nxs)
    write(folder / "truck.parquet", season_rows(2021, 1))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pitboard",
            "--database",
            pitboard.database,
            "import",
            "nascar",
            "--source",
            str(folder),
            "--format",
            "json",
        ],
        cwd=pitboard.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "PITBOARD_DATABASE_URL"},
    )
    rejects = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        found = query(pitboard.database, "SELECT rejects_file FROM records_importrun")
        if found and found[0][0]:
            rejects = Path(found[0][0])
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert rejects is not None and rejects.exists()
    with rejects.open(newline="") as handle:
        assert [row["Finish"] for row in csv.DictReader(handle)] == ["-4"]
    assert pitboard.stats()["results"] == 9  # the cup file, less its rejected row

    pitboard.run("import", "results", str(EXAMPLE))
    statuses = query(pitboard.database, "SELECT status FROM records_importrun ORDER BY id")
    assert [s for (s,) in statuses] == ["interrupted", "succeeded"]


def test_two_sources_one_person_one_race_both_listed_and_the_disagreement_reported(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    drivers = ["William Thorne", "Jordan Marsh", "Riley Stroud"]
    pitboard.json(
        "import",
        "nascar",
        "--source",
        str(write_folder(tmp_path / "n", {"cup": season_rows(2021, 2, drivers)})),
    )
    before = counts(pitboard)
    other = tmp_path / "other.csv"
    other.write_text(
        "series,season,round,track,car,driver,finish,points\n"
        "cup,2021,1,Lakeview Oval,01,Bill Thorne,1,49\n"  # nascaR.data says 49 too
        "cup,2021,2,Cedar Ridge Speedway,01,Bill Thorne,2,40\n"  # nascaR.data says 48
        "cup,2021,2,Cedar Ridge Speedway,02,Jordan Marsh,3,47\n"
    )
    report = pitboard.json("import", "results", str(other))
    assert by_file(report)["other.csv"]["created"].get("drivers", 0) == 0
    assert counts(pitboard) == before  # one driver per person, one race per race
    conflicts = pitboard.json("sources", "conflicts", "--series", "cup")["conflicts"]
    assert [(c["driver"], c["round"], c["field"]) for c in conflicts] == [
        ("William Thorne", 2, "points")
    ]
    assert conflicts[0]["values"] == [
        {"dataset": "results-format", "value": 40, "shown": True},
        {"dataset": "nascaR.data", "value": 48, "shown": False},
    ]
    datasets = query(
        pitboard.database,
        "SELECT DISTINCT dataset FROM records_sourcekey k JOIN records_driver d "
        "ON d.id = k.object_id WHERE k.kind = 'driver' AND d.slug = 'william-thorne'",
    )
    assert sorted(d for (d,) in datasets) == ["nascaR.data", "results-format"]
    with serving(pitboard.database, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as server:
        status, _, body = server.get("/races/cup/2021/2/")
    page = body.decode()
    assert status == 200
    assert "Sources disagree on 1 figure" in page
    assert "40 (results-format); 48 (nascaR.data)" in page
    assert "other.csv" in page and "cup.parquet" in page  # both sources listed


def test_namesakes_in_different_eras_stay_two_people(pitboard: Pitboard, tmp_path: Path) -> None:
    pitboard.json(
        "import",
        "nascar",
        "--source",
        str(
            write_folder(
                tmp_path / "n", {"cup": season_rows(1961, 2, ["Casey Dunmore", "Jordan Marsh"])}
            )
        ),
    )
    weekly = tmp_path / "weekly.csv"
    weekly.write_text(
        "series,season,round,track,driver,finish\n"
        "thunder-stock,2031,1,Lakeview Oval,Casey Dunmore,1\n"
    )
    report = pitboard.json("import", "results", str(weekly))
    assert by_file(report)["weekly.csv"]["created"]["drivers"] == 1
    found = pitboard.run("driver", "Casey Dunmore")
    assert "2 drivers are named 'Casey Dunmore'" in found.stderr  # two people, both listed
    # Each is asked for by the slug the message gives (the one in its page's address).
    assert "give one's slug (casey-dunmore, casey-dunmore-2)" in found.stderr
    weekly_one = pitboard.json("driver", "casey-dunmore-2")
    assert [r["series"] for r in weekly_one["rows"]] == ["thunder-stock"]


def test_an_uncertain_match_waits_for_review_and_a_merge_is_reversible(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    pitboard.json(
        "import",
        "nascar",
        "--source",
        str(
            write_folder(
                tmp_path / "n", {"cup": season_rows(2021, 2, ["Theodore Vance", "Jordan Marsh"])}
            )
        ),
    )
    other = tmp_path / "other.csv"
    other.write_text(
        "series,season,round,track,driver,finish\n"
        "thunder-stock,2022,1,Lakeview Oval,Teddy Vance,1\n"  # a nickname, another series
    )
    drivers = pitboard.stats()["drivers"]
    pitboard.json("import", "results", str(other))
    reviews = pitboard.json("identity", "review")["reviews"]
    assert [(r["name"], r["candidate"]) for r in reviews] == [("Teddy Vance", "theodore-vance")]
    assert pitboard.stats()["drivers"] == drivers + 1  # his own driver until a human decides

    before = careers(pitboard, "Theodore Vance")
    merged = pitboard.json("identity", "merge", "theodore-vance", reviews[0]["provisional"])
    assert pitboard.stats()["drivers"] == drivers
    assert pitboard.json("identity", "review")["reviews"] == []
    seasons = pitboard.json("driver", "Theodore Vance", "--by", "season")["rows"]
    assert [(r["series"], r["season"]) for r in seasons] == [("cup", 2021), ("thunder-stock", 2022)]
    assert pitboard.json("driver", "Teddy Vance")["driver"]["slug"] == "theodore-vance"
    with serving(pitboard.database, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as server:
        request = urllib.request.Request(server.base + "/drivers/teddy-vance/")
        with urllib.request.urlopen(request, timeout=60) as response:  # follows the redirect
            assert response.url.endswith("/drivers/theodore-vance/")
            assert b"Theodore Vance" in response.read()
        for route in ("", "/career?by=season", "/results?page=1"):
            url = f"{server.base}/api/v1/drivers/teddy-vance{route}"
            with urllib.request.urlopen(url, timeout=60) as response:
                assert response.url == url.replace("teddy-vance", "theodore-vance")
                assert "Theodore Vance" in response.read().decode()

    pitboard.json("identity", "split", str(merged["merge"]))
    assert pitboard.stats()["drivers"] == drivers + 1
    assert careers(pitboard, "Theodore Vance") == before
    assert pitboard.json("driver", "Teddy Vance")["driver"]["slug"] == "teddy-vance"


@pytest.mark.realdata
def test_season_facts_follow_the_source_key_not_the_display_name(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Cup 2024's sourced facts (Larson's waiver, Dillon's non-counting win and penalty) still
    apply after the drivers' display names change."""
    need_nascar()
    pitboard.json("import", "nascar", "--source", str(NASCAR / "cup.parquet"))
    before = pitboard.json("standings", "--series", "cup", "--season", "2024")
    for name in ("Kyle Larson", "Austin Dillon"):
        query(
            pitboard.database,
            f"UPDATE records_person SET name = '{name} (renamed)' WHERE name = '{name}'",
            commit=True,
        )
    pitboard.run("db", "refresh-standings", "--all", check=True)
    after = pitboard.json("standings", "--series", "cup", "--season", "2024")
    renamed = [
        {**row, "driver": row["driver"].removesuffix(" (renamed)")} for row in after["standings"]
    ]
    assert renamed == before["standings"]
    assert {r["driver"] for r in after["standings"]} >= {"Kyle Larson (renamed)"}


def test_a_long_file_is_read_in_chunks_of_whole_races(pitboard: Pitboard, tmp_path: Path) -> None:
    """Chunks of 7 rows over races of 5: every race is written whole, a bad row in a later chunk
    is named by its line with all its values, and the file imports as it would in one piece."""
    rows = season_rows(2021, 6)
    rows[17]["Finish"] = -3  # line 19 of the CSV, in the third chunk
    folder = write_folder(tmp_path / "long", {"cup": rows}, fmt="csv")
    small = {"PITBOARD_IMPORT_CHUNK_ROWS": "7"}
    done = pitboard.run("import", "nascar", "--source", str(folder), "--format", "json", env=small)
    assert done.returncode == 3, done.stderr
    cup = by_file(json.loads(done.stdout))["cup.csv"]
    assert (cup["read"], cup["inserted"], cup["rejected"]) == (30, 29, 1)
    assert cup["rejects"][0]["row"] == 18 and cup["rejects"][0]["column"] == "Finish"
    rejects = Path(json.loads(done.stdout)["rejects_file"])
    with rejects.open(newline="") as handle:
        (line,) = list(csv.DictReader(handle))
    assert (line["Finish"], line["Driver"]) == ("-3", rows[17]["Driver"])

    whole = tmp_path / "whole"
    other = Pitboard(pitboard.database.replace("pitboard.sqlite3", "whole.sqlite3"), whole)
    if "sqlite" in pitboard.database:
        whole.mkdir()
        other.run("init", check=True)
        other.run("import", "nascar", "--source", str(folder), check=False)
        assert careers(other, *DRIVERS) == careers(pitboard, *DRIVERS)
    # Nothing left over to keep or prune: every race was seen whole.
    again = pitboard.run("import", "nascar", "--source", str(folder), "--format", "json", env=small)
    assert by_file(json.loads(again.stdout))["cup.csv"]["kept"] == 0


def test_a_race_whose_rows_come_back_later_in_a_long_file_is_refused(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    rows = season_rows(2021, 4)
    rows = rows[:5] + rows[10:15] + rows[5:10] + rows[15:] + rows[:1]  # race 1 again at the end
    rows[-1] = {**rows[-1], "Driver": "Late Entry", "Car": "99"}
    folder = write_folder(tmp_path / "shuffled", {"cup": rows}, fmt="csv")
    done = pitboard.run(
        "import", "nascar", "--source", str(folder), env={"PITBOARD_IMPORT_CHUNK_ROWS": "6"}
    )
    assert done.returncode == 1
    assert "cup.csv, line 22" in done.stderr and "sort the file by race" in done.stderr
    assert pitboard.stats()["results"] == 6  # nxs and truck only: cup was rolled back whole


def generic(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("series,season,round,track,driver,finish,laps,status\n" + "\n".join(lines))
    return path


def test_undoing_runs_newest_first_restores_every_earlier_state(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Each undo puts back what its run changed or removed, under the ids older logs name; the
    first run's undo then removes the race it created (and its championship listing)."""
    first = generic(
        tmp_path,
        "f1.csv",
        [
            "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,2,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Cy Orlen,3,100,running",
        ],
    )
    runs = [pitboard.json("import", "results", str(first))["run"]]
    after_first = careers(pitboard, "Cy Orlen")
    second = generic(
        tmp_path,
        "f2.csv",
        [
            "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,2,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Cy Orlen,3,99,running",
        ],
    )
    runs.append(pitboard.json("import", "results", str(second))["run"])
    third = generic(
        tmp_path,
        "f3.csv",
        [
            "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,2,100,running",
        ],
    )
    runs.append(pitboard.json("import", "results", str(third), "--prune")["run"])
    assert pitboard.stats()["results"] == 2
    refused = pitboard.run("import", "undo", str(runs[1]))
    assert refused.returncode == 1 and f"undo the newer runs first ({runs[2]})" in refused.stderr

    pitboard.json("import", "undo", str(runs[2]))
    pitboard.json("import", "undo", str(runs[1]))
    assert pitboard.stats()["results"] == 3
    assert careers(pitboard, "Cy Orlen") == after_first  # 100 laps again

    pitboard.json("import", "undo", str(runs[0]))
    assert set(counts(pitboard).values()) == {0}  # as before the first run: nothing left over
    again = pitboard.json("import", "results", str(first))
    assert by_file(again)["f1.csv"]["created"]["drivers"] == 3
    assert pitboard.stats()["drivers"] == 3
    assert pitboard.json("identity", "review")["reviews"] == []


def test_an_undo_removes_what_its_run_made_and_keeps_what_was_there(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A run that added a new driver, track, team, make, season and series beside results of
    known drivers: undone, the database counts what it counted before, the known drivers keep
    their careers, and no page or search shows the run's leftovers."""
    known = generic(
        tmp_path,
        "known.csv",
        [
            "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
            "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,2,100,running",
        ],
    )
    pitboard.json("import", "results", str(known))
    before, career = counts(pitboard), careers(pitboard, "Ada Quell")
    added = tmp_path / "added.csv"
    added.write_text(
        "series,season,round,track,driver,finish,team,make\n"
        "ember-late-models,2032,1,Harrow Flats,Ada Quell,2,Quell Motorsports,Ferrant\n"
        "ember-late-models,2032,1,Harrow Flats,Wren Halloway,1,Halloway Racing,Ferrant\n"
    )
    report = pitboard.json("import", "results", str(added))
    made = by_file(report)["added.csv"]["created"]
    assert (made["drivers"], made["tracks"], made["teams"], made["manufacturers"]) == (1, 1, 2, 1)

    undone = pitboard.json("import", "undo", str(report["run"]))
    assert undone["records_removed"] == {
        "drivers": 1,
        "tracks": 1,
        "teams": 2,
        "manufacturers": 1,
        "seasons": 1,
        "series": 1,
    }
    assert counts(pitboard) == before
    assert careers(pitboard, "Ada Quell") == career
    assert pitboard.run("driver", "Wren Halloway").returncode != 0
    assert pitboard.json("identity", "review")["reviews"] == []


def test_a_source_that_now_says_did_not_start_no_longer_gives_a_finish(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    pitboard.json(
        "import",
        "results",
        str(
            generic(
                tmp_path,
                "a.csv",
                [
                    "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
                    "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,2,100,running",
                ],
            )
        ),
    )
    pitboard.json(
        "import",
        "results",
        str(
            generic(
                tmp_path,
                "b.csv",
                [
                    "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
                    "thunder-stock,2031,1,Lakeview Oval,Bo Tarrow,,0,did not start",
                ],
            )
        ),
    )
    row = pitboard.json("driver", "Bo Tarrow")["rows"][0]
    assert (row["starts"], row["best_finish"]) == (0, None), row


def test_a_merge_of_two_drivers_in_one_race_is_refused(pitboard: Pitboard, tmp_path: Path) -> None:
    pitboard.json(
        "import",
        "results",
        str(
            generic(
                tmp_path,
                "a.csv",
                [
                    "thunder-stock,2031,1,Lakeview Oval,Ada Quell,1,100,running",
                    "thunder-stock,2031,1,Lakeview Oval,Adele Quell,2,100,running",
                ],
            )
        ),
    )
    before = pitboard.stats()
    done = pitboard.run("identity", "merge", "ada-quell", "adele-quell")
    assert done.returncode == 1
    assert "both have a result in thunder-stock 2031 round 1" in done.stderr
    assert pitboard.stats() == before


def test_a_merge_combines_one_entry_two_sources_told_under_two_names(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A second source that named a driver so differently that no match was made: merging the
    two drivers makes their results in one race one result with both statements (starts are
    not counted twice), and a split parts them again exactly."""
    pitboard.json(
        "import",
        "nascar",
        "--source",
        str(write_folder(tmp_path / "n", {"cup": season_rows(2021, 2, ["Theodore Vance"])})),
    )
    before = careers(pitboard, "Theodore Vance")
    other = tmp_path / "other.csv"
    other.write_text(
        "series,season,round,track,car,driver,finish,laps\n"
        "cup,2021,1,Lakeview Oval,01,Dorian Vance-Hale,1,99\n"  # nascaR.data says 100 laps
    )
    pitboard.json("import", "results", str(other))
    slug = pitboard.json("driver", "Dorian Vance-Hale")["driver"]["slug"]
    results = pitboard.stats()["results"]

    merged = pitboard.json("identity", "merge", "theodore-vance", slug)
    assert pitboard.stats()["results"] == results - 1
    career = pitboard.json("driver", "Theodore Vance")["rows"][0]
    assert (career["starts"], career["wins"]) == (2, 2)
    conflicts = pitboard.json("sources", "conflicts", "--series", "cup")["conflicts"]
    assert [(c["driver"], c["round"], c["field"]) for c in conflicts] == [
        ("Theodore Vance", 1, "laps")
    ]
    with serving(pitboard.database, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as server:
        _, _, body = server.get("/races/cup/2021/1/")
    assert "other.csv" in body.decode() and "cup.parquet" in body.decode()

    pitboard.json("identity", "split", str(merged["merge"]))
    assert pitboard.stats()["results"] == results
    assert careers(pitboard, "Theodore Vance") == before
    assert pitboard.json("driver", "Dorian Vance-Hale")["rows"][0]["starts"] == 1
    assert pitboard.json("sources", "conflicts", "--series", "cup")["conflicts"] == []
