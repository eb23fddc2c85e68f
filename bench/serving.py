"""Serving benchmark: the driver career API and the driver page under load, against datasette.

    .venv/bin/pip install -e '.[bench]'     # datasette
    .venv/bin/python bench/serving.py --nascar ../shared/data/nascar \
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--repeats 3]

For each database (SQLite, and PostgreSQL when a server is named) the NASCAR history is imported,
``pitboard serve --workers 2`` is started with the response cache off (PITBOARD_CACHE_URL=none)
and on (locmem), and wrk (one thread, 8 connections, 10 s after a warm-up) loads Richard Petty's
career document and his driver page. In the same run datasette serves the same career query
(by series, as SQL) over the same SQLite file. Prints a Markdown table of medians and writes
bench/results/serving.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CAREER = "/api/v1/drivers/richard-petty/career"
PAGE = "/drivers/richard-petty/"
CAREER_SQL = """
SELECT s.slug AS series, COUNT(res.finish) AS starts, SUM(res.finish = 1) AS wins,
  SUM(res.finish <= 5) AS top5, SUM(res.finish <= 10) AS top10,
  SUM(res.start = 1 AND res.finish IS NOT NULL) AS poles, SUM(COALESCE(res.laps, 0)) AS laps,
  SUM(COALESCE(res.laps_led, 0)) AS laps_led, ROUND(AVG(res.start), 2) AS avg_start,
  ROUND(AVG(res.finish), 2) AS avg_finish, MIN(res.finish) AS best_finish,
  SUM(res.status_class != 'running') AS dnf, SUM(COALESCE(res.points, 0)) AS points
FROM records_result res
JOIN records_driver d ON d.id = res.driver_id
JOIN records_race r ON r.id = res.race_id
JOIN records_season se ON se.id = r.season_id
JOIN records_series s ON s.id = se.series_id
WHERE d.slug = 'richard-petty'
GROUP BY s.slug ORDER BY s.display_order
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {url}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"no answer from {url} within {seconds} s")


@contextmanager
def running(cmd: list[str], env: dict[str, str], probe: str) -> Iterator[str]:
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in cmd]
    process = subprocess.Popen(
        argv,
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + probe, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    """Requests per second and p50/p99 latency (ms) of one wrk run."""
    subprocess.run(["wrk", "-t1", f"-c{connections}", "-d2s", url], capture_output=True, check=True)
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"]}


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}


def pitboard(database: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PITBOARD_DATABASE_URL"}
    subprocess.run([str(BIN / "pitboard"), "--database", database, *args], env=env, check=True)


def measure_pitboard(
    database: str, repeats: int, seconds: int, connections: int
) -> dict[str, dict[str, float]]:
    figures = {}
    for cache in ("none", "locmem"):
        env = {**os.environ, "PITBOARD_CACHE_URL": cache}
        env.pop("PITBOARD_DATABASE_URL", None)
        cmd = [str(BIN / "pitboard"), "--database", database, "serve", "--port", "{port}"]
        cmd += ["--workers", "2"]
        with running(cmd, env, "/api/v1/version") as base:
            for name, path in (("career API", CAREER), ("driver page", PAGE)):
                runs = [wrk(base + path, seconds, connections) for _ in range(repeats)]
                figures[f"{name}, {'cached' if cache != 'none' else 'uncached'}"] = median_of(runs)
    return figures


def measure_datasette(
    sqlite_file: Path, repeats: int, seconds: int, connections: int
) -> dict[str, float]:
    datasette = BIN / "datasette"
    if not datasette.exists():
        raise SystemExit("datasette is not installed: pip install -e '.[bench]'")
    query = urllib.parse.urlencode({"sql": CAREER_SQL, "_shape": "array"})
    path = f"/{sqlite_file.stem}.json?{query}"
    cmd = [str(datasette), "serve", "--immutable", str(sqlite_file), "--port", "{port}"]
    with running(cmd, dict(os.environ), path) as base:
        return median_of([wrk(base + path, seconds, connections) for _ in range(repeats)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nascar", default=str(REPO.parent / "shared" / "data" / "nascar"))
    parser.add_argument("--postgres", default=os.environ.get("PITBOARD_TEST_POSTGRES_URL"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_file = Path(folder) / "pitboard.sqlite3"
        sqlite_url = f"sqlite:///{sqlite_file}"
        pitboard(sqlite_url, "import", "nascar", "--source", args.nascar)
        pitboard(sqlite_url, "db", "refresh-standings")
        results["SQLite"] = measure_pitboard(
            sqlite_url, args.repeats, args.seconds, args.connections
        )
        results["SQLite"]["datasette, same career query"] = measure_datasette(
            sqlite_file, args.repeats, args.seconds, args.connections
        )
        if args.postgres:
            results["PostgreSQL"] = on_postgres(args)
    print_table(results)
    out = REPO / "bench" / "results" / "serving.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


def on_postgres(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    import psycopg

    name = f"pitboard_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{args.postgres.rpartition('/')[0]}/{name}"
    try:
        pitboard(url, "import", "nascar", "--source", args.nascar)
        pitboard(url, "db", "refresh-standings")
        return measure_pitboard(url, args.repeats, args.seconds, args.connections)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def print_table(results: dict[str, dict[str, dict[str, float]]]) -> None:
    datasette = results["SQLite"]["datasette, same career query"]["rps"]
    print("| database | what | req/s | p50 ms | p99 ms | req/s ÷ datasette |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for database, rows in results.items():
        for what, figure in rows.items():
            ratio = figure["rps"] / datasette
            print(
                f"| {database} | {what} | {figure['rps']:.0f} | {figure['p50_ms']:.1f} | "
                f"{figure['p99_ms']:.1f} | {ratio:.2f} |"
            )


if __name__ == "__main__":
    sys.exit(main())
