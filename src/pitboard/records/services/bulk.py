"""Fast set-based writes for imports: COPY on PostgreSQL, multi-row INSERTs on SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

from django.db import connection

CHUNK = 20_000
ROWS_PER_INSERT = 1_000  # rows in one SQLite INSERT … VALUES statement, at most


IN_LIST = 900  # values in one SQL IN (…) list: under SQLite's limit on bound parameters


def chunks(values: Sequence[Any], size: int = IN_LIST) -> Iterator[Sequence[Any]]:
    """*values* in slices small enough for one IN (…) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def id_filters(column: str, ids: Iterable[int]) -> Iterator[tuple[str, list[int]]]:
    """SQL conditions (with their parameters) that together select exactly *ids*: a BETWEEN
    per run of consecutive ids (rows inserted together have them), IN (…) lists for the rest."""
    name = connection.ops.quote_name(column)
    single: list[int] = []
    ordered = sorted(set(ids))
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            yield f"{name} BETWEEN %s AND %s", [ordered[start], ordered[end]]
        else:
            single.extend(ordered[start : end + 1])
        start = end + 1
    for chunk in chunks(single):
        yield f"{name} IN ({', '.join(['%s'] * len(chunk))})", list(chunk)


def quoted(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert *rows* into *table*; *progress* is told how many rows each chunk wrote."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {connection.ops.quote_name(table)} ({quoted(columns)}) FROM STDIN"
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                with cursor.cursor.copy(sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
                if progress:
                    progress(len(chunk))
            return
        # Many rows per INSERT statement: SQLite runs a statement's fixed work (AUTOINCREMENT's
        # sqlite_sequence read and write, the statement's set-up) once for all of them, which
        # takes a third off the NASCAR results insert against executemany's one row per run.
        # The statement is bound by the sqlite3 module itself: Django's cursor would rewrite
        # every one of its thousands of placeholders on every call.
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(ROWS_PER_INSERT, limit // max(1, len(columns))))
        head = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted(columns)}) VALUES "
        one = "(" + ", ".join(["?"] * len(columns)) + ")"
        full = head + ", ".join([one] * per)
        raw = cursor.cursor
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            for first in range(0, len(chunk), per):
                part = chunk[first : first + per]
                sql = full if len(part) == per else head + ", ".join([one] * len(part))
                with connection.wrap_database_errors:
                    sqlite3.Cursor.execute(raw, sql, list(chain.from_iterable(part)))
            if progress:
                progress(len(chunk))


def update_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Update rows by id: each row is the new values of *columns* followed by the id."""
    if not rows:
        return
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {connection.ops.quote_name(table)} SET {sets} WHERE id = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def delete_ids(table: str, ids: Sequence[int]) -> None:
    if not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(table)} WHERE id IN ({marks})", chunk
            )


def execute(sql: str, params: Sequence[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def select_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert_with_ids(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    key: Sequence[str],
) -> dict[Any, int]:
    """Insert *rows* and return the new ids by *key* (columns whose values the rows don't share)."""
    if not rows:
        return {}
    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # COPY into a scratch table, then one INSERT … SELECT … RETURNING: each row gets its id
        # exactly, whatever else is writing, at the speed of COPY (not a statement per row).
        ids: dict[Any, int] = {}
        # The scratch table lives until the end of the transaction at most; a failed insert
        # aborts the transaction and is reported as it is (no clean-up statement hides it).
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pitboard_bulk")
            cursor.execute(
                f"CREATE TEMPORARY TABLE pitboard_bulk ON COMMIT DROP AS "
                f"SELECT {quoted(columns)} FROM {name} WITH NO DATA"
            )
            insert_rows("pitboard_bulk", columns, rows)
            cursor.execute(
                f"INSERT INTO {name} ({quoted(columns)}) SELECT {quoted(columns)} "
                f"FROM pitboard_bulk RETURNING id, {quoted(key)}"
            )
            for pk, *values in cursor.fetchall():
                ids[tuple(values) if len(key) > 1 else values[0]] = pk
            cursor.execute("DROP TABLE pitboard_bulk")
        return ids
    # SQLite: the import holds the only write lock (transactions begin IMMEDIATE) and ids are
    # AUTOINCREMENT, so the new rows are those above the highest id before the insert, in the
    # order they were inserted.
    positions = [list(columns).index(k) for k in key]
    highest = select_rows(f"SELECT COALESCE(MAX(id), 0) FROM {name}")[0][0]
    insert_rows(table, columns, rows)
    found = select_rows(f"SELECT id FROM {name} WHERE id > %s ORDER BY id", [highest])
    if len(found) != len(rows):
        raise RuntimeError(f"{table}: {len(rows)} rows inserted, {len(found)} found")
    if len(positions) == 1:
        (only,) = positions
        return {row[only]: pk for (pk,), row in zip(found, rows, strict=True)}
    return {tuple(row[p] for p in positions): pk for (pk,), row in zip(found, rows, strict=True)}
