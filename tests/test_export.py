"""Exports (issue 15, part 5): `pitboard export --format csv|parquet|json|sqlite [--series]
--out DIR` on the backend under test: every table with its rows, a manifest whose row counts
and SHA-256 hold, and nothing written over."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.builders import season_rows, write_folder
from tests.conftest import REPO, Pitboard, fresh_database, query

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pitboard]:
    """Made once: the tests only read it."""
    tmp_path = tmp_path_factory.mktemp("filled")
    with fresh_database(tmp_path) as url:
        pitboard = Pitboard(url, tmp_path)
        pitboard.run("init", check=True)
        data = {"cup": season_rows(2031, 3), "truck": season_rows(2031, 2)}
        write_folder(tmp_path / "data", data)
        pitboard.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)
        pitboard.run("import", "results", str(EXAMPLE), check=True)
        pitboard.run("db", "refresh-standings", check=True)
        yield pitboard


def _rows(folder: Path, fmt: str, table: str) -> list[dict[str, object]]:
    if fmt == "csv":
        with (folder / f"{table}.csv").open(encoding="utf-8") as file:
            return list(csv.DictReader(file))
    if fmt == "json":
        lines = (folder / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]
    if fmt == "parquet":
        return pd.read_parquet(folder / f"{table}.parquet").to_dict("records")
    with sqlite3.connect(folder / "pitboard.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(f'SELECT * FROM "{table}"')]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "sqlite"])
def test_an_export_holds_every_table_and_its_manifest_verifies(
    filled: Pitboard, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "export"
    filled.run("export", "--format", fmt, "--out", str(out), check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    tables = {t["table"]: t for t in manifest["tables"]}
    analysts = ["results", "races", "drivers", "tracks", "standings", "sources"]
    assert list(tables)[:6] == analysts
    # Then the record's own tables, as the database holds them, for `pitboard import dump`.
    assert {"records_result", "records_resultstatement", "records_sourcekey"} <= set(tables)
    assert all(name.startswith("records_") for name in list(tables)[6:])
    for name, entry in tables.items():
        data = (out / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert len(data) == entry["bytes"]
        rows = _rows(out, fmt, name)
        assert len(rows) == entry["rows"], name
        assert rows == [] or list(rows[0]) == [c["name"] for c in entry["columns"]], name
    stats = filled.stats()
    assert tables["results"]["rows"] == stats["results"]
    assert tables["races"]["rows"] == stats["races"]
    held = query(filled.database, "SELECT COUNT(*) FROM records_source")[0][0]
    assert tables["sources"]["rows"] == held
    # Names and slugs ride with each result; the car number keeps its leading zero.
    quill = [r for r in _rows(out, fmt, "results") if r["driver_slug"] == "avery-quill"]
    assert {str(r["car_number"]) for r in quill} >= {"08"}


def test_an_export_of_some_series_and_what_it_refuses(filled: Pitboard, tmp_path: Path) -> None:
    out = tmp_path / "truck"
    filled.run("export", "--format", "parquet", "--series", "truck", "--out", str(out), check=True)
    results = pd.read_parquet(out / "results.parquet")
    assert set(results.series) == {"truck"} and len(results) == 5 * 2
    assert set(pd.read_parquet(out / "races.parquet").series) == {"truck"}
    assert set(pd.read_parquet(out / "drivers.parquet").slug) == set(results.driver_slug)

    again = filled.run("export", "--format", "csv", "--out", str(out))
    assert again.returncode == 1 and "nothing exported" in again.stderr
    assert "not an empty folder" in again.stderr
    odd = filled.run("export", "--format", "csv", "--series", "nope", "--out", str(tmp_path / "x"))
    assert odd.returncode == 1 and "no series nope (there are:" in odd.stderr
    assert not (tmp_path / "x").exists()
