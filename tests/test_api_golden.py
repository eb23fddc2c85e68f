"""Golden files for the public API: recorded responses on a fictional database, one test per file.

Each file in tests/golden/ holds a request path, the most database queries that request may
take, and the expected JSON body. ``PITBOARD_REGOLD=1 pytest tests/test_api_golden.py`` records
them again after an intended change (review the diff: it is the API's changelog).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import DRIVERS, season_rows, write_folder
from tests.conftest import Pitboard, fresh_database
from tests.server import Server, serving

GOLDEN = Path(__file__).parent / "golden"
REGOLD = os.environ.get("PITBOARD_REGOLD") == "1"

# The requests recorded, with their query caps. A new endpoint gets a line here.
REQUESTS = {
    "driver-list": ("/api/v1/drivers?series=cup", 5),
    "driver-search": ("/api/v1/drivers?q=marsh", 6),
    "driver": ("/api/v1/drivers/avery-quill", 6),  # and his titles
    "driver-career": ("/api/v1/drivers/avery-quill/career", 4),
    "driver-career-by-season": ("/api/v1/drivers/avery-quill/career?by=season", 4),
    "driver-results": (
        "/api/v1/drivers/avery-quill/results?per_page=3&page=2",
        6,
    ),  # the tallies count the list, then the page alone
    "tracks": ("/api/v1/tracks?surface=paved", 2),
    "track": ("/api/v1/tracks/lakeview-oval", 8),
    "track-winners": ("/api/v1/tracks/lakeview-oval/winners", 4),
    "series-list": ("/api/v1/series", 2),
    "series": ("/api/v1/series/cup", 8),  # 2032 is under way: its leader
    "season": ("/api/v1/series/cup/2031", 7),  # its champion, whether it is under way
    "standings": ("/api/v1/series/cup/2032/standings", 6),
    "standings-after-round": ("/api/v1/series/cup/2032/standings?after_round=2", 6),
    "standings-owners": ("/api/v1/series/cup/2032/standings?kind=owner", 20),
    "race": ("/api/v1/races/cup/2032/3", 5),
    "search": ("/api/v1/search?q=cedar", 12),
    "records": ("/api/v1/records", 3),
    "teams": ("/api/v1/teams?series=cup&per_page=3", 11),  # and the titles in their cars
    "team": ("/api/v1/teams/quill-racing", 7),
    "makes": ("/api/v1/makes", 10),
    "make": ("/api/v1/makes/ford", 10),
    "not-found": ("/api/v1/drivers/nobody", 3),
    "invalid": ("/api/v1/drivers/avery-quill/career?by=decade", 2),
}


@pytest.fixture(scope="module")
def fiction(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server on fictional seasons: Cup 2031 and 2032, after every real season, so that
    no real season facts apply to them."""
    folder = tmp_path_factory.mktemp("fiction")
    rows = season_rows(2031, 3) + season_rows(2032, 4, [*DRIVERS, "Sam Okafor"])
    write_folder(folder / "data", {"cup": rows})
    with fresh_database(folder) as url:
        cli = Pitboard(url, folder)
        cli.run("import", "nascar", "--source", str(folder / "data"), check=True)
        cli.run("db", "refresh-standings", check=True)
        env = {"PITBOARD_CACHE_URL": "none", "PITBOARD_COUNT_QUERIES": "1"}
        with serving(cli.database, folder, env) as live:
            yield live


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_api_response_matches_its_golden_file(fiction: Server, name: str) -> None:
    path, cap = REQUESTS[name]
    status, headers, body = fiction.get(path)
    answer = {"path": path, "status": status, "body": json.loads(body)}
    golden = GOLDEN / f"{name}.json"
    if REGOLD:
        golden.write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n")
    assert golden.exists(), f"no golden file {golden.name}: run with PITBOARD_REGOLD=1"
    assert answer == json.loads(golden.read_text())
    assert int(headers["X-Query-Count"]) <= cap, f"{headers['X-Query-Count']} queries"
    assert headers["X-Write-Count"] == "0"  # a read writes nothing


def test_every_golden_file_is_requested() -> None:
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(REQUESTS)
