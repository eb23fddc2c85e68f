"""The real server (``pitboard serve``, gunicorn) started for tests, and a small HTTP client."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, base: str, log: Path | None = None) -> None:
        self.base = base
        self.log = log  # the server's stderr: gunicorn's error log and Django's

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def post(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def json(self, path: str) -> Any:
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)


@contextmanager
def serving(database: str, folder: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``pitboard serve`` with 2 workers on a free port, stopped on exit. Its stderr goes to a
    file in *folder* (``Server.log``): a pipe nobody reads would stall a server that logs."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k != "PITBOARD_DATABASE_URL"}
    full_env.update(env or {})
    log = folder / f"serve-{port}.log"
    errors = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pitboard",
            "--database",
            database,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        cwd=folder,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,
    )
    live = Server(f"http://127.0.0.1:{port}", log)
    try:
        for _ in range(300):  # up to 60 s for the workers to come up
            try:
                if live.get("/api/v1/version")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise AssertionError(live.log_text())
            time.sleep(0.2)
        else:
            raise AssertionError("pitboard serve did not answer within 60 s")
        yield live
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        errors.close()
