"""A new SQLite database gets its schema in one step (``pitboard/schema.py``): it must be the
schema that replaying every migration builds, and the migrations must be complete."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import Pitboard


def django_admin(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PITBOARD_DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "pitboard.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def shape(path: Path) -> dict[str, Any]:
    """Everything the schema decides, table by table, whatever order columns were added in."""
    conn = sqlite3.connect(path)
    tables: dict[str, Any] = {}
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ):
        columns = sorted(row[1:] for row in conn.execute(f'PRAGMA table_info("{name}")'))
        keys = sorted(row[2:] for row in conn.execute(f'PRAGMA foreign_key_list("{name}")'))
        indexes = sorted(
            (
                "implicit" if index.startswith("sqlite_autoindex") else index,
                unique,
                origin,
                partial,
                tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{index}")')),
            )
            for _, index, unique, origin, partial in conn.execute(f'PRAGMA index_list("{name}")')
        )
        checks = sorted(re.findall(r"CHECK \((.*?)\)[,)]", sql))
        tables[name] = (columns, keys, indexes, checks, "AUTOINCREMENT" in sql)
    return {
        "tables": tables,
        "migrations": sorted(conn.execute("SELECT app, name FROM django_migrations")),
        "content types": sorted(conn.execute("SELECT app_label, model FROM django_content_type")),
        "permissions": sorted(conn.execute("SELECT codename FROM auth_permission")),
    }


def test_a_new_database_has_the_schema_every_migration_builds(tmp_path: Path) -> None:
    one_step, replayed = tmp_path / "one-step.sqlite3", tmp_path / "replayed.sqlite3"
    Pitboard(f"sqlite:///{one_step}", tmp_path).run("init", check=True)
    done = django_admin(f"sqlite:///{replayed}", "migrate", "--verbosity", "0")
    assert done.returncode == 0, done.stderr

    made, expected = shape(one_step), shape(replayed)
    assert len(expected["tables"]) > 20 and len(expected["migrations"]) > 20
    assert made == expected
    # Nothing is left for `migrate` to do on it, and the one-step path is not taken twice.
    again = django_admin(f"sqlite:///{one_step}", "migrate", "--check")
    assert again.returncode == 0, again.stdout + again.stderr


def test_every_model_change_has_its_migration(tmp_path: Path) -> None:
    done = django_admin(
        f"sqlite:///{tmp_path / 'db.sqlite3'}", "makemigrations", "--check", "--dry-run"
    )
    assert done.returncode == 0, f"a model change without a migration:\n{done.stdout}"
