"""`pitboard import results FILE`: the generic format a track official fills in."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, Pitboard, dump_tables, query

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
    assert "mixed.csv, line 3, column 'track': disagrees with the other rows of the same race" in (
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


HEADER = "series,season,round,track,surface,driver,car,start,finish,laps,status,points"


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


NIGHT = [
    "ridge-late-models,2026,1,Hollow Creek Speedway,paved,Tess Alder,7,2,1,50,running,50",
    "ridge-late-models,2026,1,Hollow Creek Speedway,paved,Quinn Barrow,77,1,2,50,running,48",
    "ridge-late-models,2026,1,Hollow Creek Speedway,paved,Noor Vance,3,3,3,49,running,46",
]


def test_a_rejected_row_never_deletes_what_is_stored(pitboard: Pitboard, tmp_path: Path) -> None:
    pitboard.json("import", "results", str(write_csv(tmp_path / "a.csv", NIGHT)))
    typo = [NIGHT[0].replace(",50,running", ",fifty,running"), *NIGHT[1:]]
    done = pitboard.run(
        "import", "results", str(write_csv(tmp_path / "b.csv", typo)), "--format", "json"
    )
    assert done.returncode == 3
    report = json.loads(done.stdout)["files"][0]
    assert (report["rejected"], report["removed"]) == (1, 0)
    assert pitboard.stats()["results"] == 3
    assert any("were kept" in r["reason"] for r in report["remarks"])


def test_race_facts_follow_the_majority(pitboard: Pitboard, tmp_path: Path) -> None:
    typo = [NIGHT[0].replace("Hollow Creek", "Holow Creek"), *NIGHT[1:]]
    done = pitboard.run("import", "results", str(write_csv(tmp_path / "a.csv", typo)))
    assert "a.csv, line 2, column 'track': disagrees with the other rows" in done.stderr
    assert pitboard.stats()["results"] == 2
    assert pitboard.stats()["tracks"] == 1


def test_names_in_any_script_stay_apart(pitboard: Pitboard, tmp_path: Path) -> None:
    lines = [
        NIGHT[0].replace("Tess Alder", "Иван Луговой"),
        NIGHT[1].replace("Quinn Barrow", "Борис Ельцов"),
        NIGHT[2].replace("Noor Vance", "???"),
    ]
    done = pitboard.run("import", "results", str(write_csv(tmp_path / "a.csv", lines)))
    assert "a.csv, line 4, column 'driver': name has no letter or digit (value '???')" in (
        done.stderr
    )
    assert pitboard.stats()["drivers"] == 2
    assert pitboard.json("driver", "иван луговой")["driver"]["slug"] == "иван-луговой"
    empty = pitboard.run("driver", "@@@")
    assert empty.returncode == 1 and "give a driver's name" in empty.stderr


def test_values_the_database_cannot_hold_are_rejected(pitboard: Pitboard, tmp_path: Path) -> None:
    lines = [
        NIGHT[0].replace(",7,", ",12345678901,"),  # car number longer than 10
        NIGHT[1].replace(",48", ",99999999999999999999"),  # points beyond any integer
        NIGHT[2].replace(",3,3,", ",3,40000,"),  # a starting position beyond a small integer
    ]
    done = pitboard.run("import", "results", str(write_csv(tmp_path / "a.csv", lines)))
    assert done.returncode == 3, done.stderr
    assert "line 2, column 'car': longer than 10 characters" in done.stderr
    assert "line 3, column 'points': too large" in done.stderr
    assert "line 4, column 'start': more than 32767" in done.stderr
    assert pitboard.stats()["results"] == 0


def test_dates_must_be_iso(pitboard: Pitboard, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "series,season,round,date,track,driver,finish\n"
        "ridge-late-models,2026,1,2026,Hollow Creek Speedway,Tess Alder,1\n"
        "ridge-late-models,2026,2,2026-05-02,Hollow Creek Speedway,Tess Alder,1\n"
    )
    done = pitboard.run("import", "results", str(path))
    assert "d.csv, line 2, column 'date': not a date (YYYY-MM-DD) (value '2026')" in done.stderr
    assert pitboard.stats()["races"] == 1


def test_unknown_columns_are_reported(pitboard: Pitboard, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "series,season,round,track,driver,finsh,laps_lead\n"
        "ridge-late-models,2026,1,Hollow Creek Speedway,Tess Alder,1,5\n"
    )
    done = pitboard.run("import", "results", str(path))
    assert done.returncode == 1  # finish is a required column
    path.write_text(
        "series,season,round,track,driver,finish,laps_lead\n"
        "ridge-late-models,2026,1,Hollow Creek Speedway,Tess Alder,1,5\n"
    )
    done = pitboard.run("import", "results", str(path))
    assert (
        "column 'laps_lead': not a column of this format: ignored (did you mean 'laps_led'?)"
        in (done.stderr)
    )


def test_shuffled_file_with_a_driver_twice_is_unchanged(pitboard: Pitboard, tmp_path: Path) -> None:
    twice = [*NIGHT, NIGHT[2].replace(",3,3,3,49,", ",33,4,4,12,").replace("running", "relieved")]
    pitboard.json("import", "results", str(write_csv(tmp_path / "a.csv", twice)))
    report = pitboard.json("import", "results", str(write_csv(tmp_path / "b.csv", twice[::-1])))
    assert report["changed"] is False


def test_oval_and_road_course_under_one_name_stay_apart(pitboard: Pitboard, tmp_path: Path) -> None:
    lines = [NIGHT[0], NIGHT[0].replace(",1,Hollow", ",2,Hollow").replace(",paved,", ",road,")]
    pitboard.json("import", "results", str(write_csv(tmp_path / "a.csv", lines)))
    rows = pitboard.json("driver", "Tess Alder", "--by", "track")["rows"]
    assert [r["track"] for r in rows] == [
        "Hollow Creek Speedway (oval)",
        "Hollow Creek Speedway (road course)",
    ]


def test_imported_records_name_their_source(pitboard: Pitboard) -> None:
    pitboard.json("import", "results", str(EXAMPLE))
    tables = dump_tables(pitboard.database)
    for table in ("records_series", "records_season", "records_race", "records_result"):
        columns = query(pitboard.database, f"SELECT source_id FROM {table}")
        assert columns and all(source is not None for (source,) in columns), table
    assert tables["records_source"]


def test_json_cells_must_be_single_values(pitboard: Pitboard, tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text(
        json.dumps(
            [
                {
                    "series": "x",
                    "season": 2026,
                    "round": 1,
                    "track": "T",
                    "driver": "Tess Alder",
                    "finish": 1,
                    "sponsor": {"a": 1},
                }
            ]
        )
    )
    done = pitboard.run("import", "results", str(path))
    assert done.returncode == 1
    assert "n.json, row 1, column 'sponsor': expected a single value" in done.stderr


def test_standings_of_a_weekly_division_by_round_and_date(pitboard: Pitboard) -> None:
    pitboard.json("import", "results", str(EXAMPLE))
    final = pitboard.json("standings", "--series", "thunder-stock", "--season", "2025")
    assert [(r["driver"], r["points"], r["source"]) for r in final["standings"][:2]] == [
        ("Avery Quill", 87, "official"),
        ("Jordan Marsh", 87, "official"),
    ]  # tied on points and wins: Quill's second place breaks the tie
    first = pitboard.json(
        "standings", "--series", "thunder-stock", "--season", "2025", "--date", "2025-04-15"
    )
    assert first["after_round"] == 1 and first["standings"][0]["driver"] == "Avery Quill"
    template = REPO / "src" / "pitboard" / "rulesets" / "template-weekly-short-track.toml"
    what_if = pitboard.json(
        "standings", "--series", "thunder-stock", "--season", "2025", "--rules", str(template)
    )
    assert what_if["rules"] == "template-weekly-short-track"
    assert {r["source"] for r in what_if["standings"]} == {"rules"}
    early = pitboard.run(
        "standings", "--series", "thunder-stock", "--season", "2025", "--date", "2025-01-01"
    )
    assert early.returncode == 1 and "no race of thunder-stock 2025 was run by" in early.stderr


def test_an_import_leaves_the_planner_statistics_current(pitboard: Pitboard) -> None:
    """After a bulk write the query planner knows the tables' sizes (ANALYZE), so the next
    pages are planned by index: the results table has statistics right after an import."""
    pitboard.run("import", "results", str(EXAMPLE), check=True)
    if pitboard.database.startswith("postgres"):
        (analyzed,) = query(
            pitboard.database,
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'records_result'",
        )
        assert analyzed[0] is not None
    else:
        stats = query(pitboard.database, "SELECT tbl FROM sqlite_stat1")
        assert ("records_result",) in stats
