"""Backups (issue 15, part 6): `pitboard db backup FILE` while the site serves, and `pitboard db
restore FILE` into a new database, on the backend under test (SQLite's online backup API, or
pg_dump and pg_restore). Fictional results, the starter careers and a fictional story."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import season_rows, write_folder
from tests.conftest import REPO, Pitboard, dump_tables, fresh_database
from tests.server import serving
from tests.test_news_core import STORY

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


def _filled(cli: Pitboard, folder: Path) -> None:
    cli.run("init", "--starter", check=True)
    write_folder(folder / "data", {"cup": season_rows(2031, 3)})
    cli.run("import", "nascar", "--source", str(folder / "data"), check=True)
    cli.run("import", "results", str(EXAMPLE), check=True)
    story = folder / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    cli.run("news", "import", str(story), "--published", "2031-05-02", check=True)
    cli.run("db", "refresh-standings", check=True)


def test_a_backup_taken_while_serving_restores_the_same_record(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    _filled(pitboard, tmp_path)
    before = dump_tables(pitboard.database)
    saved = tmp_path / "record.backup"
    with serving(pitboard.database, tmp_path) as live:
        assert live.get("/drivers/avery-quill/")[0] == 200
        done = pitboard.run("db", "backup", str(saved), check=True)
        assert live.get("/drivers/avery-quill/")[0] == 200  # the site went on serving
    assert f"backup written: {saved}" in done.stderr and saved.stat().st_size > 0
    assert dump_tables(pitboard.database) == before

    (tmp_path / "copy").mkdir()
    with fresh_database(tmp_path / "copy") as url:
        copy = Pitboard(url, tmp_path / "copy")
        copy.run("init", check=True)  # an empty schema may be there already
        copy.run("db", "restore", str(saved), check=True)
        assert copy.stats() == pitboard.stats()
        assert dump_tables(url) == before
        career = ("driver", "Avery Quill")
        assert copy.json(*career) == pitboard.json(*career)
        assert copy.json("news", "list") == pitboard.json("news", "list")
        # The restored database takes new data as any other.
        copy.run("import", "results", str(EXAMPLE), check=True)


def test_a_backup_never_overwrites_and_a_restore_never_writes_over_data(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    _filled(pitboard, tmp_path)
    before = dump_tables(pitboard.database)
    taken = tmp_path / "taken.backup"
    taken.write_text("a file someone keeps")
    again = pitboard.run("db", "backup", str(taken))
    assert again.returncode == 1
    assert f"no backup written: {taken}: already exists" in again.stderr
    assert taken.read_text() == "a file someone keeps"
    missing = pitboard.run("db", "backup", str(tmp_path / "no-folder" / "x.backup"))
    assert missing.returncode == 1 and "no such folder" in missing.stderr

    saved = tmp_path / "record.backup"
    pitboard.run("db", "backup", str(saved), check=True)
    over = pitboard.run("db", "restore", str(saved))
    assert over.returncode == 1
    assert "nothing restored: this database holds data" in over.stderr
    assert "restore into a new database" in over.stderr
    for odd, why in (
        (taken, "not a pitboard backup"),
        (tmp_path / "nothing.backup", "no such file"),
    ):
        done = pitboard.run("db", "restore", str(odd))
        assert done.returncode == 1 and f"nothing restored: {odd}: {why}" in done.stderr
        assert "Traceback" not in done.stderr
    assert dump_tables(pitboard.database) == before
    assert json.loads(pitboard.run("db", "stats", "--format", "json").stdout)["results"] > 0
