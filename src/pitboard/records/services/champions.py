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

from django.db.models import Max, OuterRef, Q, Subquery

from pitboard.core.names import name_key
from pitboard.records.models import Driver, Race, Season, SeasonTally
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
    found = season_champions({series: set(years)}, None if racing is None else {series: racing})
    return {
        year: {k: v for k, v in title.items() if k != "id"} for (_, year), title in found.items()
    }


def season_champions(
    raced: dict[str, set[int]], racing: dict[str, set[int]] | None = None
) -> dict[tuple[str, int], dict[str, Any]]:
    """``champions`` for many series at once: (series, season) → its champion, with his
    driver ``id`` too (None where no driver record bears the name). A few queries whatever
    the number of series. *racing*: series → the seasons under way, if known."""
    if racing is None:
        racing = seasons_under_way(raced)
    wanted = {series: years - racing.get(series, set()) for series, years in raced.items() if years}
    leaders = final_leaders_of(wanted)
    out: dict[tuple[str, int], dict[str, Any]] = {}
    official: dict[tuple[str, int], Published] = {}
    for series, years in wanted.items():
        for year in years:
            known = published().get((series, year))
            leader = leaders.get((series, year))
            if known is None or (leader is not None and leader["name"] == known.name):
                if leader is not None:
                    url = known.source_url if known else None
                    out[series, year] = {
                        **leader,
                        "source": "rules",
                        "source_url": url,
                        "why": None,
                    }
                continue
            official[series, year] = known
    found = _drivers_by_name(official)
    for (series, year), known in official.items():
        leader = leaders.get((series, year))
        why = known.cannot_compute or (
            f"the standings computed from the results name {leader['name']}"
            if leader
            else "the results give no standings"
        )
        pk, slug = found.get((series, year, name_key(known.name)), (None, None))
        out[series, year] = {
            "name": known.name,
            "slug": slug,
            "id": pk,
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
    return seasons_under_way({series: set(years)}).get(series, set())


def seasons_under_way(
    raced: dict[str, set[int]], latest: dict[str, int] | None = None
) -> dict[str, set[int]]:
    """``under_way`` for many series at once (one query, none when *latest* gives each
    series' latest season, and two per latest season that may be under way)."""
    if latest is None:
        latest = dict(
            Season.objects.filter(series__slug__in=list(raced))
            .values_list("series__slug")
            .annotate(last=Max("year"))
            .order_by()
        )
    return {
        series: {last}
        for series, last in latest.items()
        if last in raced.get(series, ()) and _latest_under_way(series, last)
    }


def _latest_under_way(series: str, year: int) -> bool:
    """Whether *year*, the series' latest season in the record, is still being raced."""
    if (series, year) in published() or year < date.today().year:
        return False
    scheduled = scheduled_races(series, year)
    run = Race.objects.filter(season__series__slug=series, season__year=year)
    return scheduled is None or run.count() < scheduled


def driver_titles(
    name: str,
    raced: dict[str, set[int]],
    places: dict[tuple[str, int], int],
    latest: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The championships of the driver called *name*, of the seasons he raced (series → years)
    given his places in their last stored standings: the same verdict as ``champions`` gives
    season by season, reached from the driver's side (one query for the series' latest seasons,
    and two for a latest season that may be under way). Each title is ``rules``
    (the standings crown him, and agree with the published champion where there is one) or
    ``official`` (the published champion is he, the standings name someone else). *latest*:
    each series' latest season, if known."""
    racing = seasons_under_way(raced, latest)
    key = name_key(name)
    won = []
    for series, years in raced.items():
        for year in years:
            known = published().get((series, year))
            first = places.get((series, year)) == 1
            if known is not None and name_key(known.name) != key:
                continue  # the published champion is someone else
            if known is None and not (first and year not in racing.get(series, ())):
                continue
            won.append(
                {"series": series, "season": year, "source": "rules" if first else "official"}
            )
    return sorted(won, key=lambda t: (t["series"], t["season"]))


def final_leaders(series: str, years: set[int]) -> dict[int, dict[str, Any]]:
    """Season → the leader of its last stored standings (its champion's, if it is complete)."""
    return {year: leader for (_, year), leader in final_leaders_of({series: years}).items()}


def final_leaders_of(raced: dict[str, set[int]]) -> dict[tuple[str, int], dict[str, Any]]:
    """(series, season) → the leader of its last stored standings (``name``, ``slug``, ``id``),
    as the season tallies note each driver's final place: one query for all."""
    raced = {series: years for series, years in raced.items() if years}
    if not raced:
        return {}
    driver = Driver.objects.filter(id=OuterRef("subject_id"))
    leaders = (
        SeasonTally.objects.filter(_in_seasons(raced), kind="driver", place=1)
        .annotate(
            name=Subquery(driver.values("person__name")[:1]),
            slug=Subquery(driver.values("slug")[:1]),
        )
        .values_list("season__series__slug", "season__year", "subject_id", "name", "slug")
        .distinct()
    )
    return {
        (series, year): {"name": name, "slug": slug, "id": pk}
        for series, year, pk, name, slug in sorted(leaders)
        if slug is not None
    }


def _drivers_by_name(
    champions: dict[tuple[str, int], Published],
) -> dict[tuple[str, int, str], tuple[int, str]]:
    """(series, season, name key) → the id and slug of the driver of that name who raced the
    series that season (the record may hold namesakes)."""
    keys = {name_key(c.name) for c in champions.values()}
    if not keys:
        return {}
    seasons: dict[str, set[int]] = {}
    for series, year in champions:
        seasons.setdefault(series, set()).add(year)
    driver = Driver.objects.filter(id=OuterRef("subject_id"))
    found: dict[tuple[str, int, str], tuple[int, str]] = {}
    for series, year, pk, key, slug in (
        SeasonTally.objects.filter(
            _in_seasons(seasons),
            kind="driver",
            subject_id__in=Driver.objects.filter(person__name_key__in=keys).values("id"),
        )
        .annotate(
            key=Subquery(driver.values("person__name_key")[:1]),
            slug=Subquery(driver.values("slug")[:1]),
        )
        .values_list("season__series__slug", "season__year", "subject_id", "key", "slug")
        .order_by("subject_id")
    ):
        found.setdefault((series, year, key), (pk, slug))
    return found


def _in_seasons(raced: dict[str, set[int]]) -> Q:
    """The season tallies of these series' seasons (series → years)."""
    where = Q()
    for series, years in raced.items():
        where |= Q(season__series__slug=series, season__year__in=years)
    return where
