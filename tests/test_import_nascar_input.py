"""`pitboard import nascar` on fictional files: bad input, idempotency, updates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.builders import season_rows, write, write_folder
from tests.conftest import Pitboard, dump_tables


def imported(pitboard: Pitboard, folder: Path) -> dict:
    return pitboard.json("import", "nascar", "--source", str(folder))


def by_file(report: dict) -> dict[str, dict]:
    return {f["file"]: f for f in report["files"]}


@pytest.fixture
def loaded(pitboard: Pitboard, tmp_path: Path) -> tuple[Pitboard, Path]:
    """A database holding one good import, and the folder it came from."""
    folder = write_folder(tmp_path / "good", {"cup": season_rows(2021, 3)})
    imported(pitboard, folder)
    return pitboard, folder


def test_first_import_counts_every_row(pitboard: Pitboard, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "good", {"cup": season_rows(2021, 3)})
    report = by_file(imported(pitboard, folder))
    assert report["cup.parquet"]["inserted"] == 15
    assert report["nxs.parquet"]["inserted"] == 3
    stats = pitboard.stats()
    assert stats["results"] == 15 + 3 + 3
    assert stats["series"] == 3


def test_second_run_changes_nothing_and_says_so(loaded: tuple[Pitboard, Path]) -> None:
    pitboard, folder = loaded
    before = dump_tables(pitboard.database)
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 0
    assert "nothing changed" in done.stderr
    report = imported(pitboard, folder)
    assert report["changed"] is False
    assert all(f["unchanged"] == f["read"] for f in report["files"])
    assert dump_tables(pitboard.database) == before


def test_csv_and_parquet_are_the_same_data(loaded: tuple[Pitboard, Path], tmp_path: Path) -> None:
    pitboard, _ = loaded
    as_csv = write_folder(tmp_path / "csv", {"cup": season_rows(2021, 3)}, fmt="csv")
    report = imported(pitboard, as_csv)
    assert report["changed"] is False, report


def test_newer_file_updates_only_what_changed(
    loaded: tuple[Pitboard, Path], tmp_path: Path
) -> None:
    pitboard, _ = loaded
    rows = season_rows(2021, 3)
    rows[0]["Pts"] = 99  # an official correction
    rows += season_rows(2021, 4)[-5:]  # a new race
    folder = write_folder(tmp_path / "newer", {"cup": rows})
    cup = by_file(imported(pitboard, folder))["cup.parquet"]
    assert (cup["updated"], cup["inserted"], cup["unchanged"], cup["removed"]) == (1, 5, 14, 0)
    quill = pitboard.json("driver", "Avery Quill")
    assert quill["rows"][0]["starts"] == 4


def test_row_dropped_by_the_source_is_kept_until_pruned_and_undo_restores_it(
    loaded: tuple[Pitboard, Path], tmp_path: Path
) -> None:
    pitboard, _ = loaded
    rows = season_rows(2021, 3)
    del rows[3]
    folder = write_folder(tmp_path / "fixed", {"cup": rows})
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 0
    assert "would remove them: use --prune" in done.stderr
    assert pitboard.stats()["results"] == 21

    report = pitboard.json("import", "nascar", "--source", str(folder), "--prune")
    assert (by_file(report)["cup.parquet"]["removed"], pitboard.stats()["results"]) == (1, 20)
    career = pitboard.json("driver", "Casey Dunmore")["rows"][0]["starts"]
    assert career == 2

    undone = pitboard.json("import", "undo", str(report["run"]))
    assert undone["restored"] == 1
    assert pitboard.stats()["results"] == 21
    assert pitboard.json("driver", "Casey Dunmore")["rows"][0]["starts"] == 3
    again = pitboard.run("import", "undo", str(report["run"]))
    assert again.returncode == 1 and "undone already" in again.stderr


def test_missing_file_fails_that_file_only(pitboard: Pitboard, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "partial", {})
    (folder / "nxs.parquet").unlink()
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 1
    assert f"nxs.parquet: no nxs.parquet or nxs.csv in {folder}" in done.stderr
    assert pitboard.stats()["results"] == 6  # cup and truck still imported


def test_truncated_parquet_leaves_database_as_it_was(
    loaded: tuple[Pitboard, Path], tmp_path: Path
) -> None:
    pitboard, _ = loaded
    before = dump_tables(pitboard.database)
    bad = write_folder(tmp_path / "bad", {"cup": season_rows(2022, 2)})
    data = (bad / "cup.parquet").read_bytes()
    (bad / "cup.parquet").write_bytes(data[: len(data) // 2])
    done = pitboard.run("import", "nascar", "--source", str(bad))
    assert done.returncode == 1
    assert "cup.parquet: not a readable Parquet file (truncated or corrupt?)" in done.stderr
    after = dump_tables(pitboard.database)
    assert after["records_result"] == before["records_result"]
    assert after["records_race"] == before["records_race"]


def test_unreadable_file_is_named(pitboard: Pitboard, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "odd", {})
    (folder / "cup.parquet").write_text("this is not parquet")
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 1
    assert "cup.parquet: not a readable Parquet file" in done.stderr


def test_missing_required_column_stops_the_file(
    loaded: tuple[Pitboard, Path], tmp_path: Path
) -> None:
    pitboard, _ = loaded
    before = dump_tables(pitboard.database)
    rows = [{k: v for k, v in r.items() if k != "Finish"} for r in season_rows(2022, 2)]
    folder = write_folder(tmp_path / "nofinish", {"cup": rows})
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 1
    assert "cup.parquet: missing required column 'Finish'" in done.stderr
    assert dump_tables(pitboard.database)["records_result"] == before["records_result"]


def test_columns_match_whatever_their_case_and_spacing(pitboard: Pitboard, tmp_path: Path) -> None:
    rows = [
        {
            ("season" if k == "Season" else "LAPS LED" if k == "Led" else k.upper()): v
            for k, v in r.items()
            if k not in ("Rating", "S1", "S2", "Seg Points")
        }
        for r in season_rows(2021, 2)
    ]
    folder = write_folder(tmp_path / "shouty", {"cup": rows}, fmt="csv")
    cup = by_file(imported(pitboard, folder))["cup.csv"]
    assert cup["inserted"] == 10 and cup["rejected"] == 0
    assert pitboard.json("driver", "Avery Quill")["rows"][0]["laps_led"] == 10


def test_bad_values_reject_their_rows_and_keep_the_rest(
    loaded: tuple[Pitboard, Path], tmp_path: Path
) -> None:
    pitboard, _ = loaded
    rows = season_rows(2022, 2)
    rows[1]["Finish"] = "second"  # non-numeric position
    rows[2]["Start"] = -3  # negative position
    rows[3]["Laps"] = "12.5"  # wrong type
    rows[4]["Driver"] = None  # missing required value
    rows.append(dict(rows[6]))  # duplicated row
    folder = tmp_path / "mixed"
    write_folder(folder, {"cup": season_rows(2021, 3)}, fmt="csv")
    with (folder / "cup.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = pitboard.run("import", "nascar", "--source", str(folder))
    assert done.returncode == 3, done.stderr
    err = done.stderr
    assert "cup.csv, line 3, column 'Finish': not a whole number (value 'second')" in err
    assert "cup.csv, line 4, column 'Start': negative (value '-3')" in err
    assert "cup.csv, line 5, column 'Laps': not a whole number (value '12.5')" in err
    assert "cup.csv, line 6, column 'Driver': missing value" in err
    assert "cup.csv, line 12: duplicate of row 7" in err
    again = pitboard.run("import", "nascar", "--source", str(folder), "--format", "json")
    assert again.returncode == 3
    report = by_file(json.loads(again.stdout))
    assert report["cup.csv"]["rejected"] == 5
    assert report["cup.csv"]["unchanged"] == 6
    # Every good row is in: 6 of the 11 rows of 2022, and the 2021 season untouched.
    assert pitboard.stats()["results"] == 15 + 6 + 3 + 3
    rejects = sorted((tmp_path).glob("pitboard-rejects/rejects-*.csv"))
    assert rejects, "a rejects CSV is written beside the database"
    with rejects[-1].open() as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == 5
    assert {"file", "row", "column", "reason", "value", "Driver", "Finish"} <= set(lines[0])
    assert lines[0]["Finish"] == "second"  # the user's own values are kept


def test_single_file_source(pitboard: Pitboard, tmp_path: Path) -> None:
    path = write(tmp_path / "truck.parquet", season_rows(2020, 2))
    report = pitboard.json("import", "nascar", "--source", str(path))
    assert [f["file"] for f in report["files"]] == ["truck.parquet"]
    assert pitboard.json("driver", "Morgan Pike")["rows"][0]["series"] == "truck"


def test_dry_run_writes_nothing(pitboard: Pitboard, tmp_path: Path) -> None:
    before = dump_tables(pitboard.database)
    folder = write_folder(tmp_path / "dry", {"cup": season_rows(2021, 3)})
    report = pitboard.json("import", "nascar", "--source", str(folder), "--dry-run")
    assert by_file(report)["cup.parquet"]["inserted"] == 15
    assert dump_tables(pitboard.database) == before


def test_no_network_fails_in_one_line(pitboard: Pitboard) -> None:
    done = pitboard.run("import", "nascar", "--source", "http://127.0.0.1:9")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "cannot download http://127.0.0.1:9/cup.parquet" in lines[0]
    assert "pitboard import nascar --source DIR" in lines[0]
