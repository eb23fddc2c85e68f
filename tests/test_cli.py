"""The command line as a user meets it."""

from __future__ import annotations

import subprocess
import sys

from pitboard import __version__
from tests.conftest import REPO, Pitboard


def test_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pitboard", "--version"], capture_output=True, text=True
    )
    assert done.stdout.strip() == f"pitboard {__version__}"


def test_init_creates_an_empty_database(pitboard: Pitboard) -> None:
    assert set(pitboard.stats().values()) == {0}


def test_database_option_after_the_command(pitboard: Pitboard) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pitboard",
            "db",
            "stats",
            "--format",
            "json",
            "--database",
            pitboard.database,
        ],
        capture_output=True,
        text=True,
        cwd=pitboard.cwd,
    )
    assert done.returncode == 0 and '"results": 0' in done.stdout


def test_unknown_driver(pitboard: Pitboard) -> None:
    done = pitboard.run("driver", "Nobody Atall")
    assert done.returncode == 1
    assert done.stderr.strip() == "pitboard: no driver matches 'Nobody Atall'"


def test_unknown_series(pitboard: Pitboard) -> None:
    pitboard.run("import", "results", str(REPO / "docs/examples/results-example.csv"), check=True)
    done = pitboard.run("driver", "Avery Quill", "--series", "moon")
    assert done.returncode == 1
    assert "no series 'moon' (known: thunder-stock)" in done.stderr


def test_bad_database_url(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pitboard", "--database", "mysql://x/y", "db", "stats"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "unsupported database URL" in done.stderr


def test_uninitialized_database_says_what_to_do(tmp_path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pitboard",
            "--database",
            f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "driver",
            "Anyone",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "run: pitboard init" in done.stderr


def test_csv_and_table_formats(pitboard: Pitboard) -> None:
    pitboard.run("import", "results", str(REPO / "docs/examples/results-example.csv"), check=True)
    csv_out = pitboard.run("driver", "Jordan Marsh", "--format", "csv", check=True).stdout
    assert csv_out.splitlines()[0].startswith("series,season,track,starts,wins")
    table = pitboard.run("driver", "Jordan Marsh", "--by", "track", check=True).stdout
    assert "Lakeview Oval" in table and "total" in table
