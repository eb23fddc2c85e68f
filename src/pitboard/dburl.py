"""Turn ``PITBOARD_DATABASE_URL`` into Django database settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

DEFAULT_SQLITE_FILE = "pitboard.sqlite3"

# WAL lets readers go on while an import writes; NORMAL sync is safe with WAL. A 64 MiB page
# cache keeps the result indexes in memory while an import builds them.
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
)


def database_settings(url: str | None) -> dict[str, Any]:
    """Django ``DATABASES['default']`` for *url*; unset: a SQLite file in the working directory."""
    if not url:
        url = "sqlite:///" + str(Path.cwd() / DEFAULT_SQLITE_FILE)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    # Persistent connections: a web worker keeps its connection (and SQLite its page cache)
    # from one request to the next; a broken one is noticed and replaced.
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=None, conn_health_checks=True)
    )
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"init_command": SQLITE_INIT, "transaction_mode": "IMMEDIATE"}
    elif engine == "django.db.backends.postgresql":
        if os.environ.get("PITBOARD_DATABASE_PREPARE", "1") != "0":
            # Parameters bound by the server, and a statement run twice on a connection kept
            # prepared: the driver page's queries cost more to plan than to run.
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
    else:
        raise ValueError(f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://…")
    return config


def sqlite_path(config: dict[str, Any]) -> Path | None:
    """The database file of a SQLite configuration, else None."""
    if config["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(str(config["NAME"]))
