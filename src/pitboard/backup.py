"""Backups of the whole database, taken while the site serves, and restored into an empty one.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the pages under a read
transaction, so readers and the writer go on; the copy is one self-contained file. PostgreSQL:
``pg_dump`` in its custom format (one consistent snapshot) and ``pg_restore`` in a single
transaction; both must be on the PATH, of a version that reads the server's.

A backup never overwrites a file, and a restore never writes over data: its database must be
new or hold nothing but an empty schema. A backup of an older pitboard is brought up to date
by the migrations after it is restored.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"
# Tables the migrations and `pitboard init` fill by themselves: rows there are not data.
_SCHEMA_TABLES = (
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "records_dataversion",
)


class BackupError(Exception):
    """Why a backup or a restore was refused or failed (nothing was written)."""


@dataclass(frozen=True)
class Done:
    path: Path
    size: int  # bytes
    backend: str  # sqlite, postgresql


def backup(target: Path) -> Done:
    """Copy the database to *target*, a new file; written whole or not at all."""
    if target.exists():
        raise BackupError(f"{target}: already exists (a backup never overwrites a file)")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder")
    partial = target.with_name(f".{target.name}.partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_copy(Path(str(connection.settings_dict["NAME"])), partial)
        else:
            _run("pg_dump", "--format=custom", "--no-owner", "--file", str(partial))
        os.link(partial, target)  # fails rather than replace a file made meanwhile
    except FileExistsError as exc:
        raise BackupError(f"{target}: already exists (a backup never overwrites a file)") from exc
    finally:
        partial.unlink(missing_ok=True)
    return Done(target, target.stat().st_size, connection.vendor)


def restore(source: Path) -> Done:
    """Load the backup *source* into this database, which must hold no data."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = ""
    if head == SQLITE_MAGIC:
        kind = "sqlite"
    elif head.startswith(POSTGRES_MAGIC):
        kind = "postgresql"
    if kind != connection.vendor:
        what = {"sqlite": "a SQLite backup", "postgresql": "a PostgreSQL backup"}.get(kind)
        raise BackupError(
            f"{source}: {what or 'not a pitboard backup'}; this database is {connection.vendor}"
            + (" (restore it into a database of its kind)" if what else "")
        )
    held = holding()
    if held:
        raise BackupError(
            f"this database holds data ({held}): restore into a new database or file"
            " (--database) so that nothing in it is lost"
        )
    if kind == "sqlite":
        _check_sqlite(source)
        name = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        _sqlite_copy(source, name)
    else:
        _empty_schema()
        connection.close()
        try:
            _run("pg_restore", "--no-owner", "--single-transaction", "--exit-on-error", str(source))
        except BackupError:
            _migrate()  # the empty schema back, as it was
            raise
    _migrate()
    return Done(source, source.stat().st_size, kind)


def _migrate() -> None:
    from pitboard.schema import migrate

    migrate(verbose=False)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page through SQLite's backup API; the copy is left as one file (no WAL)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            (ok,) = dst.execute("PRAGMA quick_check").fetchone()
            if ok != "ok":
                raise BackupError(f"the copy failed SQLite's check: {ok}")
        finally:
            dst.close()
    finally:
        src.close()


def _check_sqlite(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            found = db.execute(
                "SELECT COUNT(*) FROM sqlite_master"
                " WHERE name IN ('django_migrations', 'records_result')"
            ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source}: not a readable SQLite file ({exc})") from exc
    if found != 2:
        raise BackupError(f"{source}: a SQLite file, but not a pitboard database")


def holding(ignoring: tuple[str, ...] = ()) -> str:
    """What data the database holds ("records_result, news_article"), or "": tables whose
    names start with one of *ignoring* do not count."""
    tables = [
        t
        for t in connection.introspection.table_names()
        if t not in _SCHEMA_TABLES and not t.startswith(ignoring)
    ]
    with connection.cursor() as cursor:
        full = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    return ", ".join(full[:5]) + (f" and {len(full) - 5} more" if len(full) > 5 else "")


def _empty_schema() -> None:
    """Drop the empty tables a ``pitboard init`` made, for pg_restore to create them."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def _run(program: str, *args: str) -> None:
    """*program* (pg_dump or pg_restore) on this database, its connection in the environment."""
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not on the PATH (install PostgreSQL's client programs)")
    config = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(config["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[variable] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    target = ("--dbname", str(config["NAME"])) if program == "pg_restore" else ()
    done = subprocess.run([program, *target, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-2000:]}")
