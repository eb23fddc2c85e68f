"""Series, seasons and races as readers see them: schedules, winners, results.

Every function returns plain data (dicts and lists) for the pages and the API alike, in a fixed,
small number of queries whatever the size of the season.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, prefetch_related_objects

from pitboard.core.rules import ChampionshipKind
from pitboard.records.models import (
    ChampionshipRace,
    Race,
    Result,
    ResultStatement,
    Season,
    Series,
    StandingRow,
)
from pitboard.records.services.champions import champions, final_leaders, under_way
from pitboard.records.services.points import PointsError
from pitboard.records.services.standings import (
    standings_for,
)


class NotFound(Exception):
    """The series, season or race asked for is not in the database."""


def series_list() -> list[dict[str, Any]]:
    rows = Series.objects.annotate(
        seasons_count=Count("seasons", distinct=True),
        first=Min("seasons__year"),
        last=Max("seasons__year"),
    ).order_by("display_order", "slug")
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "level": s.level,
            "country": s.country,
            "seasons": s.seasons_count,
            "first_season": s.first,
            "last_season": s.last,
        }
        for s in rows
    ]


def require_series(slug: str) -> Series:
    """The series *slug*; NotFound when there is none."""
    series = Series.objects.filter(slug=slug).first()
    if series is None:
        raise NotFound(f"no series {slug!r}")
    return series


def series_index() -> list[dict[str, Any]]:
    """Every series with a season, grouped by level (national first), each with its span of
    seasons, its number of races and its sanctioning body."""
    rows = (
        Series.objects.annotate(
            first=Min("seasons__year"), last=Max("seasons__year"), races=Count("seasons__races")
        )
        .filter(first__isnull=False)
        .order_by("display_order", "slug")
        .values(
            "slug",
            "name",
            "level",
            "country",
            "first",
            "last",
            "races",
            "sanctioning_body__abbreviation",
        )
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found = dict(row)
        found["body"] = found.pop("sanctioning_body__abbreviation") or ""
        groups.setdefault(str(found["level"]), []).append(found)
    order = {level: i for i, level in enumerate(Series.Level.values)}  # national first
    return [
        {"level": level, "series": found}
        for level, found in sorted(groups.items(), key=lambda g: order.get(g[0], len(order)))
    ]


def series_page(slug: str) -> dict[str, Any]:
    """A series: its names over the years and every season with races, winners and champion."""
    series = require_series(slug)
    prefetch_related_objects([series], "names")
    seasons = (
        Season.objects.filter(series=series)
        .annotate(races_count=Count("races"))
        .values_list("year", "races_count")
        .order_by("year")
    )
    years = [year for year, _ in seasons]
    racing = under_way(series.slug, years)
    titles = champions(series.slug, years, racing=racing)
    leading = final_leaders(series.slug, racing)
    return {
        "slug": series.slug,
        "name": series.name,
        "level": series.level,
        "country": series.country,
        "names": [
            {
                "name": n.name,
                "first_season": n.first_season,
                "last_season": n.last_season,
                "source_url": n.source_url,
            }
            for n in series.names.all()
        ],
        "seasons": [
            {
                "season": year,
                "name": series.name_in(year),
                "races": count,
                "champion": _champion_ref(titles.get(year)),
                "champion_source": titles[year]["source"] if year in titles else None,
                "under_way": year in racing,
                "leader": _champion_ref(leading.get(year)),
            }
            for year, count in seasons
        ],
    }


# The links that make a race count for another series' season: combination races.
_links = ChampionshipRace.objects.filter(round__isnull=False)


def _races(season: Season) -> list[dict[str, Any]]:
    """The season's races: its own, and the combination races another series holds, each at
    its round in this season (a fixed number of queries)."""
    races = list(
        Race.objects.filter(
            Q(season=season)
            | Q(
                championshiprace__championship__season=season, championshiprace__round__isnull=False
            )
        )
        .select_related("track", "season__series")
        .annotate(combined=Exists(_links.filter(race=OuterRef("pk"))))
        .distinct()
    )
    ids = [race.pk for race in races]
    winners = {
        race_id: {"name": name, "slug": slug}
        for race_id, name, slug in Result.objects.filter(race_id__in=ids, finish=1)
        .values_list("race_id", "driver__person__name", "driver__slug")
        .order_by("race_id", "entry")
    }
    counted = counted_in([race for race in races if race.combined])
    rows = []
    for race in races:
        seasons = counted.get(race.pk, [])
        here = [c["round"] for c in seasons if c["series"] == season.series.slug]
        rows.append(
            {
                "round": here[0] if here else race.round,
                "date": race.date.isoformat() if race.date else None,
                "name": race.name,
                "track": {"name": race.track.name, "slug": race.track.slug},
                "surface": race.surface,
                "length_miles": race.length_miles,
                "scheduled_laps": race.scheduled_laps,
                "winner": winners.get(race.pk),
                "also_counts_for": [c for c in seasons if c["series"] != season.series.slug],
            }
        )
    return sorted(rows, key=lambda row: row["round"])


def counted_in(races: list[Race]) -> dict[int, list[dict[str, Any]]]:
    """Per combination race of *races* (loaded with their season and series), every season it
    counts in, its own first: series, its name then, season, round. One query, and one more for
    the series' names when there is a combination race among them."""
    if not races:
        return {}
    links = list(
        _links.filter(race_id__in=[race.pk for race in races]).select_related(
            "championship__season__series"
        )
    )
    if not links:
        return {}
    held = {race.pk: race for race in races}
    series = {race.season.series for race in races} | {
        link.championship.season.series for link in links
    }
    prefetch_related_objects(list(series), "names")
    named = {s.pk: s for s in series}
    found: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        race = held[link.race_id]
        if link.race_id not in found:
            found[link.race_id] = [_counted(named, race.season, race.round)]
        found[link.race_id].append(_counted(named, link.championship.season, link.round or 0))
    return found


def _counted(named: dict[int, Series], season: Season, rnd: int) -> dict[str, Any]:
    series = named[season.series_id]
    return {
        "series": series.slug,
        "series_name": series.name_in(season.year),
        "season": season.year,
        "round": rnd,
    }


def _last_round(season_id: int) -> int:
    """A season's last round, counting the combination races another series holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT MAX(rnd) FROM (
                SELECT round AS rnd FROM records_race WHERE season_id = %s
                UNION ALL
                SELECT cr.round FROM records_championshiprace cr
                JOIN records_championship c ON c.id = cr.championship_id
                WHERE c.season_id = %s AND cr.round IS NOT NULL
            ) rounds
            """,
            [season_id, season_id],
        )
        found = cursor.fetchone()
    return int(found[0] or 0) if found else 0


def _season(series: str, year: int) -> Season:
    season = (
        Season.objects.select_related("series")
        .prefetch_related("series__names")
        .filter(series__slug=series, year=year)
        .first()
    )
    if season is None:
        raise NotFound(f"no season {year} of series {series!r}")
    return season


def schedule(series: str, year: int) -> dict[str, Any]:
    season = _season(series, year)
    named = season.series.name_entry(year)
    racing = under_way(series, [year])
    champion = champions(series, [year], racing=racing).get(year)
    return {
        "series": series,
        "season": year,
        "name": named.name if named else season.series.name,
        "name_source": named.source_url or None if named else None,
        "champion": _champion_ref(champion),
        "champion_source": champion["source"] if champion else None,
        "champion_source_url": champion["source_url"] if champion else None,
        "champion_why": champion["why"] if champion else None,
        "under_way": bool(racing),
        "races": _races(season),
    }


def _champion_ref(champion: dict[str, Any] | None) -> dict[str, Any] | None:
    return {"name": champion["name"], "slug": champion["slug"]} if champion else None


def season_page(series: str, year: int, after_round: int | None = None) -> dict[str, Any]:
    """Schedule, the standings of every championship that can be scored (after *after_round*,
    else after the last round), and the top ten's points round by round."""
    page = schedule(series, year)
    page["progression"] = progression(series, year)
    scored = page["progression"]["rounds"]
    if after_round is not None and not 1 <= after_round <= scored:
        raise NotFound(f"{series} {year} has no standings after round {after_round}")
    # The rounds a reader may ask the standings after: those run (and scored) so far.
    page["standing_rounds"] = [r for r in page["races"] if r["round"] <= scored]
    standings: dict[str, dict[str, Any]] = {}
    for kind in ChampionshipKind:
        try:
            standings[kind.value] = standings_for(
                series, year, after_round=after_round, kind=kind, with_slugs=True
            )
        except PointsError:
            continue
    page["standings"] = standings
    return page


def progression(series: str, year: int, top: int = 10) -> dict[str, Any]:
    """Points after every round of the drivers who finished the season in the top *top*."""
    season = _season(series, year)
    rows = StandingRow.objects.filter(season=season)
    last = rows.aggregate(last=Max("after_round"))["last"]
    if last is None:
        return {"rounds": 0, "drivers": []}
    leaders = list(
        rows.filter(after_round=last, position__lte=top)
        .order_by("position")
        .values_list("driver_id", "driver__person__name", "driver__slug")
    )
    points: dict[int, list[int | None]] = {pk: [None] * last for pk, _, _ in leaders}
    for driver, rnd, value in rows.filter(driver_id__in=list(points)).values_list(
        "driver_id", "after_round", "points"
    ):
        points[driver][rnd - 1] = value
    return {
        "rounds": last,
        "drivers": [
            {"name": name, "slug": slug, "points": points[pk]} for pk, name, slug in leaders
        ],
    }


RESULT_FIELDS = (
    "finish",
    "start",
    "car_number",
    "driver__person__name",
    "driver__slug",
    "team__name",
    "team__slug",
    "manufacturer__name",
    "laps",
    "laps_led",
    "status_text",
    "status_class",
    "points",
    "stage_finishes",
)


def race_page(series: str, year: int, rnd: int) -> dict[str, Any]:
    """A race: its facts and every entry's result, finishers first in finishing order."""
    own = (
        Race.objects.select_related("track", "season__series")
        .prefetch_related("season__series__names")
        .filter(season__series__slug=series, season__year=year, round=rnd)
        .annotate(combined=Exists(_links.filter(race=OuterRef("pk"))))
        .first()
    )
    # A combination race another series holds, seen as this series' round: its points.
    link = None
    if own is None:
        link = (
            _links.select_related(
                "race__track", "race__season__series", "championship__season__series"
            )
            .prefetch_related("championship__season__series__names")
            .filter(
                championship__season__series__slug=series,
                championship__season__year=year,
                round=rnd,
            )
            .first()
        )
    if link is not None:
        race, combined = link.race, True
    elif own is not None:
        race, combined = own, own.combined
    else:
        raise NotFound(f"no round {rnd} of {series} {year}")
    season = link.championship.season if link is not None else race.season
    points = (
        dict(
            ResultStatement.objects.filter(result__race=race, dataset=link.dataset).values_list(
                "result_id", "points"
            )
        )
        if link is not None
        else None
    )
    results = [
        {
            "finish": row[0],
            "start": row[1],
            "car_number": row[2],
            "driver": {"name": row[3], "slug": row[4]},
            "team": {"name": row[5], "slug": row[6]} if row[5] else None,
            "manufacturer": row[7] or None,
            "manufacturer_slug": row[15],
            "laps": row[8],
            "laps_led": row[9],
            "status": row[10] or row[11],
            "status_class": row[11],
            "points": row[12] if points is None else points.get(row[14]),
            "stage_finishes": row[13] or [],
        }
        for row in Result.objects.filter(race=race)
        .order_by("finish", "driver__person__name", "entry")
        .values_list(*RESULT_FIELDS, "id", "manufacturer__slug")
    ]
    results.sort(key=lambda r: (r["finish"] is None, r["finish"] or 0))
    rounds = _last_round(season.pk)
    led = [r for r in results if r["laps_led"]]
    distance = (
        round(race.scheduled_laps * race.length_miles, 1)
        if race.scheduled_laps and race.length_miles
        else None
    )
    return {
        "id": race.pk,
        "series": series,
        "series_name": season.series.name_in(year),
        "season": year,
        "round": rnd,
        "rounds": rounds,
        "also_counts_for": [
            c
            for c in (counted_in([race]).get(race.pk, []) if combined else [])
            if c["series"] != series
        ],
        "name": race.name,
        "date": race.date.isoformat() if race.date else None,
        "track": {"name": race.track.name, "slug": race.track.slug},
        "surface": race.surface,
        "length_miles": race.length_miles,
        "scheduled_laps": race.scheduled_laps,
        "distance_miles": distance,
        "car_count": race.car_count,
        "cautions": race.cautions,
        "lead_changes": race.lead_changes,
        "average_speed": race.average_speed,
        "pole_speed": race.pole_speed,
        "entries": len(results),
        "starters": sum(1 for r in results if r["finish"] is not None),
        "leaders": len(led),
        "most_laps_led": max(led, key=lambda r: r["laps_led"])["driver"] if led else None,
        "stages": max((len(r["stage_finishes"]) for r in results), default=0),
        "results": results,
    }


def _latest_seasons() -> list[Season]:
    """The latest season of every series, in display order (two queries)."""
    latest = Season.objects.values("series_id").annotate(last=Max("year"))
    wanted = Q()
    for row in latest:
        wanted |= Q(series_id=row["series_id"], year=row["last"])
    if not wanted:
        return []
    return list(
        Season.objects.filter(wanted)
        .select_related("series")
        .prefetch_related("series__names")
        .order_by("series__display_order", "series__slug")
    )


def latest_races() -> list[dict[str, Any]]:
    """The last race held in each series, with its winner, in a fixed number of queries."""
    seasons = _latest_seasons()
    last: dict[int, Race] = {}
    for held in Race.objects.filter(season__in=seasons).select_related("track").order_by("-round"):
        last.setdefault(held.season_id, held)
    winners = {
        race_id: {"name": name, "slug": slug}
        for race_id, name, slug in Result.objects.filter(
            race__in=list(last.values()), finish=1
        ).values_list("race_id", "driver__person__name", "driver__slug")
    }
    return [
        {
            "series": season.series.slug,
            "series_name": season.series.name_in(season.year),
            "season": season.year,
            "round": race.round,
            "name": race.name,
            "date": race.date.isoformat() if race.date else None,
            "track": {"name": race.track.name, "slug": race.track.slug},
            "winner": winners.get(race.pk),
        }
        for season in seasons
        if (race := last.get(season.pk)) is not None
    ]


def leaders_now(top: int = 5) -> list[dict[str, Any]]:
    """The top of the drivers' standings of each series' latest season."""
    seasons = _latest_seasons()
    rows = StandingRow.objects.filter(season__in=seasons)
    last = dict(
        rows.values_list("season_id").annotate(last=Max("after_round")).order_by("season_id")
    )
    wanted = Q()
    for season_id, rnd in last.items():
        wanted |= Q(season_id=season_id, after_round=rnd)
    tables: dict[int, list[dict[str, Any]]] = {pk: [] for pk in last}
    if wanted:
        for row in (
            rows.filter(wanted, position__lte=top)
            .select_related("driver__person")
            .order_by("position")
        ):
            tables[row.season_id].append(
                {
                    "position": row.position,
                    "driver": row.driver.person.name,
                    "slug": row.driver.slug,
                    "points": row.points,
                }
            )
    return [
        {
            "series": season.series.slug,
            "season": season.year,
            "after_round": last[season.pk],
            "standings": tables[season.pk],
        }
        for season in seasons
        if season.pk in last
    ]
