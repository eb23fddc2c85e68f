"""`pitboard import dump DIR` (issue 15, part 5): an export loads into an empty database as the
same record (counts, careers, standings, every source's statements and keys), on the backend
under test; a damaged, partial or CSV export and a database that holds records are refused with
nothing written; and /downloads/ lists the published exports and serves their files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import season_rows, write_folder
from tests.conftest import (
    BACKEND,
    REPO,
    Pitboard,
    fresh_database,
    need_nascar,
    query,
)
from tests.server import Server, serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"

# Every career document of every driver (by series, season and track), and every make's and
# team's by series, as one digest: read in one process through the services the site uses.
CAREERS = """
import hashlib, json, sys
import django
django.setup()
from pitboard.core.stats import Grouping
from pitboard.records.models import Driver, Manufacturer, Team
from pitboard.records.services.careers import career_documents, subject_by_slug
sha = hashlib.sha256()
groupings = (Grouping.SERIES, Grouping.SEASON, Grouping.TRACK)
for kind, model, by in (("driver", Driver, groupings), ("team", Team, groupings[:1]),
                        ("manufacturer", Manufacturer, groupings[:1])):
    slugs = list(model.objects.order_by("slug").values_list("slug", flat=True))
    for slug in slugs:
        documents = career_documents(subject_by_slug(kind, slug), by)
        sha.update(json.dumps(documents, sort_keys=True, default=str).encode())
print(len(slugs), sha.hexdigest())
"""

# The record as a reader meets it, row by row, without the import runs that wrote it (a loaded
# dump is one run of its own).
COMPARED = {
    "records_series": "id, slug, name, level, country, display_order",
    "records_season": "id, series_id, year",
    "records_race": "id, season_id, round, date, track_id, name, scheduled_laps, car_count",
    "records_result": "id, race_id, driver_id, entry, car_number, team_id, manufacturer_id,"
    " start, finish, laps, laps_led, status_text, status_class, points, prize_money",
    "records_resultstatement": "id, result_id, dataset, source_id, source_row, car_number,"
    " finish, points, prize_money, stage_finishes",
    "records_person": "id, name, name_key, birth_date, hometown, nationality",
    "records_driver": "id, person_id, slug",
    "records_team": "id, name, slug",
    "records_track": "id, slug, name, city, region, length_miles",
    "records_sourcekey": "id, dataset, kind, key, object_id",
    "records_source": "id, dataset, uri, sha256, retrieved_at",
    "records_penalty": "id, season_id, race_id, driver_id, points, fine, appeal",
    "records_standingrow": "season_id, after_round, position, driver_id, points, wins",
    "records_seasontally": "kind, subject_id, season_id, starts, wins, points, finishes",
    "records_milestone": "driver_id, kind, series_id, season_id, round, result_id, value",
}


def _record(url: str) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted(
            tuple(str(v) for v in row) for row in query(url, f"SELECT {cols} FROM {table}")
        )
        for table, cols in COMPARED.items()
    }


def _careers(cli: Pitboard) -> str:
    env = {"PITBOARD_DATABASE_URL": cli.database, "DJANGO_SETTINGS_MODULE": "pitboard.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CAREERS],
        capture_output=True,
        text=True,
        cwd=cli.cwd,
        env={**dict(os.environ), **env},
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


PENALTY = """
import datetime as dt, sys
from decimal import Decimal
import django
django.setup()
from django.contrib.auth.models import User
from pitboard.officials.penalties import Given, add_penalty
admin = User.objects.create_superuser("dana-admin", password="a long fictional password")
given = Given("Jordan Marsh", points=10, reason="fictional: too low", announced=dt.date(2031, 3, 9),
              fine=Decimal("12500.50"), appeal="reduced", points_after_appeal=5)
add_penalty(admin, "cup", 2031, 2, given, channel="cli")
"""


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pitboard]:
    """Fictional results of two series from two sources (the nascaR.data layout and the
    generic results file), a penalty with a fine and an appeal, and the starter careers; made
    once, and left as it is by the tests."""
    tmp_path = tmp_path_factory.mktemp("record")
    with fresh_database(tmp_path) as url:
        yield _filled(Pitboard(url, tmp_path), tmp_path)


def _filled(pitboard: Pitboard, tmp_path: Path) -> Pitboard:
    pitboard.run("init", "--starter", check=True)
    write_folder(tmp_path / "data", {"cup": season_rows(2031, 3), "truck": season_rows(2031, 2)})
    pitboard.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)
    pitboard.run("import", "results", str(EXAMPLE), check=True)
    env = {
        **os.environ,
        "PITBOARD_DATABASE_URL": pitboard.database,
        "DJANGO_SETTINGS_MODULE": "pitboard.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", PENALTY], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    pitboard.run("db", "refresh-standings", check=True)
    return pitboard


def test_an_export_loads_into_an_empty_database_as_the_same_record(
    record: Pitboard, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    record.run("export", "--format", "parquet", "--out", str(out), check=True)
    (tmp_path / "copy").mkdir()
    with fresh_database(tmp_path / "copy") as url:
        copy = Pitboard(url, tmp_path / "copy")
        done = copy.run("import", "dump", str(out), "--format", "json", check=True)
        report = json.loads(done.stdout)
        assert report["rows"]["records_result"] == record.stats()["results"]
        assert report["rows"]["records_penalty"] == 1
        assert report["differing"] == []  # the standings came out as the export's

        assert copy.stats() == record.stats()
        assert _record(url) == _record(record.database)
        assert _careers(copy) == _careers(record)
        standings = ("standings", "--series", "cup", "--season", "2031")
        assert copy.json(*standings) == record.json(*standings)

        # It goes on as the original would: the same file again changes nothing (its source
        # keys and statements came along), and new rows take new ids.
        again = copy.run("import", "results", str(EXAMPLE), "--format", "json", check=True)
        assert json.loads(again.stdout)["changed"] is False
        write_folder(tmp_path / "later", {"cup": season_rows(2032, 2)})
        before = copy.stats()
        later = copy.json("import", "nascar", "--source", str(tmp_path / "later"))
        added = sum(f["inserted"] for f in later["files"])
        assert added >= len(season_rows(2032, 2))
        assert copy.stats()["results"] == before["results"] + added
        undo = copy.run("import", "undo", str(report["run"]))
        assert undo.returncode == 1 and "loaded a whole dump" in undo.stderr


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_json_and_sqlite_exports_load_as_well(record: Pitboard, tmp_path: Path, fmt: str) -> None:
    if BACKEND == "postgres":
        pytest.skip("the formats are read alike on either backend: run in the SQLite run")
    out = tmp_path / "export"
    record.run("export", "--format", fmt, "--out", str(out), check=True)
    (tmp_path / "copy").mkdir()
    with fresh_database(tmp_path / "copy") as url:
        copy = Pitboard(url, tmp_path / "copy")
        done = copy.run("import", "dump", str(out), "--format", "json", check=True)
        assert json.loads(done.stdout)["differing"] == []
        assert copy.stats() == record.stats()
        assert _record(url) == _record(record.database)
    # One series alone loads too: its drivers, teams and tracks, none of the others'.
    truck = tmp_path / "truck"
    record.run("export", "--format", fmt, "--series", "truck", "--out", str(truck), check=True)
    (tmp_path / "truck-copy").mkdir()
    with fresh_database(tmp_path / "truck-copy") as url:
        copy = Pitboard(url, tmp_path / "truck-copy")
        done = copy.run("import", "dump", str(truck), "--format", "json", check=True)
        assert json.loads(done.stdout)["differing"] == []
        stats = copy.stats()
        assert stats["series"] == 1 and stats["results"] == len(season_rows(2031, 2))
        assert copy.json("standings", "--series", "truck", "--season", "2031") == record.json(
            "standings", "--series", "truck", "--season", "2031"
        )


def test_a_dump_is_refused_whole_when_anything_is_wrong(record: Pitboard, tmp_path: Path) -> None:
    out = tmp_path / "export"
    record.run("export", "--format", "parquet", "--out", str(out), check=True)
    csv_out = tmp_path / "csv"
    record.run("export", "--format", "csv", "--out", str(csv_out), check=True)

    # Into a database that holds records: refused, that database untouched.
    before = _record(record.database)
    held = record.run("import", "dump", str(out))
    assert held.returncode == 1
    assert "nothing loaded: this database holds records" in held.stderr
    assert _record(record.database) == before

    (tmp_path / "copy").mkdir()
    with fresh_database(tmp_path / "copy") as url:
        copy = Pitboard(url, tmp_path / "copy")
        damaged = tmp_path / "damaged"
        shutil.copytree(out, damaged)
        with (damaged / "records_result.parquet").open("r+b") as file:
            file.seek(200)
            byte = file.read(1)
            file.seek(200)
            file.write(bytes([byte[0] ^ 0xFF]))
        cut = tmp_path / "cut"
        shutil.copytree(out, cut)
        (cut / "records_race.parquet").unlink()
        cases = [
            (damaged, "records_result.parquet: its SHA-256 is not the manifest's"),
            (cut, "records_race.parquet: named in the manifest, but not in the folder"),
            (csv_out, "a csv export cannot be loaded"),
            (tmp_path / "nowhere", "no such folder"),
            (tmp_path, "manifest.json: no such file"),
        ]
        for folder, why in cases:
            done = copy.run("import", "dump", str(folder))
            assert done.returncode == 1, folder
            assert f"nothing loaded: {folder}" in done.stderr and why in done.stderr, done.stderr
        copy.run("init", check=True)
        assert set(copy.stats().values()) == {0}
        assert query(url, "SELECT COUNT(*) FROM records_importrun") == [(0,)]

        # A row that breaks the schema fails the whole load: nothing is left half written.
        broken = tmp_path / "broken"
        shutil.copytree(out, broken)
        _duplicate_a_result(broken)
        done = copy.run("import", "dump", str(broken))
        assert done.returncode == 1
        assert "records_result.parquet: table records_result: the database refused" in done.stderr
        assert set(copy.stats().values()) == {0}


def _duplicate_a_result(folder: Path) -> None:
    """Give the last result the first one's id, and the manifest the file's new checksum."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "records_result.parquet"
    table = pq.read_table(path)
    ids = table.column("id").to_pylist()
    ids[-1] = ids[0]
    table = table.set_column(0, "id", pa.array(ids, type=pa.int64()))
    pq.write_table(table, path)
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["tables"]:
        if entry["file"] == path.name:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
            entry["bytes"] = path.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_the_downloads_page_lists_the_published_exports(record: Pitboard, tmp_path: Path) -> None:
    if BACKEND == "postgres":
        pytest.skip("files are served alike on either backend: run in the SQLite run")
    shelf = tmp_path / "downloads"
    shelf.mkdir()
    record.run("export", "--format", "parquet", "--out", str(shelf / "2031-parquet"), check=True)
    record.run("export", "--format", "sqlite", "--out", str(shelf / "2031-sqlite"), check=True)
    (shelf / "half-written").mkdir()  # an export still being written has no manifest yet
    (shelf / "half-written" / "results.parquet").write_bytes(b"PAR1")
    (tmp_path / "secret.txt").write_text("not for download")
    with serving(record.database, tmp_path, {"PITBOARD_DOWNLOADS_DIR": str(shelf)}) as live:
        status, _, body = live.get("/downloads/")
        page = body.decode()
        assert status == 200
        assert "2031-parquet" in page and "2031-sqlite" in page and "half-written" not in page
        manifest = json.loads((shelf / "2031-parquet" / "manifest.json").read_text())
        results = next(t for t in manifest["tables"] if t["table"] == "results")
        assert results["sha256"] in page
        status, headers, body = live.get("/downloads/2031-parquet/results.parquet")
        assert status == 200 and body == (shelf / "2031-parquet" / "results.parquet").read_bytes()
        assert "attachment" in headers["Content-Disposition"]
        status, _, body = live.get("/downloads/2031-sqlite/manifest.json")
        assert status == 200 and b'"format": "sqlite"' in body
        for path in (
            "/downloads/half-written/results.parquet",
            "/downloads/2031-parquet/../secret.txt",
            "/downloads/..%2Fsecret.txt/x",
            "/downloads/2031-parquet/nothing.parquet",
        ):
            assert live.get(path)[0] == 404, path


@pytest.mark.realdata
def test_a_site_without_downloads_says_so(site: Server) -> None:
    status, _, body = site.get("/downloads/")
    assert status == 200 and b"This site publishes no exports" in body


@pytest.mark.realdata
def test_the_full_nascar_history_exports_and_loads_the_same(
    nascar_db: Pitboard, tmp_path: Path
) -> None:
    """The export of every season, loaded into a new SQLite file (loading into PostgreSQL is
    the fictional record's test, in the PostgreSQL run)."""
    need_nascar()
    nascar_db.run("db", "refresh-standings", check=True)
    out = tmp_path / "export"
    done = nascar_db.run("export", "--format", "parquet", "--out", str(out), check=True)
    assert "records_result" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["tables"]:
        data = (out / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
    (tmp_path / "copy").mkdir()
    copy = Pitboard(f"sqlite:///{tmp_path / 'copy' / 'pitboard.sqlite3'}", tmp_path / "copy")
    report = json.loads(copy.run("import", "dump", str(out), "--format", "json").stdout)
    assert report["differing"] == [] and report["seasons"] == 76 + 43 + 30
    assert copy.stats() == nascar_db.stats()
    assert _careers(copy) == _careers(nascar_db)
