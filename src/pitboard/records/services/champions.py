"""A season's champion: the leader of its final standings, unless the sanctioning body's
published champion says otherwise.

The published champions of the national series ship as data (``pitboard/data/champions.csv``,
a source each). Where the standings computed from the results name someone else (the results
lack the season's penalties, or part of its points), the published champion stands, labelled
``official``, with the reason the table cannot name him; otherwise the champion is the rules'.

A season still being raced has a leader, not a champion (``under_way``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from django.db.models import Max

from pitboard.core.names import name_key
from pitboard.records.models import Driver, Race, Season, StandingRow
from pitboard.records.services.points import scheduled_races


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
    series: str,
    years: Iterable[int],
    *,
    racing: set[int] | None = None,
) -> dict[int, dict[str, Any]]:
    """Season → its champion: ``name``, ``slug`` (None where no driver record bears the name),
    ``source`` (``rules`` or ``official``), ``source_url`` and ``why`` (for ``official``: why
    the standings cannot name him). Seasons with neither standings nor a published champion,
    and seasons still being raced (``under_way``), are left out. *racing*: the seasons under
    way, if known."""
    asked = set(years)
    wanted = asked - (under_way(series, asked) if racing is None else racing)
    leaders = final_leaders(series, wanted)
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


def under_way(series: str, years: Iterable[int]) -> set[int]:
    """The seasons of *years* still being raced: the series' latest season in the record, when
    no champion of it is published, it is of this calendar year or later, and its schedule
    (where a sourced or facts file gives its length) has races left. A season that ends in
    the calendar year it starts in is over by the next January: an earlier season, or one
    followed by another, is complete whatever the record holds of it."""
    latest = Season.objects.filter(series__slug=series).aggregate(last=Max("year"))["last"]
    if latest is None or latest not in set(years):
        return set()
    return {latest} if _latest_under_way(series, latest) else set()


def _latest_under_way(series: str, year: int) -> bool:
    """Whether *year*, the series' latest season in the record, is still being raced."""
    if (series, year) in published() or year < date.today().year:
        return False
    scheduled = scheduled_races(series, year)
    run = Race.objects.filter(season__series__slug=series, season__year=year)
    return scheduled is None or run.count() < scheduled


def driver_titles(
    name: str, raced: dict[str, set[int]], places: dict[tuple[str, int], int]
) -> list[dict[str, Any]]:
    """The championships of the driver called *name*, of the seasons he raced (series → years)
    given his places in their last stored standings: the same verdict as ``champions`` gives
    season by season, reached from the driver's side (one query for the series' latest seasons,
    and two for a latest season that may be under way). Each title is ``rules``
    (the standings crown him, and agree with the published champion where there is one) or
    ``official`` (the published champion is he, the standings name someone else)."""
    latest = dict(
        Season.objects.filter(series__slug__in=list(raced))
        .values_list("series__slug")
        .annotate(last=Max("year"))
        .order_by()
    )
    key = name_key(name)
    won = []
    for series, years in raced.items():
        for year in years:
            known = published().get((series, year))
            first = places.get((series, year)) == 1
            if known is not None and name_key(known.name) != key:
                continue  # the published champion is someone else
            racing = latest.get(series) == year and _latest_under_way(series, year)
            if known is None and not (first and not racing):
                continue
            won.append(
                {"series": series, "season": year, "source": "rules" if first else "official"}
            )
    return sorted(won, key=lambda t: (t["series"], t["season"]))


def final_leaders(series: str, years: set[int]) -> dict[int, dict[str, Any]]:
    """Season → the leader of its last stored standings (its champion's, if it is complete)."""
    if not years:
        return {}
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
