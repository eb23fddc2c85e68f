"""Writing one source's statements and deriving the shown rows from every source's.

A source's file adds or corrects its own statements only. For each result or race it touches,
the shown row is derived again: field by field, the value of the dataset that ranks first
(``core.provenance``). A statement the file no longer makes is kept and reported unless the
import prunes; every change and removal is logged with the run, so ``import undo`` can restore it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from pitboard.core.provenance import Precedence, coalesce, merge, shipped_precedence
from pitboard.core.status import NOT_STARTED, implied
from pitboard.records.models import (
    Change,
    Person,
    PersonStatement,
    Race,
    RaceStatement,
    Result,
    ResultStatement,
)
from pitboard.records.services import bulk


@dataclass(frozen=True)
class Table:
    """A shown table and its statements: which fields they share and how a row is shown."""

    name: str  # Change.Table
    shown: str
    statements: str
    owner: str  # the statements' column naming the shown row
    fields: tuple[str, ...]
    normalize: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # as read → as the frame gives
    text: tuple[str, ...]  # shown as "" where no source said anything
    filled: tuple[str, ...]  # other fields that fill gives a value where no source did
    restate: Callable[[tuple[Any, ...], tuple[Any, ...] | None], tuple[Any, ...]] = coalesce
    # Whether the shown row exists only through its statements (a result, a race): without
    # any it goes. A person stays, with the fields no source states any more emptied.
    owned: bool = True
    # Whether the shown row names the statement it shows (source_id, source_row).
    cites: bool = True

    def fill(self, values: list[Any]) -> list[Any]:
        """One shown row's values where no source said anything (see ``fill_columns``)."""
        return [column[0] for column in fill_columns(self, [[v] for v in values])]


def fill_columns(table: Table, columns: list[list[Any]]) -> list[list[Any]]:
    """Shown values where no source said anything, over whole columns (in ``table.fields``
    order): "" for text, and the status class a finish implies (running, else did not start)."""
    out = [
        [v or "" for v in column] if name in table.text else column
        for name, column in zip(table.fields, columns, strict=True)
    ]
    if "status_class" in table.filled:
        status, finish = table.fields.index("status_class"), table.fields.index("finish")
        out[status] = [
            given if given is not None else implied(done).value
            for given, done in zip(columns[status], columns[finish], strict=True)
        ]
    return out


def _restate_result(new: tuple[Any, ...], old: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """A source's new statement of a result over its old one: what it leaves out is kept,
    except that a car it now says did not start (or qualify) has no finish any more."""
    out = coalesce(new, old)
    status, finish = RESULT_FIELDS.index("status_class"), RESULT_FIELDS.index("finish")
    if old is not None and new[finish] is None and new[status] in NOT_STARTED:
        out = (*out[:finish], None, *out[finish + 1 :])
    return out


RESULT_FIELDS = (
    "car_number",
    "team_id",
    "manufacturer_id",
    "sponsor",
    "start",
    "finish",
    "laps",
    "laps_led",
    "status_text",
    "status_class",
    "stage_finishes",
    "points",
    "stage_points",
    "rating",
    "prize_money",
)
RACE_FIELDS = (
    "track_id",
    "name",
    "date",
    "scheduled_laps",
    "length_miles",
    "surface",
    "car_count",
    "cautions",
    "lead_changes",
    "average_speed",
    "pole_speed",
)
# What a schedule tells of a race beyond its place and date (the writer frame's columns).
RACE_FACTS = RACE_FIELDS[RACE_FIELDS.index("car_count") :]
STAGES = RESULT_FIELDS.index("stage_finishes")
MONEY = RESULT_FIELDS.index("prize_money")
DATE = RACE_FIELDS.index("date")


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def normalize_result(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A result as read from the database, in the form the frame gives (JSON text, Decimal)."""
    stages, cash = values[STAGES], values[MONEY]
    if (stages is None or isinstance(stages, str)) and cash is None:
        return values
    row = list(values)
    if stages is not None and not isinstance(stages, str):
        row[STAGES] = json.dumps(stages)
    if cash is not None:
        row[MONEY] = money(cash)
    return tuple(row)


def normalize_race(values: tuple[Any, ...]) -> tuple[Any, ...]:
    day = values[DATE]
    if isinstance(day, str):
        row = list(values)
        row[DATE] = dt.date.fromisoformat(day[:10])
        return tuple(row)
    if isinstance(day, dt.datetime):
        row = list(values)
        row[DATE] = day.date()
        return tuple(row)
    return values


RESULTS = Table(
    Change.Table.RESULT,
    Result._meta.db_table,
    ResultStatement._meta.db_table,
    "result_id",
    RESULT_FIELDS,
    normalize_result,
    ("car_number", "sponsor", "status_text"),
    ("status_class",),
    _restate_result,
)
RACES = Table(
    Change.Table.RACE,
    Race._meta.db_table,
    RaceStatement._meta.db_table,
    "race_id",
    RACE_FIELDS,
    normalize_race,
    ("name", "surface"),
    (),
)
PERSON_FIELDS = ("nationality",)
PEOPLE = Table(
    Change.Table.PERSON,
    Person._meta.db_table,
    PersonStatement._meta.db_table,
    "person_id",
    PERSON_FIELDS,
    lambda values: values,
    ("nationality",),
    (),
    owned=False,
    cites=False,
)


@cache
def precedence() -> Precedence:
    return shipped_precedence()


@dataclass(slots=True)
class Stated:
    """A statement as stored."""

    id: int
    dataset: str
    values: tuple[Any, ...]
    source_id: int | None
    source_row: int | None
    run_id: int | None


@dataclass
class Written:
    """What writing one dataset's statements did, by fate."""

    counts: Counter[str] = field(default_factory=Counter)
    changed_owners: set[int] = field(default_factory=set)  # shown rows whose values changed
    removed_owners: set[int] = field(default_factory=set)  # shown rows deleted: no source left
    stale: list[int] = field(default_factory=list)  # owners the dataset no longer states


def load(table: Table, owners: Iterable[int]) -> dict[int, list[Stated]]:
    """Every statement about *owners*, by owner."""
    found: dict[int, list[Stated]] = {}
    ids = sorted(set(owners))
    columns = bulk.quoted(table.fields)
    for chunk in bulk.chunks(ids):
        marks = ", ".join(["%s"] * len(chunk))
        for pk, owner, dataset, source_id, source_row, run_id, *values in bulk.select_rows(
            f"SELECT id, {table.owner}, dataset, source_id, source_row, run_id, {columns} "
            f"FROM {table.statements} WHERE {table.owner} IN ({marks})",
            chunk,
        ):
            found.setdefault(owner, []).append(
                Stated(pk, dataset, table.normalize(tuple(values)), source_id, source_row, run_id)
            )
    return found


def shown_rows(table: Table, owners: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    ids = sorted(set(owners))
    found: dict[int, tuple[Any, ...]] = {}
    for chunk in bulk.chunks(ids):
        marks = ", ".join(["%s"] * len(chunk))
        for pk, *values in bulk.select_rows(
            f"SELECT id, {bulk.quoted(table.fields)} FROM {table.shown} WHERE id IN ({marks})",
            chunk,
        ):
            found[pk] = table.normalize(tuple(values))
    return found


def model_fields(values: Sequence[Any]) -> dict[str, Any]:
    """A result's shown values (``RESULT_FIELDS`` order, as the frame gives them) as the
    keyword arguments that create its ``Result`` row."""
    fields = dict(zip(RESULT_FIELDS, values, strict=True))
    if isinstance(fields["stage_finishes"], str):
        fields["stage_finishes"] = json.loads(fields["stage_finishes"])
    return fields


def derive(table: Table, statements: Sequence[Stated]) -> tuple[tuple[Any, ...], Stated]:
    """The shown values from *statements*, and the statement of the first-ranked dataset."""
    merged, _ = merge(table.fields, [(s.dataset, s.values) for s in statements], precedence())
    lead = min(statements, key=lambda s: precedence().rank(s.dataset, table.fields[0]))
    return tuple(table.fill(merged)), lead


def write(
    table: Table,
    dataset: str,
    source_id: int,
    run_id: int | None,
    stated: Mapping[int, tuple[tuple[Any, ...], int | None]],
    *,
    fresh: Iterable[int] = (),
) -> Written:
    """Write *dataset*'s statements (owner → (values, source row)) and derive the shown rows.

    *fresh* shown rows were just written from this very statement: it is copied from them.
    What the dataset no longer states is settled once its races are written whole (``missing``).
    """
    out = Written()
    new_rows = set(fresh)
    existing = load(table, set(stated) - new_rows)
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    logs: list[Change] = []
    touched: set[int] = set()
    copied: list[int] = []
    for owner, (values, row) in stated.items():
        if owner in new_rows and owner not in existing:
            copied.append(owner)  # the new shown row holds exactly this statement: copy it
            continue
        mine = next((s for s in existing.get(owner, ()) if s.dataset == dataset), None)
        if mine is not None and values == mine.values:
            out.counts["unchanged"] += 1  # the common case of a re-import: nothing to work out
            continue
        new = table.restate(values, mine.values if mine else None)
        if mine is None:
            inserts.append((owner, dataset, source_id, row, run_id, *new))
            existing.setdefault(owner, []).append(Stated(0, dataset, new, source_id, row, run_id))
            out.counts["inserted"] += 1
            if len(existing[owner]) > 1:
                out.counts["joined"] += 1
            touched.add(owner)
        elif new != mine.values:
            if run_id is not None:
                logs.append(_log(table, run_id, Change.Action.CHANGED, owner, mine))
            updates.append((source_id, row, run_id, *new, mine.id))
            mine.values, mine.source_id, mine.source_row, mine.run_id = new, source_id, row, run_id
            out.counts["updated"] += 1
            touched.add(owner)
        else:
            out.counts["unchanged"] += 1
    bulk.insert_rows(
        table.statements,
        (table.owner, "dataset", "source_id", "source_row", "run_id", *table.fields),
        inserts,
    )
    bulk.update_rows(
        table.statements, ("source_id", "source_row", "run_id", *table.fields), updates
    )
    if logs:
        Change.objects.bulk_create(logs, batch_size=2000)
    _copy_shown(table, dataset, run_id, copied, stated)
    out.counts["inserted"] += len(copied)
    rederive(table, {o: existing.get(o, []) for o in touched}, out)
    return out


def missing(
    table: Table,
    dataset: str,
    run_id: int | None,
    scope: Iterable[int],
    stated: set[int],
    *,
    prune: bool,
    keys: Mapping[int, Any] | None = None,
) -> Written:
    """This dataset's statements about *scope* (every shown row the file speaks for: the results
    of the races it lists) that the file no longer made: kept and counted, or removed with
    *prune*. *keys* (owner → natural key) go into the log of a removal, so that an undo can put
    back a shown row that went with its last statement."""
    out = Written()
    candidates = sorted(set(scope) - stated)
    existing = load(table, candidates)
    logs: list[Change] = []
    removals: list[int] = []
    touched: dict[int, list[Stated]] = {}
    for owner in candidates:
        mine = next((s for s in existing.get(owner, ()) if s.dataset == dataset), None)
        if mine is None:
            continue
        out.stale.append(owner)
        if prune and run_id is not None:
            key = keys.get(owner) if keys else None
            logs.append(_log(table, run_id, Change.Action.REMOVED, owner, mine, key))
            removals.append(mine.id)
            existing[owner].remove(mine)
            touched[owner] = existing[owner]
    out.counts["removed" if prune else "kept"] += len(out.stale)
    bulk.delete_ids(table.statements, removals)
    if logs:
        Change.objects.bulk_create(logs, batch_size=2000)
    rederive(table, touched, out)
    return out


def _copy_shown(
    table: Table,
    dataset: str,
    run_id: int | None,
    owners: list[int],
    stated: Mapping[int, tuple[tuple[Any, ...], int | None]],
) -> None:
    """Statements of shown rows written just now from them, copied in SQL (no row by row)."""
    if not owners:
        return
    columns = ", ".join(
        f"NULLIF({bulk.quoted([f])}, '')" if f in table.text else bulk.quoted([f])
        for f in table.fields
    )
    sql = (
        f"INSERT INTO {table.statements} ({table.owner}, dataset, source_id, source_row, run_id, "
        f"{bulk.quoted(table.fields)}) "
        f"SELECT id, %s, source_id, source_row, CAST(%s AS BIGINT), {columns} "
        f"FROM {table.shown} WHERE "
    )
    for where, params in bulk.id_filters("id", owners):
        bulk.execute(sql + where, [dataset, run_id, *params])
    # What the shown row filled in where the source said nothing is not the source's statement.
    for name in table.filled:
        i = table.fields.index(name)
        unstated = [o for o in owners if stated[o][0][i] is None]
        for where, params in bulk.id_filters(table.owner, unstated):
            bulk.execute(
                f"UPDATE {table.statements} SET {bulk.quoted([name])} = NULL WHERE {where}",
                params,
            )


def rederive_stored(table: Table, owners: Iterable[int]) -> Written:
    """Derive these owners' shown rows again from the statements stored about them."""
    ids = set(owners)
    said = load(table, ids)
    out = Written()
    rederive(table, {o: said.get(o, []) for o in ids}, out)
    return out


def rederive(table: Table, statements: Mapping[int, Sequence[Stated]], out: Written) -> None:
    """Bring the shown rows of these owners in line with their statements."""
    shown = shown_rows(table, statements)
    updates: list[tuple[Any, ...]] = []
    gone: list[int] = []
    cited = ("source_id", "source_row") if table.cites else ()
    unstated = tuple(table.fill([None] * len(table.fields)))
    for owner, said in statements.items():
        if not said and table.owned:
            if owner in shown:
                gone.append(owner)
            continue
        if said:
            values, lead = derive(table, said)
            cite = (lead.source_id, lead.source_row)
        else:
            values, cite = unstated, (None, None)
        if shown.get(owner) != values:
            updates.append((*values, *cite[: len(cited)], owner))
            out.changed_owners.add(owner)
    bulk.update_rows(table.shown, (*table.fields, *cited), updates)
    bulk.delete_ids(table.shown, gone)
    out.removed_owners.update(gone)


def _log(table: Table, run_id: int, action: str, owner: int, s: Stated, key: Any = None) -> Change:
    before = {
        "owner": owner,
        "key": key,
        "dataset": s.dataset,
        "source_id": s.source_id,
        "source_row": s.source_row,
        "run_id": s.run_id,
        "values": [_jsonable(v) for v in s.values],
    }
    return Change(run_id=run_id, table=table.name, action=action, statement_id=s.id, before=before)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
