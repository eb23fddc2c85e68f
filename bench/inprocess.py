"""In-process timing of the career query, next to a plain SQL aggregate over the flat table.

Usage: python bench/inprocess.py DATABASE_URL FLAT_SQLITE_FILE "Richard Petty" REPEATS
Prints JSON: medians in milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time

from pitboard.cli import setup_django

url, flat, name, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
setup_django(url)

from pitboard.core.stats import Grouping  # noqa: E402
from pitboard.records.services.careers import career_document, find  # noqa: E402


def pitboard_query() -> object:
    subject, _ = find("driver", name)
    return career_document(subject, Grouping.SERIES)


FLAT_SQL = """
SELECT series, COUNT(*), SUM("Finish" = 1), SUM("Finish" <= 5), SUM("Finish" <= 10),
       SUM("Start" = 1), SUM(COALESCE("Laps", 0)), SUM(COALESCE("Led", 0)),
       ROUND(AVG(NULLIF("Start", 0)), 2), ROUND(AVG("Finish"), 2), MIN("Finish"),
       SUM(LOWER(TRIM("Status")) != 'running'), SUM(COALESCE("Pts", 0))
FROM results WHERE "Driver" = ? AND "Finish" IS NOT NULL GROUP BY series
"""
conn = sqlite3.connect(flat)


def flat_query() -> object:
    return conn.execute(FLAT_SQL, (name,)).fetchall()


def median_ms(fn: object) -> float:
    fn()  # warm caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


print(json.dumps({"pitboard_ms": median_ms(pitboard_query), "flat_sql_ms": median_ms(flat_query)}))
