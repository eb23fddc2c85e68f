"""The response cache on the real server: hits, and invalidation when the data changes.

Two workers, each with its own local-memory cache or one shared Redis: after an import, no
worker serves the old document again.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import season_rows, write_folder
from tests.conftest import REPO, Pitboard, fresh_database
from tests.server import Server, serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"
CAREER = "/api/v1/drivers/avery-quill/career"
PAGE = "/drivers/avery-quill/"


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def fictional_db(tmp_path: Path) -> Iterator[Pitboard]:
    write_folder(tmp_path / "data", {"cup": season_rows(2031, 3)})
    with fresh_database(tmp_path) as url:
        cli = Pitboard(url, tmp_path)
        cli.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)
        yield cli


def starts(server: Server) -> tuple[int, str]:
    status, headers, body = server.get(CAREER)
    assert status == 200
    return json.loads(body)["total"]["starts"], headers.get("X-Cache", "")


def check_cache_follows_the_data(server: Server, cli: Pitboard) -> None:
    before = [starts(server) for _ in range(8)]
    assert {n for n, _ in before} == {3}
    assert "hit" in {cache for _, cache in before}, before
    status, headers, _ = server.get(PAGE)
    assert status == 200 and headers["Cache-Control"] == "public, no-cache"
    modified = headers["Last-Modified"]
    status, _, body = server.get(PAGE, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""

    cli.run("import", "results", str(EXAMPLE), check=True)  # Avery Quill races again

    after = [starts(server) for _ in range(8)]
    assert {n for n, _ in after} == {5}, after
    status, headers, body = server.get(PAGE)
    assert headers["Last-Modified"] != modified and "thunder" in body.decode().lower()


def test_local_memory_cache_is_invalidated_in_every_worker(
    fictional_db: Pitboard, tmp_path: Path
) -> None:
    with serving(fictional_db.database, tmp_path, {"PITBOARD_CACHE_URL": "locmem"}) as server:
        check_cache_follows_the_data(server, fictional_db)


def test_redis_cache_is_invalidated(fictional_db: Pitboard, tmp_path: Path) -> None:
    if not redis_running():
        pytest.skip("no Redis server on 127.0.0.1:6379 (Redis-specific test)")
    import redis

    redis.Redis(db=15).flushdb()
    env = {"PITBOARD_CACHE_URL": "redis://127.0.0.1:6379/15"}
    with serving(fictional_db.database, tmp_path, env) as server:
        check_cache_follows_the_data(server, fictional_db)
        assert redis.Redis(db=15).dbsize() > 0


def test_no_cache_when_turned_off(fictional_db: Pitboard, tmp_path: Path) -> None:
    with serving(fictional_db.database, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as server:
        assert {starts(server)[1] for _ in range(4)} == {""}


def test_a_bad_cache_url_stops_the_server_with_the_reason(fictional_db: Pitboard) -> None:
    done = fictional_db.run("serve", "--port", "1", env={"PITBOARD_CACHE_URL": "memcached://x"})
    assert done.returncode != 0
    assert "PITBOARD_CACHE_URL must be redis://…, locmem or none" in done.stderr
