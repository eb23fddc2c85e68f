"""How long `pitboard export --format parquet` takes on the full history, next to the plainest
way there is: ``pandas.read_sql`` of the same results query, then ``DataFrame.to_parquet``.

    PITBOARD_DATABASE_URL=sqlite:///full.sqlite3 .venv/bin/python bench/export.py [--repeats 5]

Both read the same rows through the same connection, in the same process, one after the
other in each repeat; medians of the repeats are printed, with the peak memory each added
(tracemalloc, Python allocations only: pandas' and pyarrow's own buffers count, the
database's do not).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitboard.settings")
    import django

    django.setup()
    import pandas as pd
    from django.db import connection

    from pitboard import exports

    results = exports.ANALYST_TABLES[0]
    sql = results.sql.format(where="1 = 1")

    def baseline(folder: Path) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            frame = pd.DataFrame(cursor.fetchall(), columns=[n for n, _ in results.columns])
        frame.to_parquet(folder / "baseline.parquet")

    def results_only(folder: Path) -> None:
        exports._write_parquet(folder / "results.parquet", results, results.read(()))

    def everything(folder: Path) -> None:
        exports.export("parquet", folder / "export")

    runs: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.repeats):
        for name, work in (
            ("pandas read_sql + to_parquet (results)", baseline),
            ("pitboard, results table", results_only),
            ("pitboard export, every table + manifest", everything),
        ):
            runs.setdefault(name, []).append(_measure(work))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM records_result")
        (rows,) = cursor.fetchone()
    print(f"{connection.vendor}, {rows:,} results; medians of {args.repeats}")
    for name, got in runs.items():
        seconds = statistics.median(s for s, _ in got)
        peak = statistics.median(m for _, m in got)
        print(f"  {name:45} {seconds:6.2f} s  peak {peak / 1e6:7.1f} MB")


def _measure(work: Callable[[Path], None]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="pitboard-export-") as folder:
        tracemalloc.start()
        began = time.perf_counter()
        work(Path(folder))
        seconds = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return seconds, peak


if __name__ == "__main__":
    main()
