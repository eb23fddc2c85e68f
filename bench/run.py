"""pitboard's benchmarks for the results database, each next to a baseline in the same run.

    .venv/bin/python bench/run.py [--nascar DIR] [--repeats N] [--postgres URL]

Prints a Markdown table of medians (and writes bench/results/latest.json). Figures are ratios
against baselines measured in the same run, because the machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed_child(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Run *cmd*: its wall time in seconds, peak memory in MiB (from wait4), and its output;
    an exit status not in *ok* stops the benchmark."""
    env = {k: v for k, v in os.environ.items() if k != "PITBOARD_DATABASE_URL"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in ok:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read().decode()}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode()


def median(values: list[float]) -> float:
    return statistics.median(values)


def pg_database(server: str) -> tuple[str, object]:
    import psycopg

    name = f"pitboard_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server.rpartition("/")[0] + "/" + name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nascar", default=str(REPO.parent / "shared" / "data" / "nascar"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("PITBOARD_TEST_POSTGRES_URL", ""))
    parser.add_argument("--driver", default="Richard Petty")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pitboard-bench-"))
    pitboard = [PY, "-m", "pitboard"]

    def import_into(database: str) -> list[str]:
        return [
            *pitboard,
            "--database",
            database,
            "import",
            "nascar",
            "--source",
            args.nascar,
            "--format",
            "json",
        ]

    results: dict[str, object] = {"machine": os.uname().nodename, "repeats": args.repeats}

    imports, imports_mem, flats, flats_mem, noops, inserts = [], [], [], [], [], []
    initialised = []  # the import into a database `pitboard init` made (as `make run` does)
    for i in range(args.repeats):
        flat = work / f"flat-{i}.sqlite3"
        t, m, out = timed_child(
            [PY, str(REPO / "bench" / "flat_baseline.py"), args.nascar, str(flat)]
        )
        inserts.append(float(out))
        flats.append(t)
        flats_mem.append(m)
        db = f"sqlite:///{work / f'pitboard-{i}.sqlite3'}"
        t, m, _ = timed_child(import_into(db))
        imports.append(t)
        imports_mem.append(m)
        t, _, _ = timed_child(import_into(db))
        noops.append(t)
        ready = f"sqlite:///{work / f'initialised-{i}.sqlite3'}"
        timed_child([*pitboard, "--database", ready, "init"])
        initialised.append(timed_child(import_into(ready))[0])
    results["import"] = {
        "pitboard_s": median(imports),
        "pitboard_peak_mib": max(imports_mem),
        "flat_baseline_s": median(flats),
        "flat_peak_mib": max(flats_mem),
        "ratio": median(imports) / median(flats),
        "initialised_s": median(initialised),
        "initialised_ratio": median(initialised) / median(flats),
        "runs": {"pitboard_s": imports, "flat_s": flats, "initialised_s": initialised},
        "second_run_s": median(noops),
        "flat_insert_only_s": median(inserts),
    }

    db = f"sqlite:///{work / 'pitboard-0.sqlite3'}"
    flat = work / "flat-0.sqlite3"
    cli, pandas_way = [], []
    for _ in range(args.repeats * 2):
        cli.append(
            timed_child([*pitboard, "--database", db, "driver", args.driver, "--format", "json"])[0]
        )
        pandas_way.append(
            timed_child([PY, str(REPO / "bench" / "pandas_career.py"), args.nascar, args.driver])[0]
        )
    results["driver_process"] = {
        "pitboard_s": median(cli),
        "pandas_s": median(pandas_way),
        "ratio": median(cli) / median(pandas_way),
    }
    _, _, out = timed_child(
        [PY, str(REPO / "bench" / "inprocess.py"), db, str(flat), args.driver, "300"]
    )
    results["driver_inprocess"] = json.loads(out)
    _, _, out = timed_child([PY, str(REPO / "bench" / "standings.py"), db, str(flat), "3"])
    results["standings"] = json.loads(out)

    if args.postgres:
        url, drop = pg_database(args.postgres)
        try:
            t, m, _ = timed_child(import_into(url))
            t2, _, _ = timed_child(import_into(url))
            _, _, out = timed_child(
                [PY, str(REPO / "bench" / "inprocess.py"), url, str(flat), args.driver, "300"]
            )
            results["postgres"] = {
                "import_s": t,
                "peak_mib": m,
                "second_run_s": t2,
                "driver_inprocess": json.loads(out),
            }
        finally:
            drop()  # type: ignore[operator]

    folder = REPO / "bench" / "results"
    folder.mkdir(exist_ok=True)
    (folder / "latest.json").write_text(json.dumps(results, indent=2))
    print(report(results))


def report(r: dict) -> str:
    i, d, p = r["import"], r["driver_process"], r["driver_inprocess"]
    lines = [
        "| what | pitboard | baseline (same run) | ratio | target |",
        "| --- | --- | --- | --- | --- |",
        f"| full NASCAR import into SQLite (176,348 rows), wall | {i['pitboard_s']:.2f} s | "
        f"flat table {i['flat_baseline_s']:.2f} s | {i['ratio']:.1f}× | < 20 s, within 4× |",
        f"| same, into a database `pitboard init` made | {i['initialised_s']:.2f} s | "
        f"flat table {i['flat_baseline_s']:.2f} s | {i['initialised_ratio']:.1f}× | |",
        f"| same, peak memory | {i['pitboard_peak_mib']:.0f} MiB | {i['flat_peak_mib']:.0f} MiB "
        f"| | < 1 GiB |",
        f"| second import (nothing changed) | {i['second_run_s']:.2f} s | | | |",
        f"| (the flat baseline's insert alone, inside its process) | | "
        f"{i['flat_insert_only_s']:.2f} s | | |",
        f'| `pitboard driver "Richard Petty" --format json`, whole process | '
        f"{d['pitboard_s']:.3f} s | pandas {d['pandas_s']:.3f} s | {d['ratio']:.2f}× | faster |",
        f"| career query in-process | {p['pitboard_ms']:.2f} ms | flat SQL "
        f"{p['flat_sql_ms']:.2f} ms | {p['pitboard_ms'] / p['flat_sql_ms']:.1f}× | < 5 ms |",
    ]
    if "standings" in r:
        st = r["standings"]
        ratio = st["final_standings_all_s"] / st["flat_sql_all_s"]
        lines += [
            f"| final standings of every series-season ({st['seasons']}), in-process | "
            f"{st['final_standings_all_s']:.2f} s | flat SQL sum-and-rank "
            f"{st['flat_sql_all_s']:.2f} s | {ratio:.0f}× | < 3 s |",
            f"| standings after every round of every season, computed and stored | "
            f"{st['stored_every_round_all_s']:.2f} s | | | |",
            f"| one changed result: saved, its season's stored standings refreshed | "
            f"{st['one_change_ms']:.0f} ms | | | < 200 ms |",
        ]
    if "postgres" in r:
        pg = r["postgres"]
        lines.append(
            f"| full import into PostgreSQL | {pg['import_s']:.2f} s ({pg['peak_mib']:.0f} MiB) "
            f"| | | |"
        )
        lines.append(f"| second import into PostgreSQL | {pg['second_run_s']:.2f} s | | | |")
        lines.append(
            f"| career query in-process, PostgreSQL | "
            f"{pg['driver_inprocess']['pitboard_ms']:.2f} ms | | | |"
        )
    runs = i["runs"]
    lines.append("")
    lines.append(
        "Every run, in order: pitboard "
        + ", ".join(f"{t:.2f}" for t in runs["pitboard_s"])
        + " s; flat "
        + ", ".join(f"{t:.2f}" for t in runs["flat_s"])
        + " s; into an initialised database "
        + ", ".join(f"{t:.2f}" for t in runs["initialised_s"])
        + " s."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
