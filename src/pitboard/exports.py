"""Exports of the record book for analysts: every table a user would want, as CSV, Parquet,
JSON Lines or one SQLite file, with a manifest of row counts, columns and SHA-256 per file.

Rows are read through one cursor a chunk at a time (a server-side cursor on PostgreSQL) and
written as they come, so an export of tens of millions of results holds one chunk in memory.
Every column has a declared type, so each chunk is written with the same schema.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from pitboard import __version__

FORMATS = ("csv", "parquet", "json", "sqlite")
_SUFFIX = {"csv": "csv", "parquet": "parquet", "json": "jsonl"}
CHUNK = 50_000

# (column, type): type is int, float, str, date or datetime.
_RESULT_COLUMNS = [
    ("id", "int"), ("series", "str"), ("season", "int"), ("round", "int"), ("date", "date"),
    ("race", "str"), ("track_slug", "str"), ("track", "str"), ("driver_slug", "str"),
    ("driver", "str"), ("entry", "int"), ("car_number", "str"), ("team", "str"), ("make", "str"),
    ("start", "int"), ("finish", "int"), ("laps", "int"), ("laps_led", "int"), ("status", "str"),
    ("status_class", "str"), ("points", "int"), ("stage_points", "int"), ("rating", "float"),
    ("prize_money", "float"), ("source", "str"),
]  # fmt: skip
_RACE_COLUMNS = [
    ("id", "int"), ("series", "str"), ("season", "int"), ("round", "int"),
    ("date", "date"), ("name", "str"), ("track_slug", "str"), ("track", "str"),
    ("surface", "str"), ("length_miles", "float"), ("scheduled_laps", "int"),
    ("car_count", "int"), ("cautions", "int"), ("lead_changes", "int"),
    ("average_speed", "float"), ("pole_speed", "float"),
]  # fmt: skip
_DRIVER_COLUMNS = [
    ("slug", "str"), ("name", "str"), ("birth_date", "date"), ("hometown", "str"),
    ("nationality", "str"), ("gender", "str"),
]  # fmt: skip
_TRACK_COLUMNS = [
    ("slug", "str"), ("name", "str"), ("layout", "str"), ("surface", "str"),
    ("length_miles", "float"), ("city", "str"), ("region", "str"), ("country", "str"),
    ("time_zone", "str"), ("opened", "int"), ("closed", "int"),
]  # fmt: skip
_STANDING_COLUMNS = [
    ("series", "str"), ("season", "int"), ("after_round", "int"), ("position", "int"),
    ("driver_slug", "str"), ("driver", "str"), ("points", "int"), ("wins", "int"),
    ("top5", "int"), ("top10", "int"), ("starts", "int"), ("seed", "int"),
    ("eliminated_in", "str"), ("source", "str"), ("rules", "str"),
]  # fmt: skip
_SOURCE_COLUMNS = [
    ("id", "int"), ("dataset", "str"), ("uri", "str"), ("sha256", "str"),
    ("retrieved_at", "datetime"), ("license", "str"), ("citation", "str"),
]  # fmt: skip
_SERIES_JOIN = (
    " JOIN records_season se ON se.id = r.season_id JOIN records_series s ON s.id = se.series_id"
)


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, str]]
    sql: str  # with {where}: the series filter (a condition on s.slug), or 1 = 1


TABLES = [
    Table(
        "results",
        _RESULT_COLUMNS,
        "SELECT x.id, s.slug, se.year, r.round, r.date, r.name, t.slug, t.name, d.slug, p.name,"
        " x.entry, x.car_number, tm.name, m.name, x.start, x.finish, x.laps, x.laps_led,"
        " x.status_text, x.status_class, x.points, x.stage_points, x.rating, x.prize_money,"
        " src.dataset FROM records_result x JOIN records_race r ON r.id = x.race_id"
        + _SERIES_JOIN
        + " JOIN records_track t ON t.id = r.track_id"
        " JOIN records_driver d ON d.id = x.driver_id JOIN records_person p ON p.id = d.person_id"
        " LEFT JOIN records_team tm ON tm.id = x.team_id"
        " LEFT JOIN records_manufacturer m ON m.id = x.manufacturer_id"
        " LEFT JOIN records_source src ON src.id = x.source_id"
        " WHERE {where} ORDER BY x.id",
    ),
    Table(
        "races",
        _RACE_COLUMNS,
        "SELECT r.id, s.slug, se.year, r.round, r.date, r.name, t.slug, t.name, r.surface,"
        " r.length_miles, r.scheduled_laps, r.car_count, r.cautions, r.lead_changes,"
        " r.average_speed, r.pole_speed FROM records_race r"
        + _SERIES_JOIN
        + " JOIN records_track t ON t.id = r.track_id WHERE {where} ORDER BY r.id",
    ),
    Table(
        "drivers",
        _DRIVER_COLUMNS,
        "SELECT d.slug, p.name, p.birth_date, p.hometown, p.nationality, p.gender"
        " FROM records_driver d JOIN records_person p ON p.id = d.person_id"
        " WHERE d.id IN (SELECT x.driver_id FROM records_result x"
        " JOIN records_race r ON r.id = x.race_id" + _SERIES_JOIN + " WHERE {where})"
        " ORDER BY d.slug",
    ),
    Table(
        "tracks",
        _TRACK_COLUMNS,
        "SELECT t.slug, t.name, t.layout, t.surface, t.length_miles, t.city, t.region,"
        " t.country, t.time_zone, t.opened, t.closed FROM records_track t"
        " WHERE t.id IN (SELECT r.track_id FROM records_race r" + _SERIES_JOIN + " WHERE {where})"
        " ORDER BY t.slug",
    ),
    Table(
        "standings",
        _STANDING_COLUMNS,
        "SELECT s.slug, se.year, sr.after_round, sr.position, d.slug, p.name, sr.points,"
        " sr.wins, sr.top5, sr.top10, sr.starts, sr.seed, sr.eliminated_in, sr.source, sr.rules"
        " FROM records_standingrow sr JOIN records_season se ON se.id = sr.season_id"
        " JOIN records_series s ON s.id = se.series_id"
        " JOIN records_driver d ON d.id = sr.driver_id JOIN records_person p ON p.id = d.person_id"
        " WHERE {where} AND sr.after_round = (SELECT MAX(l.after_round)"
        " FROM records_standingrow l WHERE l.season_id = sr.season_id)"
        " ORDER BY s.slug, se.year, sr.position",
    ),
    Table(
        "sources",
        _SOURCE_COLUMNS,
        "SELECT id, dataset, uri, sha256, retrieved_at, license, citation FROM records_source"
        " WHERE {where} ORDER BY id",
    ),
]


class ExportError(Exception):
    """Why nothing was exported."""


def export(fmt: str, out: Path, series: Sequence[str] = ()) -> dict[str, Any]:
    """Write every table to *out* (a new or empty folder) in *fmt*, and ``manifest.json``;
    returns the manifest."""
    if fmt not in FORMATS:
        raise ExportError(f"no format {fmt!r} ({', '.join(FORMATS)})")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: not an empty folder (an export never overwrites a file)")
    from pitboard.records.models import Series

    known = set(Series.objects.values_list("slug", flat=True))
    unknown = sorted(set(series) - known)
    if unknown:
        raise ExportError(f"no series {', '.join(unknown)} (there are: {', '.join(sorted(known))})")
    out.mkdir(parents=True, exist_ok=True)
    files = []
    with transaction.atomic():  # one consistent reading of every table
        for table in TABLES:
            where, params = "1 = 1", []
            if series and table.name != "sources":
                where, params = f"s.slug IN ({', '.join(['%s'] * len(series))})", list(series)
            rows = _rows(table.sql.format(where=where), params)
            path = out / ("pitboard.sqlite3" if fmt == "sqlite" else f"{table.name}.{_SUFFIX[fmt]}")
            count = _WRITERS[fmt](path, table, rows)
            files.append(
                {"table": table.name, "rows": count, "columns": table.columns, "file": path.name}
            )
    for entry in files:
        path = out / str(entry["file"])
        entry["sha256"], entry["bytes"] = _digest(path), path.stat().st_size
    manifest = {
        "pitboard": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "format": fmt,
        "series": sorted(series) or "all",
        "tables": [
            {**e, "columns": [{"name": n, "type": t} for n, t in e["columns"]]} for e in files
        ],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _rows(sql: str, params: list[Any]) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The rows of *sql*, a chunk at a time (PostgreSQL: a server-side cursor)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def _iso(value: Any) -> Any:
    """A value as text formats hold it: dates in ISO 8601, decimals (PostgreSQL's money) as
    floats."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return float(value) if isinstance(value, Decimal) else value


def _write_csv(path: Path, table: Table, chunks: Iterator[Sequence[tuple[Any, ...]]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([n for n, _ in table.columns])
        for chunk in chunks:
            writer.writerows([[_iso(v) for v in row] for row in chunk])
            count += len(chunk)
    return count


def _write_json(path: Path, table: Table, chunks: Iterator[Sequence[tuple[Any, ...]]]) -> int:
    names = [n for n, _ in table.columns]
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for chunk in chunks:
            for row in chunk:
                file.write(json.dumps(dict(zip(names, map(_iso, row), strict=True))) + "\n")
            count += len(chunk)
    return count


def _write_parquet(path: Path, table: Table, chunks: Iterator[Sequence[tuple[Any, ...]]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "int": pa.int64(), "float": pa.float64(), "str": pa.string(), "date": pa.date32(),
        "datetime": pa.timestamp("us", tz="UTC"),
    }  # fmt: skip
    schema = pa.schema([(n, types[t]) for n, t in table.columns])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in chunks:
            columns = [
                [float(v) if isinstance(v, Decimal) else v for v in column]
                if kind == "float"
                else column
                for column, (_, kind) in zip(zip(*chunk, strict=True), table.columns, strict=True)
            ]
            arrays = [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _write_sqlite(path: Path, table: Table, chunks: Iterator[Sequence[tuple[Any, ...]]]) -> int:
    types = {"int": "INTEGER", "float": "REAL", "str": "TEXT", "date": "TEXT", "datetime": "TEXT"}
    count = 0
    with sqlite3.connect(path) as db:
        columns = ", ".join(f'"{n}" {types[t]}' for n, t in table.columns)
        db.execute(f'CREATE TABLE "{table.name}" ({columns})')
        marks = ", ".join("?" * len(table.columns))
        for chunk in chunks:
            db.executemany(
                f'INSERT INTO "{table.name}" VALUES ({marks})',
                [[_iso(v) for v in row] for row in chunk],
            )
            count += len(chunk)
    return count


_WRITERS = {
    "csv": _write_csv,
    "json": _write_json,
    "parquet": _write_parquet,
    "sqlite": _write_sqlite,
}


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()
