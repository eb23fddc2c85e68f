"""Standings benchmarks, in one process, next to a flat SQL baseline measured in the same run.

Usage: python bench/standings.py DATABASE_URL FLAT_SQLITE_FILE REPEATS
Prints JSON: medians in seconds (or milliseconds where named so).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable

from pitboard.cli import setup_django

url, flat, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
setup_django(url)

from pitboard.records.models import Result, Season  # noqa: E402
from pitboard.records.services.points import PointsError  # noqa: E402
from pitboard.records.services.standings import (  # noqa: E402
    refresh_stale,
    standings_document,
)

SEASONS = list(Season.objects.values_list("series__slug", "year"))


def final_standings_of_every_season() -> int:
    done = 0
    for series, year in SEASONS:
        try:
            standings_document(series, year)
        except PointsError:
            continue
        done += 1
    return done


def store_every_round_of_every_season() -> None:
    Season.objects.update(standings_stale=True)
    refresh_stale()


FLAT_SQL = """
SELECT series, Season, Driver, SUM(COALESCE(Pts, 0)) AS points,
       RANK() OVER (PARTITION BY series, Season ORDER BY SUM(COALESCE(Pts, 0)) DESC) AS position
FROM results GROUP BY series, Season, Driver
"""
conn = sqlite3.connect(flat)


def flat_sql() -> None:
    conn.execute(FLAT_SQL).fetchall()


result = Result.objects.filter(race__season__series__slug="cup", race__season__year=2016).first()
assert result is not None
original = result.points


def one_changed_result() -> None:
    """An official correction of one result: saved, and its season's standings refreshed."""
    result.points = (original or 0) + 1 if result.points == original else original
    result.save()


def median(fn: Callable[[], object], times: int) -> float:
    fn()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


out = {
    "seasons": len(SEASONS),
    "final_standings_all_s": median(final_standings_of_every_season, repeats),
    "stored_every_round_all_s": median(store_every_round_of_every_season, max(1, repeats // 2)),
    "flat_sql_all_s": median(flat_sql, repeats),
    "one_change_ms": median(one_changed_result, repeats * 4) * 1000,
}
one_changed_result() if result.points != original else None
print(json.dumps(out))
