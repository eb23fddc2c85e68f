"""The record book: all-time and per-series leaders in the counting statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, Count, Q, Sum

from pitboard.records.models import Driver, Result
from pitboard.records.services.schedule import require_series

STATS = {
    "wins": "Wins",
    "starts": "Starts",
    "poles": "Poles",
    "top5": "Top fives",
    "laps_led": "Laps led",
}
SHOWN = 20

_STARTED = Q(finish__isnull=False)
# The counting statistics summed by the database, defined as pitboard.core.stats defines them
# (docs/statistics.md): a start is a result with a finishing position, a pole a start from first.
_AGGREGATES: dict[str, Aggregate] = {
    "starts": Count("id", filter=_STARTED),
    "wins": Count("id", filter=Q(finish=1)),
    "top5": Count("id", filter=Q(finish__lte=5)),
    "poles": Count("id", filter=_STARTED & Q(start=1)),
    "laps_led": Sum("laps_led"),
}


def counted(*stats: str) -> dict[str, Aggregate]:
    """Aggregates for ``.annotate()`` over results, one per statistic named."""
    return {stat: _AGGREGATES[stat] for stat in stats}


def leaders(series: str | None = None, top: int = SHOWN) -> dict[str, Any]:
    """The *top* drivers in each statistic, over every series or one.

    Counted by the database, with the definitions of the career statistics (see counted).
    """
    where = Q()
    if series:
        require_series(series)
        where = Q(race__season__series__slug=series)
    totals: list[dict[str, Any]] = [
        dict(row)
        for row in Result.objects.filter(where).values("driver_id").annotate(**counted(*STATS))
    ]
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
