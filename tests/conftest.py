"""Shared fixtures: real databases (SQLite files or PostgreSQL databases), the real CLI.

``PITBOARD_TEST_BACKEND=postgres`` runs every database test on PostgreSQL, in databases created
on the server named by ``PITBOARD_TEST_POSTGRES_URL``; the default is SQLite files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.server import Server

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PITBOARD_SHARED", REPO.parent / "shared"))
NASCAR = SHARED / "data" / "nascar"
POSTGRES_URL = os.environ.get("PITBOARD_TEST_POSTGRES_URL", "")
BACKEND = os.environ.get("PITBOARD_TEST_BACKEND", "sqlite")
NASCAR_ROWS = 176_348

if BACKEND == "postgres" and not POSTGRES_URL:
    raise pytest.UsageError("PITBOARD_TEST_BACKEND=postgres needs PITBOARD_TEST_POSTGRES_URL")


# The real-data tests (marked realdata) run once, in the SQLite run: on PostgreSQL they repeated
# the same queries on the same rows (the fictional tests run every code path on both databases)
# and took most of that run's time. test_full_import_into_postgresql, in the SQLite run, still
# imports the whole NASCAR history into PostgreSQL. PITBOARD_TEST_REALDATA_ON_POSTGRES=1 runs
# them on PostgreSQL too.
REALDATA_ON_POSTGRES = os.environ.get("PITBOARD_TEST_REALDATA_ON_POSTGRES", "") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if BACKEND != "postgres" or REALDATA_ON_POSTGRES:
        return
    once = pytest.mark.skip(
        reason="real-data test: run once, in the SQLite run"
        " (PITBOARD_TEST_REALDATA_ON_POSTGRES=1 runs it on PostgreSQL too)"
    )
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(once)


def pytest_report_header() -> list[str]:
    pg = POSTGRES_URL or "not set: PostgreSQL-specific tests are skipped"
    return [f"pitboard database backend: {BACKEND}", f"PITBOARD_TEST_POSTGRES_URL: {pg}"]


def _postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    """A new, empty database on the server; returns its URL and a function that drops it."""
    import psycopg

    name = f"pitboard_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")

    def drop() -> None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


@contextmanager
def fresh_database(folder: Path) -> Iterator[str]:
    """A new, empty database of the backend under test (a SQLite file in *folder*)."""
    if BACKEND == "postgres":
        url, drop = _postgres_database(POSTGRES_URL)
        try:
            yield url
        finally:
            drop()
    else:
        yield f"sqlite:///{folder / 'pitboard.sqlite3'}"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the backend under test."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database, whatever the backend; skipped when no server is named."""
    if not POSTGRES_URL:
        pytest.skip("PITBOARD_TEST_POSTGRES_URL is not set (PostgreSQL-specific test)")
    url, drop = _postgres_database(POSTGRES_URL)
    yield url
    drop()


class Pitboard:
    """Runs the real ``pitboard`` command in a child process against one database."""

    def __init__(self, database: str, cwd: Path) -> None:
        self.database = database
        self.cwd = cwd

    def run(
        self,
        *args: str,
        check: bool = False,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        full_env.pop("PITBOARD_DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "pitboard", "--database", self.database, *args],
            capture_output=True,
            text=True,
            cwd=self.cwd,
            env=full_env,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"pitboard {' '.join(args)} failed:\n{done.stderr}")
        return done

    def json(self, *args: str) -> Any:
        done = self.run(*args, "--format", "json", check=True)
        return json.loads(done.stdout)

    def stats(self) -> dict[str, int]:
        result: dict[str, int] = self.json("db", "stats")
        return result


@pytest.fixture
def pitboard(database_url: str, tmp_path: Path) -> Pitboard:
    """The CLI on a fresh database, initialized."""
    cli = Pitboard(database_url, tmp_path)
    cli.run("init", check=True)
    return cli


def need_nascar() -> None:
    if not (NASCAR / "cup.parquet").exists():
        pytest.skip(f"the NASCAR files are not at {NASCAR} (set PITBOARD_SHARED)")


@pytest.fixture(scope="session")
def nascar_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pitboard]:
    """The CLI on a database holding the whole of ../shared/data/nascar (imported once)."""
    need_nascar()
    folder = tmp_path_factory.mktemp("nascar")
    drop = None
    if BACKEND == "postgres":
        url, drop = _postgres_database(POSTGRES_URL)
    else:
        url = f"sqlite:///{folder / 'pitboard.sqlite3'}"
    cli = Pitboard(url, folder)
    cli.run("import", "nascar", "--source", str(NASCAR), check=True)
    yield cli
    if drop:
        drop()


def _connect(url: str) -> Any:
    """A plain DB-API connection to a test database (no pitboard code involved)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        return sqlite3.connect(url[len("sqlite:///") :])
    import psycopg

    return psycopg.connect(url)


def dump_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every pitboard table but the import log: to prove nothing changed."""
    conn = _connect(url)
    try:
        cur = conn.cursor()
        if url.startswith("sqlite"):
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
                " AND (name LIKE 'records_%' OR name LIKE 'careers_%' OR name LIKE 'news_%')"
            )
        else:
            cur.execute(
                "SELECT tablename FROM pg_tables"
                " WHERE tablename LIKE 'records_%%' OR tablename LIKE 'careers_%%'"
                " OR tablename LIKE 'news_%%'"
            )
        tables = sorted(r[0] for r in cur.fetchall() if r[0] != "records_importrun")
        dump = {}
        for table in tables:
            cur.execute(f"SELECT * FROM {table} ORDER BY 1")
            dump[table] = [tuple(r) for r in cur.fetchall()]
        return dump
    finally:
        conn.close()


def query(url: str, sql: str, *, commit: bool = False) -> list[tuple[Any, ...]]:
    """Rows of one SQL query, straight from the database (no pitboard code); *commit* for a
    statement that changes something, as another program would."""
    conn = _connect(url)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
        if commit:
            conn.commit()
        return rows
    finally:
        conn.close()


@pytest.fixture(scope="session")
def site(nascar_db: Pitboard, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real server on the NASCAR database: no response cache (every request does its real
    work) and each response's query count in ``X-Query-Count``."""
    from tests.server import serving

    nascar_db.run("db", "refresh-standings", check=True)
    env = {"PITBOARD_CACHE_URL": "none", "PITBOARD_COUNT_QUERIES": "1"}
    with serving(nascar_db.database, tmp_path_factory.mktemp("serve"), env) as live:
        yield live


RR = SHARED / "data" / "racing-reference"
# The four shared articles, each on a day its text allows (they are undated), and a title for
# the two whose text has none.
ARTICLES = [
    ("000_5bdc7851668aba27.txt", "2017-02-01", None),
    ("001_3a77cd0c3754dceb.txt", "2023-04-01", None),
    ("002_46261c9852f674f2.txt", "2024-01-15", "The only Canadian woman to win a NASCAR race"),
    ("003_e283a47244ae978a.txt", "2025-06-01", "Raced with a broken foot"),
]


@pytest.fixture(scope="session")
def career_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pitboard]:
    """The CLI on a database of careers and news: the starter data, the NASCAR Truck Series
    file with its race dates, racing-reference's ARCA, East and West results (2010–2024), and
    the four shared articles (imported after the results they mention)."""
    need_nascar()
    if not (RR / "nascar_arca").is_dir():
        pytest.skip(f"the racing-reference files are not at {RR} (set PITBOARD_SHARED)")
    folder = tmp_path_factory.mktemp("careers")
    trucks = folder / "nascar"
    trucks.mkdir()
    (trucks / "truck.parquet").symlink_to(NASCAR / "truck.parquet")
    with fresh_database(folder) as url:
        cli = Pitboard(url, folder)
        cli.run("init", "--starter", check=True)
        cli.run("import", "nascar", "--source", str(trucks))  # cup and nxs are not there
        series = ("--series", "arca,arca-east,arca-west,truck", "--seasons", "2010-2024")
        cli.run("import", "racing-reference", "--source", str(RR), *series, check=True)
        # The Truck Series' race dates of every season (a story is checked as of its day).
        cli.run("import", "racing-reference", "--source", str(RR), "--series", "truck", check=True)
        cli.run("db", "refresh-standings", check=True)
        for name, day, title in ARTICLES:
            given = ("--title", title) if title else ()
            article = SHARED / "articles" / name
            cli.run("news", "import", str(article), "--published", day, *given, check=True)
        yield cli
