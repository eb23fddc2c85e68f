"""Upgrading a database built by the previous release with `pitboard init` loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import DRIVERS, season_rows, write_folder
from tests.conftest import REPO, Pitboard, query

# The last commit before sources and statements (issue 9): the schema of the previous release.
PREVIOUS = "1525e59"
EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


def previous_release(folder: Path) -> Path:
    """The previous release's source tree, from git history."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", PREVIOUS, "src"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        pytest.skip(f"git history without {PREVIOUS}: {archive.stderr.decode().strip()}")
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def previous_cli(pitboard: Pitboard, tmp_path: Path) -> Callable[..., str]:
    """The previous release's ``pitboard`` on *pitboard*'s database."""
    old_src = previous_release(tmp_path / "previous")
    env = {**os.environ, "PYTHONPATH": str(old_src)}
    env.pop("PITBOARD_DATABASE_URL", None)

    def old(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pitboard", "--database", pitboard.database, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode in (0, 3), done.stderr
        return done.stdout

    return old


def test_init_on_a_previous_release_database_keeps_every_figure(
    database_url: str, tmp_path: Path
) -> None:
    pitboard = Pitboard(database_url, tmp_path)
    old = previous_cli(pitboard, tmp_path)
    folder = write_folder(tmp_path / "n", {"cup": season_rows(2021, 3)})
    # A fresh database, built and migrated by the previous release only.
    old("import", "nascar", "--source", str(folder))
    old("import", "results", str(EXAMPLE))
    names = [*DRIVERS, "Nxs Regular 1"]
    before_stats = json.loads(old("db", "stats", "--format", "json"))
    before = {n: json.loads(old("driver", n, "--by", "season", "--format", "json")) for n in names}

    pitboard.run("init", check=True)
    assert pitboard.stats() == before_stats
    assert {n: pitboard.json("driver", n, "--by", "season") for n in names} == before
    # And the sources, keyed by what they said before, import as before: nothing to change.
    assert pitboard.json("import", "nascar", "--source", str(folder))["changed"] is False
    assert pitboard.json("import", "results", str(EXAMPLE))["changed"] is False


def test_a_result_entered_by_hand_before_becomes_the_editors_statement(
    database_url: str, tmp_path: Path
) -> None:
    """A result added in the previous release's admin has no source: after the upgrade it is
    the editor's statement (first in the precedence), so no import can take it away."""
    pitboard = Pitboard(database_url, tmp_path)
    old = previous_cli(pitboard, tmp_path)
    old("import", "results", str(EXAMPLE))
    query(
        pitboard.database,
        "INSERT INTO records_result (entry, car_number, sponsor, finish, laps, laps_led, "
        "status_text, status_class, driver_id, race_id) "
        "SELECT 1, '99', '', 12, 48, 0, 'running', 'running', d.id, x.id "
        "FROM records_driver d, records_race x "
        "WHERE d.slug = 'casey-dunmore' AND x.round = 2",  # he did not run round 2
        commit=True,
    )
    before_stats = json.loads(old("db", "stats", "--format", "json"))
    before = json.loads(old("driver", "Casey Dunmore", "--format", "json"))
    assert before["rows"][-1]["starts"] == 2

    pitboard.run("init", check=True)
    # one more source: the editor the hand-entered statements are credited to
    assert pitboard.stats() == {**before_stats, "sources": before_stats["sources"] + 1}
    assert pitboard.json("import", "results", str(EXAMPLE))["changed"] is False
    assert pitboard.json("driver", "Casey Dunmore") == before
    stated = query(
        pitboard.database,
        "SELECT t.dataset, t.laps FROM records_resultstatement t JOIN records_result r "
        "ON r.id = t.result_id WHERE r.car_number = '99'",
    )
    assert stated == [("editor", 48)]
