"""The record book: all-time and per-series leaders in the counting statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pitboard.records.models import Driver
from pitboard.records.services.schedule import require_series
from pitboard.records.services.tallies import counted

STATS = {
    "wins": "Wins",
    "starts": "Starts",
    "poles": "Poles",
    "top5": "Top fives",
    "laps_led": "Laps led",
}
SHOWN = 20


def leaders(series: str | None = None, top: int = SHOWN) -> dict[str, Any]:
    """The *top* drivers in each statistic, over every series or one.

    Summed by the database from the season tallies (the definitions of the career statistics).
    """
    where = Q()
    if series:
        require_series(series)
        where = Q(season__series__slug=series)
    totals: list[dict[str, Any]] = [dict(row) for row in counted("driver", where, *STATS)]
    tables: dict[str, list[dict[str, Any]]] = {}
    shown: set[int] = set()
    for stat in STATS:
        best = sorted((t for t in totals if t[stat]), key=lambda t: (-t[stat], t["driver_id"]))[
            :top
        ]
        tables[stat] = best
        shown.update(t["driver_id"] for t in best)
    names = {
        pk: (name, slug)
        for pk, name, slug in Driver.objects.filter(id__in=shown).values_list(
            "id", "person__name", "slug"
        )
    }
    return {
        "series": series,
        "leaders": {
            stat: [
                {
                    "rank": _rank(rows, i, stat),
                    "driver": {"name": names[t["driver_id"]][0], "slug": names[t["driver_id"]][1]},
                    "value": t[stat],
                    "starts": t["starts"],
                }
                for i, t in enumerate(rows)
            ]
            for stat, rows in tables.items()
        },
    }


def _rank(rows: list[dict[str, Any]], index: int, stat: str) -> int:
    """Competition ranking: drivers level on the statistic share a rank ("1, 2, 2, 4")."""
    value = rows[index][stat]
    return next(i for i, row in enumerate(rows) if row[stat] == value) + 1
