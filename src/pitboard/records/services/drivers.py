"""Drivers as readers look for them: a filtered list, and everything on one driver's page.

A driver's page is built from one query of their results: the career tables, the charts, the
best tracks and the paged results list are all computed from those lines by the core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Max, Min, OuterRef, Q, Subquery

from pitboard.core.countries import country_name
from pitboard.core.names import rank
from pitboard.core.stats import Grouping, ResultLine, best_of, career
from pitboard.records.models import (
    Driver,
    PersonAlias,
    Race,
    Result,
    Series,
    SlugRedirect,
    Source,
    StandingRow,
    Track,
)
from pitboard.records.services import statements
from pitboard.records.services.careers import driver_candidates, in_every_season
from pitboard.records.services.champions import driver_titles
from pitboard.records.services.leaders import counted
from pitboard.records.services.paging import PER_PAGE, Paging
from pitboard.records.services.schedule import NotFound, require_series
from pitboard.records.services.sources import shown_address
from pitboard.records.services.statements import PEOPLE

SEARCH_LIMIT = 200  # matches of a name query considered before filtering
BEST_TRACKS = 10
MIN_STARTS_AT_TRACK = 3


def eras() -> list[str]:
    """The decades the database has races in: "1940s" …"""
    years = Race.objects.aggregate(first=Min("season__year"), last=Max("season__year"))
    if years["first"] is None:
        return []
    return [f"{decade}s" for decade in range(years["first"] // 10 * 10, years["last"] + 1, 10)]


def era_years(era: str) -> tuple[int, int]:
    """ "1970s" → (1970, 1979); raises ValueError for anything else."""
    if len(era) != 5 or not era.endswith("s") or not era[:4].isdigit() or era[3] != "0":
        raise ValueError(f"an era is a decade such as 1970s, not {era!r}")
    start = int(era[:4])
    return start, start + 9


def raced_in(series: str | None, era: str | None) -> Q:
    """The results of *series* (checked to exist) during *era* (a decade), either optional."""
    where = Q()
    if series:
        require_series(series)
        where &= Q(race__season__series__slug=series)
    if era:
        first, last = era_years(era)
        where &= Q(race__season__year__range=(first, last))
    return where


def driver_list(
    q: str = "", series: str | None = None, era: str | None = None, page: int = 1
) -> dict[str, Any]:
    """Drivers who raced in *series* during *era*, matching *q* when given.

    With a query, drivers come in the order of the name ranking (exact > alias > prefix >
    contains > fuzzy, as the CLI ranks them); without one, by wins, then starts.
    """
    where = raced_in(series, era)
    matched: list[int] | None = None
    if q.strip():
        matched = [m.candidate.id for m in rank(q, driver_candidates(), limit=SEARCH_LIMIT)]
        where &= Q(driver_id__in=matched)
    stats = counted("starts", "wins")
    grouped = (
        Result.objects.filter(where)
        .values("driver_id")
        .annotate(
            starts=stats["starts"],
            wins=stats["wins"],
            first=Min("race__season__year"),
            last=Max("race__season__year"),
        )
    )
    if matched is None:
        paging = Paging.of(grouped.count(), page)
        rows = list(
            grouped.order_by("-wins", "-starts", "driver_id")[
                paging.offset : paging.offset + paging.per_page
            ]
        )
    else:
        order = {pk: i for i, pk in enumerate(matched)}
        found = sorted(grouped, key=lambda r: order[r["driver_id"]])
        paging = Paging.of(len(found), page)
        rows = paging.window(found)
    names = {
        pk: (name, slug)
        for pk, name, slug in Driver.objects.filter(
            id__in=[r["driver_id"] for r in rows]
        ).values_list("id", "person__name", "slug")
    }
    return {
        "query": q,
        "series": series,
        "era": era,
        **paging.as_dict(),
        "drivers": [
            {
                "name": names[r["driver_id"]][0],
                "slug": names[r["driver_id"]][1],
                "starts": r["starts"],
                "wins": r["wins"],
                "first_season": r["first"],
                "last_season": r["last"],
            }
            for r in rows
        ],
    }


@dataclass(frozen=True)
class _Line:
    """One result of the driver, with what the results table shows beside the statistics."""

    stat: ResultLine
    track_id: int
    round: int
    race_name: str
    car_number: str
    team: str | None
    manufacturer: str | None
    status_text: str
    team_slug: str | None


# The first columns in ResultLine's order, then what the results table adds, then the order.
_LINES_SQL = (
    in_every_season(
        "SELECT s.slug, se.year, '', res.start, res.finish, res.laps, res.laps_led, "
        "res.status_class, {points}, {also}, r.track_id, {round}, r.name, res.car_number, "
        "t.name, m.name, res.status_text, t.slug, s.display_order, res.entry",
        """
        JOIN records_series s ON s.id = se.series_id
        LEFT JOIN records_team t ON t.id = res.team_id
        LEFT JOIN records_manufacturer m ON m.id = res.manufacturer_id
        WHERE res.driver_id = %s
        """,
    )
    + " ORDER BY 2, 19, 1, 12, 20"
)
_STAT_COLUMNS = len(ResultLine._fields)
_LINE_COLUMNS = _STAT_COLUMNS + 8


def _driver_lines(driver_id: int) -> list[_Line]:
    with connection.cursor() as cursor:
        cursor.execute(_LINES_SQL, [driver_id, driver_id])
        rows = cursor.fetchall()
    return [
        _Line(ResultLine._make(row[:_STAT_COLUMNS]), *row[_STAT_COLUMNS:_LINE_COLUMNS])
        for row in rows
    ]


def driver_header(slug: str) -> dict[str, Any]:
    driver = Driver.objects.select_related("person").filter(slug=slug).first()
    if driver is None:
        raise NotFound(f"no driver with the slug {slug!r}")
    person = driver.person
    aliases = list(
        PersonAlias.objects.filter(person=person).order_by("name").values_list("name", flat=True)
    )
    facts: dict[str, Any] = {
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "hometown": person.hometown or None,
        "nationality": person.nationality or None,
    }
    if person.nationality:
        facts["nationality_name"] = country_name(person.nationality)
        facts["nationality_source"] = _stated_by(person.pk)
    return {
        "id": str(driver.pk),
        "name": person.name,
        "slug": driver.slug,
        "aliases": aliases,
        "facts": {k: v for k, v in facts.items() if v},
    }


def _stated_by(person: int) -> dict[str, Any] | None:
    """Where a person's shown facts come from: the statement of the first-ranked dataset."""
    said = statements.load(PEOPLE, [person]).get(person)
    if not said:
        return None
    _, lead = statements.derive(PEOPLE, said)
    source = Source.objects.filter(pk=lead.source_id or 0).values("uri", "citation").first()
    if source is None:
        return None
    file, link = shown_address(source["uri"])
    return {
        "dataset": lead.dataset,
        "citation": source["citation"] or None,
        "file": file,
        "link": link,
        "row": lead.source_row,
    }


def moved_to(slug: str) -> str | None:
    """The slug of the driver an old slug now belongs to (after a merge), if any."""
    return SlugRedirect.objects.filter(old_slug=slug).values_list("driver__slug", flat=True).first()


def driver_page(slug: str, page: int = 1) -> dict[str, Any]:
    """Everything the driver page shows, from the driver's results read once."""
    header = driver_header(slug)
    lines = _driver_lines(int(header["id"]))
    series = Series.objects.values_list("slug", "display_order", "name")
    order = {slug: rank for slug, rank, _ in series}
    names = {slug: name for slug, _, name in series}

    def rank_series(slug: str) -> int:
        return order.get(slug, 1000)

    called = names_then({line.stat.series for line in lines})
    stats = [line.stat for line in lines]
    by_series, total = career(stats, Grouping.SERIES, rank_series)
    by_season, _ = career(stats, Grouping.SEASON, rank_series)
    tracks = {
        pk: (name, tslug)
        for pk, name, tslug in Track.objects.filter(
            id__in={line.track_id for line in lines}
        ).values_list("id", "name", "slug")
    }
    # Every series together, track by track, each start once; a track's key sorts by its name.
    keys = {pk: f"{name}#{pk}" for pk, (name, _) in tracks.items()}
    track_of = {key: pk for pk, key in keys.items()}
    once = [line for line in lines if not line.stat.also]
    at_track = [line.stat._replace(series="", track=keys[line.track_id]) for line in once]
    by_track, _ = career(at_track, Grouping.TRACK)
    best = [
        {
            "track": dict(zip(("name", "slug"), tracks[track_of[row.track or ""]], strict=True)),
            "starts": row.starts,
            "wins": row.wins,
            "top5": row.top5,
            "avg_finish": row.avg_finish,
        }
        for row in best_of(by_track, MIN_STARTS_AT_TRACK, BEST_TRACKS)
    ]
    paging = Paging.of(len(lines), page)
    places = final_places(int(header["id"]))
    won = driver_titles(header["name"], _raced(lines), places)
    crowned = {(t["series"], t["season"]): t["source"] for t in won}
    return {
        "driver": header,
        "titles": [
            {**t, "series_name": called(t["series"], t["season"])}
            for t in sorted(won, key=lambda t: (rank_series(t["series"]), t["season"]))
        ],
        "series_names": {s: names.get(s, s) for s in order if s in {x.stat.series for x in lines}},
        "career": [row.as_dict() for row in by_series],
        "total": total.as_dict(),
        "seasons": [
            {
                **row.as_dict(),
                "series_name": called(row.series or "", row.season or 0),
                "final_position": places.get((row.series or "", row.season or 0)),
                "champion": crowned.get((row.series or "", row.season or 0)),
            }
            # In time order (the table starts with the season), each season's series in order.
            for row in sorted(by_season, key=lambda r: (r.season or 0, rank_series(r.series or "")))
        ],
        "best_tracks": best,
        "finishes": [
            {"season": x.stat.season, "series": x.stat.series, "finish": x.stat.finish}
            for x in once
            if x.stat.finish is not None
        ],
        "ladder": _ladder(lines, rank_series),
        "results": {
            **paging.as_dict(),
            "items": [_result_row(x, tracks) for x in paging.window(lines)],
        },
    }


def _raced(lines: list[_Line]) -> dict[str, set[int]]:
    """Series → the seasons the driver raced in it."""
    raced: dict[str, set[int]] = {}
    for line in lines:
        raced.setdefault(line.stat.series, set()).add(line.stat.season)
    return raced


def final_places(driver_id: int) -> dict[tuple[str, int], int]:
    """(series, season) → the driver's place in the season's last stored drivers' standings."""
    last = (
        StandingRow.objects.filter(season=OuterRef("season"))
        .order_by("-after_round")
        .values("after_round")[:1]
    )
    return {
        (series, year): position
        for series, year, position in StandingRow.objects.filter(
            driver_id=driver_id, after_round=Subquery(last)
        ).values_list("season__series__slug", "season__year", "position")
    }


def names_then(slugs: set[str]) -> Callable[[str, int], str]:
    """A function giving a series' name in a season (two queries: the series, their names)."""
    found = {s.slug: s for s in Series.objects.filter(slug__in=slugs).prefetch_related("names")}

    def called(slug: str, season: int) -> str:
        return found[slug].name_in(season) if slug in found else slug

    return called


def _result_row(line: _Line, tracks: dict[int, tuple[str, str]]) -> dict[str, Any]:
    name, tslug = tracks.get(line.track_id, ("", ""))
    return {
        "series": line.stat.series,
        "season": line.stat.season,
        "round": line.round,
        "race": line.race_name,
        "track": {"name": name, "slug": tslug},
        "car_number": line.car_number,
        "team": line.team,
        "team_slug": line.team_slug,
        "manufacturer": line.manufacturer,
        "start": line.stat.start,
        "finish": line.stat.finish,
        "laps": line.stat.laps,
        "laps_led": line.stat.laps_led,
        "status": line.status_text or line.stat.status_class,
        "points": line.stat.points,
    }


def _ladder(lines: list[_Line], rank_series: Any) -> list[dict[str, Any]]:
    """Per series, the seasons raced and the starts in each: the career as a ladder."""
    starts: dict[str, dict[int, int]] = {}
    for line in lines:
        seasons = starts.setdefault(line.stat.series, {})
        seasons[line.stat.season] = seasons.get(line.stat.season, 0) + (
            line.stat.finish is not None
        )
    return [
        {"series": s, "seasons": dict(sorted(starts[s].items()))}
        for s in sorted(starts, key=rank_series)
    ]


def driver_detail(slug: str) -> dict[str, Any]:
    """Who the driver is (names, known facts) and the career total."""
    header = driver_header(slug)
    lines = _driver_lines(int(header["id"]))
    _, total = career([line.stat for line in lines], Grouping.SERIES)
    places = final_places(int(header["id"]))
    won = driver_titles(header["name"], _raced(lines), places)
    return {**header, "total": total.as_dict(), "titles": won}


def driver_results(slug: str, page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of the driver's results, oldest first."""
    header = driver_header(slug)
    lines = _driver_lines(int(header["id"]))
    paging = Paging.of(len(lines), page, per_page)
    shown = paging.window(lines)
    tracks = {
        pk: (name, tslug)
        for pk, name, tslug in Track.objects.filter(
            id__in={line.track_id for line in shown}
        ).values_list("id", "name", "slug")
    }
    return {
        "driver": {k: header[k] for k in ("id", "name", "slug")},
        **paging.as_dict(),
        "items": [_result_row(line, tracks) for line in shown],
    }
