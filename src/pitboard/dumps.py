"""``pitboard import dump DIR``: an export loaded into an empty database as the same record.

The dump is checked whole before anything is written: its manifest, every file's size and
SHA-256, and every record table's columns against this version's. The record's tables are then
loaded in one transaction with their ids (so links, pages and documents keep their numbers),
as one import run whose statements they all become; standings, tallies and milestones are
computed again by this version's rules, and compared with the standings the export held.

CSV exports are refused: CSV cannot tell an empty text from one a source did not state.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from pitboard.exports import CHUNK, digest, record_columns, record_models

LOADABLE = ("parquet", "json", "sqlite")
# Tables that may hold rows before a load: the schema's own, accounts and sign-in throttling.
_MAY_HOLD = ("auth_", "axes_", "django_", "officials_")


class DumpError(Exception):
    """Why a dump was not loaded (nothing was written)."""


@dataclass
class Loaded:
    run: int
    rows: dict[str, int]  # per record table
    seasons: int = 0  # whose standings were computed again
    differing: list[str] = field(default_factory=list)  # seasons whose standings differ


def load(folder: Path) -> Loaded:
    """Load the export in *folder* into this database, which must hold no record."""
    manifest = _manifest(folder)
    fmt = manifest.get("format")
    if fmt not in LOADABLE:
        raise DumpError(
            f"{folder / 'manifest.json'}: a {fmt} export cannot be loaded"
            f" (export as {', '.join(LOADABLE)}: CSV cannot tell an empty text from a missing one)"
        )
    entries = {entry["table"]: entry for entry in manifest["tables"]}
    _verify(folder, entries)
    models_ = record_models()
    for model in models_:
        _check_columns(folder, model, entries.get(model._meta.db_table))
    from pitboard.schema import migrate

    migrate(verbose=False)
    from pitboard.backup import holding

    held = holding(ignoring=_MAY_HOLD)
    if held:
        raise DumpError(
            f"this database holds records ({held}): load a dump into a new database or file"
            " (--database), so that nothing in it is lost"
        )
    run = _load(folder, fmt, entries, models_)
    return _computed(folder, fmt, entries, run)


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not folder.is_dir():
        raise DumpError(f"{folder}: no such folder")
    if not path.is_file():
        raise DumpError(f"{path}: no such file (is {folder} a folder `pitboard export` wrote?)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), list):
            raise ValueError("no list of tables")
        for entry in manifest["tables"]:
            for key in ("table", "file", "rows", "sha256", "bytes", "columns"):
                if key not in entry:
                    raise ValueError(f"table entry without {key!r}")
    except ValueError as exc:  # JSONDecodeError is one
        raise DumpError(f"{path}: not a pitboard manifest ({exc})") from exc
    return manifest


def _verify(folder: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Every file the manifest names is there, of its size and SHA-256 (each file read once)."""
    seen: set[str] = set()
    for entry in entries.values():
        name = str(entry["file"])
        path = folder / name
        if name in seen:
            continue
        seen.add(name)
        if Path(name).name != name or not path.is_file():
            raise DumpError(f"{path}: named in the manifest, but not in the folder")
        if path.stat().st_size != entry["bytes"]:
            raise DumpError(
                f"{path}: {path.stat().st_size} bytes, the manifest says {entry['bytes']}"
                " (cut short or changed since the export)"
            )
        if digest(path) != entry["sha256"]:
            raise DumpError(
                f"{path}: its SHA-256 is not the manifest's (damaged or changed since the export)"
            )


def _check_columns(folder: Path, model: type[models.Model], entry: dict[str, Any] | None) -> None:
    table = model._meta.db_table
    if entry is None:
        raise DumpError(
            f"{folder / 'manifest.json'}: no table {table} (exports made before `import dump`"
            " existed hold only the analysts' tables, which do not load)"
        )
    known = dict(record_columns(model))
    for column in entry["columns"]:
        name, kind = column["name"], column["type"]
        if name not in known:
            raise DumpError(
                f"{folder / entry['file']}: table {table}, column {name!r}: not a column of"
                " this pitboard (an export by a newer version?)"
            )
        if known[name] != kind:
            raise DumpError(
                f"{folder / entry['file']}: table {table}, column {name!r}: {kind}, expected"
                f" {known[name]}"
            )


def _load(
    folder: Path, fmt: str, entries: dict[str, dict[str, Any]], models_: list[type[models.Model]]
) -> Loaded:
    from pitboard.records.models import ImportRun, Season, Series
    from pitboard.records.services.audit import recorded

    counts: dict[str, int] = {}
    with transaction.atomic():
        run = recorded("dump", str(folder), user=None, channel=ImportRun.Channel.CLI, series=[])
        for model in models_:
            entry = entries[model._meta.db_table]
            counts[entry["table"]] = _insert(folder, fmt, entry, model, run.pk)
        _reset_sequences(models_)
        # Computed again below, by this version's rules.
        Season.objects.update(standings_stale=True)
        run.series.set(Series.objects.all())
        ImportRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), counts={"changed": True, "loaded": counts}
        )
    return Loaded(run.pk, counts)


def _insert(
    folder: Path, fmt: str, entry: dict[str, Any], model: type[models.Model], run_id: int
) -> int:
    """One table's rows, with their ids, through plain INSERTs (the ORM's bulk_create spent
    four times as long preparing the values); columns the dump lacks take their defaults."""
    kinds = {c["name"]: c["type"] for c in entry["columns"]}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prepare: dict[str, Callable[[Any], Any]] = {}
    for name, kind in kinds.items():
        convert = _reader(kind)
        if kind in ("int", "str", "float"):
            prepare[name] = convert
        else:  # as the backend stores it (dates as text on SQLite, JSON, decimals)
            prepare[name] = _stored(fields[name], convert)
    fixed = {
        name: run_id
        if name == "run_id"
        else field.get_db_prep_save(field.get_default(), connection)
        for name, field in fields.items()
        if name not in kinds
    }
    columns = [*kinds, *fixed]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))})"
        f" VALUES ({', '.join(['%s'] * len(columns))})"
    )
    extra = list(fixed.values())
    count = 0
    path = folder / entry["file"]
    with connection.cursor() as cursor:
        for chunk in _read(folder, fmt, entry):
            values = []
            for number, row in enumerate(chunk, start=count + 1):
                try:
                    values.append([prepare[n](row[n]) for n in kinds] + extra)
                except KeyError as exc:
                    raise DumpError(f"{path}: row {number}: no column {exc}") from exc
                except (ValueError, TypeError) as exc:
                    raise DumpError(f"{path}: row {number}: {exc}") from exc
            try:
                cursor.executemany(sql, values)
            except DatabaseError as exc:
                raise DumpError(
                    f"{path}: table {entry['table']}: the database refused a row of rows"
                    f" {count + 1}–{count + len(chunk)} ({str(exc).splitlines()[0]})"
                ) from exc
            count += len(chunk)
    if count != entry["rows"]:
        raise DumpError(
            f"{folder / entry['file']}: {count} rows of {entry['table']}, the manifest says"
            f" {entry['rows']}"
        )
    return count


def _stored(field: models.Field[Any, Any], convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: field.get_db_prep_save(convert(value), connection)


def _read(folder: Path, fmt: str, entry: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """The rows of one table of the dump, as dicts, a chunk at a time."""
    path = folder / entry["file"]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK):
            yield batch.to_pylist()
    elif fmt == "json":
        with path.open(encoding="utf-8") as file:
            chunk = []
            for number, line in enumerate(file, start=1):
                try:
                    chunk.append(json.loads(line))
                except ValueError as exc:
                    raise DumpError(f"{path}: line {number}: not JSON ({exc})") from exc
                if len(chunk) == CHUNK:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
    else:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            cursor = db.execute(f'SELECT * FROM "{entry["table"]}"')
            names = [d[0] for d in cursor.description]
            while rows := cursor.fetchmany(CHUNK):
                yield [dict(zip(names, row, strict=True)) for row in rows]
        finally:
            db.close()


def _reader(kind: str) -> Callable[[Any], Any]:
    """A value of *kind* as the model takes it, from what the format holds (native or text)."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if kind == "datetime":
            moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        if kind == "time" and isinstance(value, str):
            return dt.time.fromisoformat(value)
        if kind == "decimal":
            return Decimal(str(value))
        if kind == "json":
            return json.loads(value) if isinstance(value, str) else value
        if kind == "bool":
            return bool(value)
        return value

    return convert


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """PostgreSQL: each id sequence past the loaded ids (SQLite takes the next max + 1)."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


def _computed(folder: Path, fmt: str, entries: dict[str, dict[str, Any]], loaded: Loaded) -> Loaded:
    """Standings, tallies and milestones computed again; the final standings compared with the
    export's: a season differs where this version's rules or facts differ from the exporter's."""
    from pitboard.importers.base import analyze
    from pitboard.records.models import StandingRow
    from pitboard.records.services import versions
    from pitboard.records.services.standings import refresh_stale

    analyze()
    loaded.seasons = len(refresh_stale())
    versions.bump()
    exported: dict[tuple[str, int], list[tuple[int, str, int]]] = {}
    entry = entries.get("standings")
    if entry is not None:
        for chunk in _read(folder, fmt, entry):
            for row in chunk:
                key = (row["series"], int(row["season"]))
                exported.setdefault(key, []).append(
                    (int(row["position"]), row["driver_slug"], int(row["points"]))
                )
    final = StandingRow.objects.filter(
        after_round=models.Subquery(
            StandingRow.objects.filter(season=models.OuterRef("season"))
            .order_by("-after_round")
            .values("after_round")[:1]
        )
    ).values_list("season__series__slug", "season__year", "position", "driver__slug", "points")
    now: dict[tuple[str, int], list[tuple[int, str, int]]] = {}
    for slug, year, position, driver, points in final.iterator(chunk_size=CHUNK):
        now.setdefault((slug, year), []).append((position, driver, points))
    loaded.differing = [
        f"{slug} {year}"
        for slug, year in sorted(set(exported) | set(now))
        if sorted(exported.get((slug, year), [])) != sorted(now.get((slug, year), []))
    ]
    return loaded
