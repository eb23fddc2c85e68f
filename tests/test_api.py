"""The JSON API on the real server (gunicorn) against the real NASCAR database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Pitboard

pytestmark = pytest.mark.realdata


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, base: str) -> None:
        self.base = base

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def json(self, path: str) -> Any:
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:200])
        return json.loads(body)


@pytest.fixture(scope="module")
def server(nascar_db: Pitboard, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    folder: Path = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if k != "PITBOARD_DATABASE_URL"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pitboard",
            "--database",
            nascar_db.database,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    live = Server(f"http://127.0.0.1:{port}")
    try:
        for _ in range(150):  # up to 30 s for the workers to come up
            try:
                if live.get("/api/v1/version")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode() if process.stderr else "")
            time.sleep(0.2)
        else:
            raise AssertionError("pitboard serve did not answer within 30 s")
        yield live
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def test_career_is_the_cli_document(server: Server, nascar_db: Pitboard) -> None:
    api = server.json("/api/v1/drivers/richard-petty/career")
    assert api == nascar_db.json("driver", "Richard Petty", "--by", "series")
    by_season = server.json("/api/v1/drivers/kaz-grala/career?by=season&series=nxs")
    assert by_season == nascar_db.json("driver", "Kaz Grala", "--by", "season", "--series", "nxs")


def test_standings_are_the_cli_document(server: Server, nascar_db: Pitboard) -> None:
    api = server.json("/api/v1/series/cup/2011/standings")
    assert api == nascar_db.json("standings", "--series", "cup", "--season", "2011")
    assert api["standings"][0]["driver"] == "Tony Stewart"
    part = server.json("/api/v1/series/cup/2011/standings?after_round=26")
    assert part["after_round"] == 26


def test_search_ranks_and_lists_candidates(server: Server) -> None:
    found = server.json("/api/v1/drivers?q=Johnny%20Benson")
    assert [d["name"] for d in found] == ["Johnny Benson Jr.", "Johnny Benson Sr."]
    assert server.json("/api/v1/drivers?q=richard%20petty")[0]["match"] == "exact"


def test_errors_have_one_shape(server: Server) -> None:
    status, _, body = server.get("/api/v1/drivers/no-such-driver/career")
    assert status == 404 and json.loads(body) == {
        "detail": "no driver with the slug 'no-such-driver'"
    }
    status, _, body = server.get("/api/v1/series/moon/2011/standings")
    assert status == 404 and "no series 'moon'" in json.loads(body)["detail"]
    status, _, body = server.get("/api/v1/drivers/richard-petty/career?by=decade")
    assert status == 422


def test_caching_and_cross_origin_reads(server: Server) -> None:
    status, headers, _ = server.get("/api/v1/series/cup/2016/standings")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    etag = headers["ETag"]
    status, _, body = server.get("/api/v1/series/cup/2016/standings", {"If-None-Match": etag})
    assert status == 304 and body == b""


def test_openapi_and_docs_work_offline(server: Server) -> None:
    spec = server.json("/api/v1/openapi.json")
    assert {"/api/v1/drivers/{slug}/career", "/api/v1/series/{series}/{season}/standings"} <= set(
        spec["paths"]
    )
    status, _, page = server.get("/api/v1/docs")
    assert status == 200
    text = page.decode()
    assert "swagger-ui-bundle.js" in text and "cdn" not in text.lower()
    for asset in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"):
        assert server.get(asset)[0] == 200


def test_home_lists_the_series(server: Server) -> None:
    status, _, page = server.get("/")
    assert status == 200
    assert "NASCAR Cup Series" in page.decode() and "/api/v1/docs" in page.decode()
