"""A season's champion: the leader of its final standings, unless the sanctioning body's
published champion says otherwise.

The published champions of the national series ship as data (``pitboard/data/champions.csv``,
a source each). Where the standings computed from the results name someone else (the results
lack the season's penalties, or part of its points), the published champion stands, labelled
``official``, with the reason the table cannot name him; otherwise the champion is the rules'.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from pitboard.core.names import name_key
from pitboard.records.models import Driver, Season, StandingRow
from pitboard.records.services.standings import refresh_stored


@dataclass(frozen=True)
class Published:
    """A champion as the sources publish him."""

    name: str
    source_url: str
    cannot_compute: str  # why the results cannot name him ("" where they can)


@cache
def published() -> dict[tuple[str, int], Published]:
    """(series slug, season) → the published champion."""
    text = files("pitboard.data").joinpath("champions.csv").read_text(encoding="utf-8")
    return {
        (row["series"], int(row["season"])): Published(
            row["champion"],
            row["source_url"],
            row["cannot_compute"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def champions(
    series: str, years: Iterable[int], *, current: bool = False
) -> dict[int, dict[str, Any]]:
    """Season → its champion: ``name``, ``slug`` (None where no driver record bears the name),
    ``source`` (``rules`` or ``official``), ``source_url`` and ``why`` (for ``official``: why
    the standings cannot name him). Seasons with neither standings nor a published champion
    are left out. *current*: the caller has brought these seasons' standings up to date."""
    wanted = set(years)
    if not current:
        stale = Season.objects.filter(series__slug=series, year__in=wanted, standings_stale=True)
        for year in stale.values_list("year", flat=True):
            refresh_stored(series, year)
    leaders = _final_leaders(series, wanted)
    out: dict[int, dict[str, Any]] = {}
    official: dict[int, Published] = {}
    for year in sorted(wanted):
        known = published().get((series, year))
        leader = leaders.get(year)
        if known is None or (leader is not None and leader["name"] == known.name):
            if leader is not None:
                url = known.source_url if known else None
                out[year] = {**leader, "source": "rules", "source_url": url, "why": None}
            continue
        official[year] = known
    slugs = _slugs_by_name(series, official)
    for year, known in official.items():
        leader = leaders.get(year)
        why = known.cannot_compute or (
            f"the standings computed from the results name {leader['name']}"
            if leader
            else "the results give no standings"
        )
        out[year] = {
            "name": known.name,
            "slug": slugs.get((year, name_key(known.name))),
            "source": "official",
            "source_url": known.source_url,
            "why": why,
        }
    return out


def _final_leaders(series: str, years: set[int]) -> dict[int, dict[str, Any]]:
    """Season → the leader of its final stored standings."""
    # Every round has a leader: the final one is the leader after the highest round.
    leaders = (
        StandingRow.objects.filter(season__series__slug=series, season__year__in=years, position=1)
        .order_by("season__year", "-after_round")
        .values_list("season__year", "driver__person__name", "driver__slug")
    )
    found: dict[int, dict[str, Any]] = {}
    for year, name, slug in leaders:
        found.setdefault(year, {"name": name, "slug": slug})
    return found


def _slugs_by_name(series: str, champions: dict[int, Published]) -> dict[tuple[int, str], str]:
    """(season, name key) → the slug of the driver of that name who raced the series that
    season (the record may hold namesakes)."""
    keys = {name_key(c.name) for c in champions.values()}
    if not keys:
        return {}
    found: dict[tuple[int, str], str] = {}
    for year, key, slug in (
        Driver.objects.filter(
            person__name_key__in=keys,
            results__race__season__series__slug=series,
            results__race__season__year__in=list(champions),
        )
        .values_list("results__race__season__year", "person__name_key", "slug")
        .distinct()
    ):
        found.setdefault((year, key), slug)
    return found
