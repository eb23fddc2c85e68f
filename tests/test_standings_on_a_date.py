"""Standings as they stood on a day, or after a round: the CLI, the API and the season page give
the same table (fictional example file, whose races carry dates)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO, Pitboard, fresh_database
from tests.server import Server, serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"
SEASON = "/api/v1/series/thunder-stock/2025/standings"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Pitboard]]:
    folder: Path = tmp_path_factory.mktemp("dated")
    with fresh_database(folder) as url:
        cli = Pitboard(url, folder)
        cli.run("import", "results", str(EXAMPLE), check=True)
        with serving(cli.database, folder, {"PITBOARD_CACHE_URL": "none"}) as live:
            yield live, cli


def test_the_api_gives_the_standings_on_a_date(served: tuple[Server, Pitboard]) -> None:
    site, cli = served
    on_day = site.json(f"{SEASON}?date=2025-04-15")
    assert on_day["after_round"] == 1
    assert on_day == cli.json(
        "standings", "--series", "thunder-stock", "--season", "2025", "--date", "2025-04-15"
    )
    assert on_day == site.json(f"{SEASON}?after_round=1")
    assert site.json(f"{SEASON}?date=2030-01-01")["after_round"] == site.json(SEASON)["after_round"]

    status, _, body = site.get(f"{SEASON}?date=2025-01-01")
    assert status == 404
    assert json.loads(body)["detail"] == "no race of thunder-stock 2025 was run by 2025-01-01"
    status, _, body = site.get(f"{SEASON}?date=2025-04-15&after_round=1")
    assert status == 422 and json.loads(body)["detail"] == "give a round or a date, not both"
    status, _, _ = site.get(f"{SEASON}?date=15/04/2025")
    assert status == 422


def test_the_season_page_shows_the_standings_after_a_chosen_round(
    served: tuple[Server, Pitboard],
) -> None:
    site, _ = served
    status, _, body = site.get("/series/thunder-stock/2025/?after=1")
    page = body.decode()
    assert status == 200
    assert '<option value="1" selected>round 1, 2025-04-12 · Spring Opener 50</option>' in page
    assert "After round 1. Rules: no rule set names thunder-stock 2025" in page
    leader = site.json(f"{SEASON}?after_round=1")["standings"][0]["driver"]
    assert f'Leader after round 1: <a href="/drivers/{leader.lower().replace(" ", "-")}/">' in page
    for wrong in ("?after=9", "?after=0", "?after=first"):
        assert site.get(f"/series/thunder-stock/2025/{wrong}")[0] == 404, wrong


def test_a_season_still_being_raced_has_a_leader_not_a_champion(tmp_path: Path) -> None:
    """The example season moved to this calendar year is the series' latest and nobody has
    published its champion: the series page, the season page and the API call its points
    leader the leader of a season under way. Moved to last year, the same table crowns him."""
    this_year = date.today().year
    for year, racing in ((this_year, True), (this_year - 1, False)):
        folder = tmp_path / str(year)
        folder.mkdir()
        moved = folder / "results.csv"
        moved.write_text(EXAMPLE.read_text().replace("2025", str(year)))
        with fresh_database(folder) as url:
            cli = Pitboard(url, folder)
            cli.run("import", "results", str(moved), check=True)
            with serving(cli.database, folder, {"PITBOARD_CACHE_URL": "none"}) as site:
                leader = site.json(f"/api/v1/series/thunder-stock/{year}/standings")["standings"][0]
                (summary,) = site.json("/api/v1/series/thunder-stock")["seasons"]
                schedule = site.json(f"/api/v1/series/thunder-stock/{year}")
                series_page = site.get("/series/thunder-stock/")[2].decode()
                season_page = site.get(f"/series/thunder-stock/{year}/")[2].decode()
        ref = {"name": leader["driver"], "slug": leader["driver"].lower().replace(" ", "-")}
        assert summary["under_way"] is schedule["under_way"] is racing
        if racing:
            assert summary["champion"] is None and summary["leader"] == ref
            assert schedule["champion"] is None
            assert "under way · leader" in series_page
            assert f'Leader after round 2: <a href="/drivers/{ref["slug"]}/">' in season_page
            assert 'id="under-way"' in season_page and "Champion:" not in season_page
        else:
            assert summary["champion"] == ref and summary["champion_source"] == "rules"
            assert summary["leader"] is None
            assert "under way" not in series_page
            assert f'Champion: <a href="/drivers/{ref["slug"]}/">' in season_page


def test_an_empty_record_book_says_how_to_fill_it(tmp_path: Path) -> None:
    """The home page of an empty database gives a command that runs where the server was
    started: the pitboard script beside the server's Python, not a bare ``pitboard`` that a
    virtual environment keeps off the PATH."""
    import re
    import subprocess

    with fresh_database(tmp_path) as url:
        Pitboard(url, tmp_path).run("init", check=True)
        with serving(url, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as site:
            page = site.get("/")[2].decode()
    commands = re.findall(r"<pre><code>(\S+) import nascar</code></pre>", page)
    assert commands, page
    script = commands[0]
    done = subprocess.run([script, "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("pitboard ")
