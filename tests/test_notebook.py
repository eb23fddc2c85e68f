"""The Python API for notebooks (issue 15, part 7): ``import pitboard`` in a fresh process, then
results, standings and careers as pandas DataFrames, the same figures the command line gives,
on the backend under test. The script is the example of docs/python.md, run as it is there."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.builders import DRIVERS, season_rows, write_folder
from tests.conftest import REPO, Pitboard


def _example() -> str:
    """The Python block of docs/python.md's "Example" section."""
    text = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    found = re.search(r"## Example\n.*?```python\n(.*?)```", text, re.DOTALL)
    assert found, "docs/python.md has no example"
    return found.group(1)


def _python(script: str, pitboard: Pitboard, folder: Path) -> list[str]:
    """The lines *script* prints, run by a new Python process on the test's database."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=folder,
        env={"PITBOARD_DATABASE_URL": pitboard.database, "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_notebook_reads_the_record_as_dataframes(pitboard: Pitboard, tmp_path: Path) -> None:
    write_folder(tmp_path / "data", {"cup": season_rows(2031, 3) + season_rows(2032, 2)})
    pitboard.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)
    pitboard.run("db", "refresh-standings", check=True)
    script = _example().replace("Ty Majeski", DRIVERS[0]).replace('"truck"', '"cup"')
    script = script.replace("2024", "2032").replace("range(2020, 2025)", "range(2031, 2033)")
    script += (
        "\nprint(json.dumps({'rows': len(every), 'all': len(pitboard.results()),"
        " 'seasons': sorted(set(every.season)),"
        " 'leader': table.iloc[0].to_dict(), 'career': mine.to_dict('records'),"
        " 'columns': list(every.columns), 'dtypes': {c: str(t) for c, t in every.dtypes.items()}},"
        " default=str))\n"
    )
    got = json.loads(_python("import json\n" + script, pitboard, tmp_path)[-1])
    assert got["rows"] == len(DRIVERS) * 5  # the Cup seasons asked for
    assert got["all"] == pitboard.stats()["results"]  # every entry row of every series
    assert got["seasons"] == [2031, 2032]
    assert got["columns"][:4] == ["series", "season", "round", "date"]
    assert got["dtypes"]["finish"] == "Int64"  # a missing finish stays missing
    official = pitboard.json("standings", "--series", "cup", "--season", "2032")["standings"][0]
    assert (got["leader"]["driver"], got["leader"]["points"]) == (
        official["driver"],
        official["points"],
    )
    career = pitboard.json("driver", DRIVERS[0], "--by", "season")["rows"]
    assert got["career"] == json.loads(json.dumps(career, default=str))


def test_a_notebook_hears_why_nothing_came_back(pitboard: Pitboard, tmp_path: Path) -> None:
    script = (
        "import pitboard\n"
        "for call in (lambda: pitboard.career('Nobody Atall'),"
        " lambda: pitboard.standings('cup', 1901)):\n"
        "    try:\n        call()\n    except (LookupError, ValueError) as exc:\n"
        "        print(type(exc).__name__, exc)\n"
        "print(len(pitboard.results(seasons=[])))\n"
    )
    lines = _python(script, pitboard, tmp_path)
    assert lines[0] == "LookupError no driver matches 'Nobody Atall'"
    assert lines[1].startswith("ValueError") and lines[2] == "0"
