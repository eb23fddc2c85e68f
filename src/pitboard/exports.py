"""Exports of the record book: every table a user would want, as CSV, Parquet, JSON Lines or
one SQLite file, with a manifest of row counts, columns and SHA-256 per file.

Two kinds of table. For analysts, results, races, drivers, tracks, standings and sources with
names and slugs on every row. For `pitboard import dump`, the record's own tables as the
database holds them (``records_result``, ``records_resultstatement``, …): every source's
statements, keys and names, so that an export loads into an empty database as the same record.
Derived tables (standings, tallies, milestones) are computed again when it is loaded; import
runs, the change log, accounts, careers and news stay out (a backup holds them).

Rows are read through one cursor a chunk at a time (a server-side cursor on PostgreSQL) and
written as they come, so an export of tens of millions of results holds one chunk in memory.
Every column has a declared type, so each chunk is written with the same schema.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import operator
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from pitboard import __version__

FORMATS = ("csv", "parquet", "json", "sqlite")
_SUFFIX = {"csv": "csv", "parquet": "parquet", "json": "jsonl"}
CHUNK = 50_000

# (column, type): type is int, float, str, bool, date, datetime, time, decimal (written as
# text, exactly) or json (written as JSON text).
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


Chunks = Iterator[Sequence[tuple[Any, ...]]]


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, str]]
    read: Callable[[Sequence[str]], Chunks]  # the rows, of these series (none: all)
    sql: str = ""  # an analysts' table's query, with {where}


def _sql_table(name: str, columns: list[tuple[str, str]], sql: str) -> Table:
    """An analysts' table: *sql* with {where}, the series filter (a condition on s.slug)."""

    def read(series: Sequence[str]) -> Chunks:
        where, params = "1 = 1", []
        if series and name != "sources":
            where = f"s.slug IN ({', '.join(['%s'] * len(series))})"
            params = list(series) * sql.count("{where}")
        return _rows(sql.format(where=where), params)

    return Table(name, columns, read, sql)


ANALYST_TABLES = [
    _sql_table(
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
    _sql_table(
        "races",
        _RACE_COLUMNS,
        "SELECT r.id, s.slug, se.year, r.round, r.date, r.name, t.slug, t.name, r.surface,"
        " r.length_miles, r.scheduled_laps, r.car_count, r.cautions, r.lead_changes,"
        " r.average_speed, r.pole_speed FROM records_race r"
        + _SERIES_JOIN
        + " JOIN records_track t ON t.id = r.track_id WHERE {where} ORDER BY r.id",
    ),
    _sql_table(
        "drivers",
        _DRIVER_COLUMNS,
        "SELECT d.slug, p.name, p.birth_date, p.hometown, p.nationality, p.gender"
        " FROM records_driver d JOIN records_person p ON p.id = d.person_id"
        " WHERE d.id IN (SELECT x.driver_id FROM records_result x"
        " JOIN records_race r ON r.id = x.race_id" + _SERIES_JOIN + " WHERE {where})"
        " ORDER BY d.slug",
    ),
    _sql_table(
        "tracks",
        _TRACK_COLUMNS,
        "SELECT t.slug, t.name, t.layout, t.surface, t.length_miles, t.city, t.region,"
        " t.country, t.time_zone, t.opened, t.closed FROM records_track t"
        " WHERE t.id IN (SELECT r.track_id FROM records_race r" + _SERIES_JOIN + " WHERE {where})"
        " ORDER BY t.slug",
    ),
    _sql_table(
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
    _sql_table(
        "sources",
        _SOURCE_COLUMNS,
        "SELECT id, dataset, uri, sha256, retrieved_at, license, citation FROM records_source"
        " WHERE {where} ORDER BY id",
    ),
]


# The record's own tables, in the order they load (each after those it refers to).
RECORD_MODELS = (
    "Source", "SanctioningBody", "Series", "SeriesName", "Season", "Championship", "Track",
    "TrackName", "Person", "PersonAlias", "PersonStatement", "Driver", "SlugRedirect", "Team",
    "TeamAlias", "Manufacturer", "ManufacturerAlias", "Race", "RaceStatement",
    "ChampionshipRace", "Session", "SessionResult", "Result", "ResultStatement", "Penalty",
    "SourceKey",
)  # fmt: skip
_KINDS = {
    "AutoField": "int", "BigAutoField": "int", "IntegerField": "int", "BigIntegerField": "int",
    "SmallIntegerField": "int", "PositiveIntegerField": "int", "PositiveSmallIntegerField": "int",
    "PositiveBigIntegerField": "int", "FloatField": "float", "DecimalField": "decimal",
    "BooleanField": "bool", "CharField": "str", "TextField": "str", "SlugField": "str",
    "URLField": "str", "DateField": "date", "DateTimeField": "datetime", "TimeField": "time",
    "JSONField": "json",
}  # fmt: skip


def record_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [apps.get_model("records", name) for name in RECORD_MODELS]


def record_columns(model: type[models.Model]) -> list[tuple[str, str]]:
    """A record table's columns and their types: every concrete field but the import run that
    wrote the row (runs are not exported; a loaded dump's rows are its load's)."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.is_relation:
            if getattr(field.related_model, "__name__", "") == "ImportRun":
                continue
            columns.append((field.attname, "int"))
        else:
            columns.append((field.attname, _KINDS[field.get_internal_type()]))
    return columns


def _in_series(series: Sequence[str]) -> dict[str, models.QuerySet[Any]]:
    """Each record model's rows that belong to *series*: their own, and the people, teams,
    makes, tracks and keys those rows (or any source's statements about them) refer to."""
    from pitboard.records import models as m

    races = m.Race.objects.filter(season__series__slug__in=series)
    results = m.Result.objects.filter(race__season__series__slug__in=series)
    penalties = m.Penalty.objects.filter(season__series__slug__in=series)
    said = m.ResultStatement.objects.filter(result__race__season__series__slug__in=series)
    drivers = m.Driver.objects.filter(
        models.Q(pk__in=results.values("driver_id"))
        | models.Q(pk__in=m.SessionResult.objects.filter(session__race__in=races).values("driver"))
        | models.Q(pk__in=penalties.values("driver_id"))
    )
    teams = m.Team.objects.filter(
        models.Q(pk__in=results.values("team_id"))
        | models.Q(pk__in=said.values("team_id"))
        | models.Q(pk__in=penalties.values("team_id"))
    )
    people = m.Person.objects.filter(
        models.Q(pk__in=drivers.values("person_id")) | models.Q(pk__in=teams.values("owner_id"))
    )
    makes = m.Manufacturer.objects.filter(
        models.Q(pk__in=results.values("manufacturer_id"))
        | models.Q(pk__in=said.values("manufacturer_id"))
    )
    tracks = m.Track.objects.filter(
        models.Q(pk__in=races.values("track_id"))
        | models.Q(pk__in=m.RaceStatement.objects.filter(race__in=races).values("track_id"))
    )
    own = m.Series.objects.filter(slug__in=series)
    keyed = {
        "driver": drivers, "person": people, "team": teams, "track": tracks,
        "manufacturer": makes, "series": own, "race": races,
    }  # fmt: skip
    keys = reduce(
        operator.or_,
        (models.Q(kind=kind, object_id__in=rows.values("pk")) for kind, rows in keyed.items()),
    )
    return {
        "Source": m.Source.objects.all(),
        "SanctioningBody": m.SanctioningBody.objects.all(),
        "Series": own,
        "SeriesName": m.SeriesName.objects.filter(series__in=own),
        "Season": m.Season.objects.filter(series__in=own),
        "Championship": m.Championship.objects.filter(season__series__in=own),
        "Track": tracks,
        "TrackName": m.TrackName.objects.filter(track__in=tracks),
        "Person": people,
        "PersonAlias": m.PersonAlias.objects.filter(person__in=people),
        "PersonStatement": m.PersonStatement.objects.filter(person__in=people),
        "Driver": drivers,
        "SlugRedirect": m.SlugRedirect.objects.filter(driver__in=drivers),
        "Team": teams,
        "TeamAlias": m.TeamAlias.objects.filter(team__in=teams),
        "Manufacturer": makes,
        "ManufacturerAlias": m.ManufacturerAlias.objects.filter(manufacturer__in=makes),
        "Race": races,
        "RaceStatement": m.RaceStatement.objects.filter(race__in=races),
        "ChampionshipRace": m.ChampionshipRace.objects.filter(
            championship__season__series__in=own, race__in=races
        ),
        "Session": m.Session.objects.filter(race__in=races),
        "SessionResult": m.SessionResult.objects.filter(session__race__in=races),
        "Result": results,
        "ResultStatement": said,
        "Penalty": penalties,
        "SourceKey": m.SourceKey.objects.filter(keys),
    }


def _record_table(model: type[models.Model]) -> Table:
    columns = record_columns(model)

    def read(series: Sequence[str]) -> Chunks:
        rows = _in_series(series)[model.__name__] if series else model._default_manager.all()
        values = rows.order_by("pk").values_list(*(n for n, _ in columns))
        # Through the cursor, as the analysts' tables: the ORM's conversions of each value
        # tripled the time (the backend's own converters give dates, decimals and booleans).
        sql, params = values.query.sql_with_params()
        return _rows(sql, list(params))

    return Table(model._meta.db_table, columns, read)


def tables() -> list[Table]:
    """Every table an export writes: the analysts' first, then the record's own."""
    return ANALYST_TABLES + [_record_table(model) for model in record_models()]


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
    files: list[dict[str, Any]] = []
    with transaction.atomic():  # one consistent reading of every table
        if connection.vendor == "postgresql":  # (SQLite's reads share one snapshot already)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for table in tables():
            rows = table.read(series)
            path = out / ("pitboard.sqlite3" if fmt == "sqlite" else f"{table.name}.{_SUFFIX[fmt]}")
            count = _WRITERS[fmt](path, table, rows)
            files.append(
                {"table": table.name, "rows": count, "columns": table.columns, "file": path.name}
            )
    for entry in files:
        path = out / str(entry["file"])
        entry["sha256"], entry["bytes"] = digest(path), path.stat().st_size
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


@dataclass(frozen=True)
class Published:
    """An export offered for download: its folder's name, its manifest, its files."""

    name: str
    created: str
    fmt: str
    series: str
    version: str
    results: int  # rows of the results table
    files: list[dict[str, Any]]  # file, bytes, sha256, tables (names)

    @property
    def size(self) -> int:
        return sum(int(f["bytes"]) for f in self.files)

    @property
    def made(self) -> str:
        """When it was made, as people read it: "2026-12-04 14:39 UTC"."""
        try:
            moment = dt.datetime.fromisoformat(self.created).astimezone(dt.UTC)
        except ValueError:
            return self.created
        return f"{moment:%Y-%m-%d %H:%M} UTC"


def published(root: Path, limit: int = 10) -> list[Published]:
    """The *limit* newest exports in *root* (folders with a readable manifest), newest first."""
    found = [p for folder in (root.iterdir() if root.is_dir() else ()) if (p := _export_in(folder))]
    found.sort(key=lambda p: (p.created, p.name), reverse=True)
    return found[:limit]


def published_file(root: Path, name: str, file: str) -> Path | None:
    """The file *file* of the published export *name*, if its manifest lists it (or is it)."""
    if not root.is_dir() or name in ("", ".", "..") or "/" in name or "\\" in name:
        return None
    export = _export_in(root / name)
    if export is None or file not in {f["file"] for f in export.files} | {"manifest.json"}:
        return None
    path = root / name / file
    return path if path.is_file() else None


def _export_in(folder: Path) -> Published | None:
    """The export in *folder*, or None: not one, or one still being written (its manifest is
    written last)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = {}
        results = 0
        for entry in manifest["tables"]:
            item = files.setdefault(
                entry["file"],
                {"file": entry["file"], "bytes": entry["bytes"], "sha256": entry["sha256"]},
            )
            item.setdefault("tables", []).append(entry["table"])
            if entry["table"] == "results":
                results = int(entry["rows"])
        series = manifest["series"]
        return Published(
            folder.name,
            str(manifest["created"]),
            str(manifest["format"]),
            series if isinstance(series, str) else ", ".join(series),
            str(manifest.get("pitboard", "")),
            results,
            list(files.values()),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _rows(sql: str, params: list[Any]) -> Chunks:
    """The rows of *sql*, a chunk at a time (PostgreSQL: a server-side cursor)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def _text(kind: str) -> Callable[[Any], Any]:
    """How a value of *kind* is written in CSV, JSON and SQLite: dates and times in ISO 8601,
    decimals as their exact text, JSON as JSON text; floats of PostgreSQL's numeric as floats."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if kind in ("date", "datetime", "time"):
            return value.isoformat() if not isinstance(value, str) else value
        if kind == "decimal":
            return str(value)
        if kind == "float":
            return float(value)
        if kind == "json":
            return value if isinstance(value, str) else json.dumps(value)
        if kind == "bool":
            return bool(value)
        return value

    return convert


def _converted(table: Table, chunk: Sequence[tuple[Any, ...]]) -> list[list[Any]]:
    """*chunk* by column, each value as text formats hold it."""
    converts = [_text(kind) for _, kind in table.columns]
    return [[f(v) for f, v in zip(converts, row, strict=True)] for row in chunk]


def _write_csv(path: Path, table: Table, chunks: Chunks) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([n for n, _ in table.columns])
        for chunk in chunks:
            writer.writerows(_converted(table, chunk))
            count += len(chunk)
    return count


def _write_json(path: Path, table: Table, chunks: Chunks) -> int:
    names = [n for n, _ in table.columns]
    count = 0
    with path.open("w", encoding="utf-8") as file:
        for chunk in chunks:
            for row in _converted(table, chunk):
                file.write(json.dumps(dict(zip(names, row, strict=True))) + "\n")
            count += len(chunk)
    return count


def _write_parquet(path: Path, table: Table, chunks: Chunks) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_(),
        "date": pa.date32(), "datetime": pa.timestamp("us", tz="UTC"), "time": pa.time64("us"),
        "decimal": pa.string(), "json": pa.string(),
    }  # fmt: skip
    schema = pa.schema([(n, types[t]) for n, t in table.columns])
    native = {"int", "str", "bool", "date", "datetime", "time"}
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in chunks:
            columns = [
                list(column) if kind in native else [_text(kind)(v) for v in column]
                for column, (_, kind) in zip(zip(*chunk, strict=True), table.columns, strict=True)
            ]
            arrays = [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _write_sqlite(path: Path, table: Table, chunks: Chunks) -> int:
    types = {
        "int": "INTEGER", "float": "REAL", "str": "TEXT", "bool": "INTEGER", "date": "TEXT",
        "datetime": "TEXT", "time": "TEXT", "decimal": "TEXT", "json": "TEXT",
    }  # fmt: skip
    count = 0
    with sqlite3.connect(path) as db:
        columns = ", ".join(f'"{n}" {types[t]}' for n, t in table.columns)
        db.execute(f'CREATE TABLE "{table.name}" ({columns})')
        marks = ", ".join("?" * len(table.columns))
        for chunk in chunks:
            db.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', _converted(table, chunk))
            count += len(chunk)
    return count


_WRITERS = {
    "csv": _write_csv,
    "json": _write_json,
    "parquet": _write_parquet,
    "sqlite": _write_sqlite,
}


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            sha.update(block)
    return sha.hexdigest()
