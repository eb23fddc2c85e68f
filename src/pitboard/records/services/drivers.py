"""Drivers as readers look for them: a filtered list, and everything on one driver's page.

A driver's page reads its numbers from a few small queries, none of which grows with the career
in what it returns but the finishes chart: the career tables, the ladder and the titles from the
season tallies (a row per season raced), the best tracks as one aggregate, and only the page of
results shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Max, Min, Q

from pitboard.core.countries import country_name
from pitboard.core.names import rank
from pitboard.core.stats import (
    Grouping,
    ResultLine,
    SeasonCount,
    Tally,
    best_of,
    career_of_seasons,
    finishing_tally,
)
from pitboard.records.models import (
    Driver,
    Race,
    SlugRedirect,
    Source,
)
from pitboard.records.models.organization import covers
from pitboard.records.services import milestones, statements
from pitboard.records.services.careers import driver_candidates, in_every_season
from pitboard.records.services.champions import driver_titles
from pitboard.records.services.paging import PER_PAGE, Paging
from pitboard.records.services.schedule import NotFound, require_series
from pitboard.records.services.sources import shown_address
from pitboard.records.services.statements import PEOPLE
from pitboard.records.services.tallies import counted, season_tallies

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


def raced_in(
    series: str | None, era: str | None, season: str = "season__", *, check: bool = True
) -> Q:
    """The rows of *series* (checked to exist, unless *check* is false: already checked)
    during *era* (a decade), either optional; *season*: the path to the season (a tally's by
    default, ``race__season__`` for results, ``""`` for seasons)."""
    where = Q()
    if series:
        if check:
            require_series(series)
        where &= Q(**{f"{season}series__slug": series})
    if era:
        first, last = era_years(era)
        where &= Q(**{f"{season}year__range": (first, last)})
    return where


def driver_list(
    q: str = "", series: str | None = None, era: str | None = None, page: int = 1
) -> dict[str, Any]:
    """Drivers who raced in *series* during *era*, matching *q* when given.

    With a query, drivers come in the order of the name ranking (exact > alias > prefix >
    contains > fuzzy, as the CLI ranks them); without one, by wins, then starts. Counted from
    the season tallies.
    """
    where = raced_in(series, era)
    matched: list[int] | None = None
    if q.strip():
        matched = [m.candidate.id for m in rank(q, driver_candidates(), limit=SEARCH_LIMIT)]
        where &= Q(subject_id__in=matched)
    grouped = counted("driver", where, "starts", "wins")
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
    manufacturer_slug: str | None


# A page of a driver's results list, in time order: each result in its own season, and again
# in each season that counts it as a combination race. The page is chosen on narrow rows of
# the seasons it spans (the tallies tell which), and only its rows are read whole, with their
# team and make. Columns: ResultLine's, then _Line's.
def _page_sql(seasons: int) -> str:
    marks = ", ".join(["%s"] * seasons)
    return (
        "SELECT p.slug, p.season_year, '', res.start, res.finish, res.laps, res.laps_led, "
        "res.status_class, p.points, p.also, r.track_id, p.rnd, r.name, res.car_number, "
        "t.name, m.name, res.status_text, t.slug, m.slug FROM ("
        + in_every_season(
            "SELECT res.id AS id, s.slug AS slug, se.year AS season_year, "
            "s.display_order AS series_rank, {round} AS rnd, res.entry AS entry, "
            "{points} AS points, {also} AS also",
            "JOIN records_series s ON s.id = se.series_id"
            f" WHERE res.driver_id = %s AND se.id IN ({marks})",
        )
        + " ORDER BY season_year, series_rank, slug, rnd, entry LIMIT %s OFFSET %s) p"
        " JOIN records_result res ON res.id = p.id"
        " JOIN records_race r ON r.id = res.race_id"
        " LEFT JOIN records_team t ON t.id = res.team_id"
        " LEFT JOIN records_manufacturer m ON m.id = res.manufacturer_id"
        " ORDER BY p.season_year, p.series_rank, p.slug, p.rnd, p.entry"
    )


_STAT_COLUMNS = len(ResultLine._fields)
_LINE_COLUMNS = _STAT_COLUMNS + 9


def _results_page(
    driver_id: int, seasons: list[SeasonCount], page: int, per_page: int = PER_PAGE
) -> tuple[Paging, list[_Line]]:
    """One page of the driver's results list, read alone: a start counted in two series is
    listed under both, as its season tallies count it. The tallies give each season's
    entries, so only the seasons the page spans are read."""
    groups: dict[tuple[int, int, str], list[Any]] = {}
    for one in seasons:
        group = groups.setdefault((one.season, one.series_rank, one.series), [0, set()])
        group[0] += one.tally.entries
        group[1].add(one.season_id)
    paging = Paging.of(sum(n for n, _ in groups.values()), page, per_page)
    end = paging.offset + paging.per_page
    before, skip = 0, 0
    wanted: list[int] = []
    for key in sorted(groups):
        count, ids = groups[key]
        if before < end and before + count > paging.offset:
            if not wanted:
                skip = paging.offset - before
            wanted += sorted(ids)
        before += count
    if not wanted:
        return paging, []
    with connection.cursor() as cursor:
        cursor.execute(
            _page_sql(len(wanted)),
            [driver_id, *wanted, driver_id, *wanted, paging.per_page, skip],
        )
        rows = cursor.fetchall()
    return paging, [
        _Line(ResultLine._make(row[:_STAT_COLUMNS]), *row[_STAT_COLUMNS:_LINE_COLUMNS])
        for row in rows
    ]


def _starts(
    seasons: list[SeasonCount], rank: Callable[[str], int]
) -> tuple[list[tuple[int, int]], list[tuple[int, Tally]]]:
    """The (season, finish) of every start in time order, and the finishing tally of every
    track raced (every series together): each start once, read from the season tallies."""
    finishes: list[tuple[int, int]] = []
    at_tracks: dict[int, list[int | None]] = {}
    own = sorted(
        (one for one in seasons if not one.also), key=lambda c: (c.season, rank(c.series), c.series)
    )
    for one in own:
        for track, finish in one.finishes:
            if finish is not None:
                finishes.append((one.season, finish))
            at_tracks.setdefault(track, []).append(finish)
    return finishes, [(track, finishing_tally(done)) for track, done in at_tracks.items()]


# The driver, the person and the person's other names in one query (a row per name), as plain
# SQL: every driver page and document starts here, and the ORM took five times as long to
# build the query as the database took to run it.
_HEADER_SQL = (
    "SELECT d.id, d.person_id, p.name, p.birth_date, p.hometown, p.nationality, a.name"
    " FROM records_driver d JOIN records_person p ON p.id = d.person_id"
    " LEFT JOIN records_personalias a ON a.person_id = p.id WHERE d.slug = %s"
)


def driver_header(slug: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(_HEADER_SQL, [slug])
        rows = cursor.fetchall()
    if not rows:
        raise NotFound(f"no driver with the slug {slug!r}")
    pk, person, name, born, hometown, nationality, _ = rows[0]
    facts: dict[str, Any] = {
        "birth_date": born.isoformat() if born else None,
        "hometown": hometown or None,
        "nationality": nationality or None,
    }
    if nationality:
        facts["nationality_name"] = country_name(nationality)
        facts["nationality_source"] = _stated_by(person)
    return {
        "id": str(pk),
        "name": name,
        "slug": slug,
        "aliases": sorted(row[-1] for row in rows if row[-1] is not None),
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
    """Everything the driver page shows."""
    header = driver_header(slug)
    driver_id = int(header["id"])
    seasons = season_tallies("driver", driver_id, finishes=True)
    raced = _raced(seasons)
    known = _series_catalog()

    def rank_series(slug: str) -> int:
        return known[slug].order if slug in known else 1000

    def called(slug: str, season: int) -> str:
        if slug not in known:
            return slug
        one = known[slug]
        return next((n for first, last, n in one.history if covers(first, last, season)), one.name)

    by_series, total = career_of_seasons(seasons, Grouping.SERIES, rank_series)
    by_season, _ = career_of_seasons(seasons, Grouping.SEASON, rank_series)
    finishes, at_tracks = _starts(seasons, rank_series)
    paging, shown = _results_page(driver_id, seasons, page)
    tracks = _track_names({track for track, _ in at_tracks})
    # A track's key sorts by its name (and tells apart tracks of one name).
    keys = {pk: f"{name}#{pk}" for pk, (name, _) in tracks.items()}
    track_of = {key: pk for pk, key in keys.items()}
    by_track = [tally.line("", None, keys[track]) for track, tally in at_tracks]
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
    places = final_places(seasons)
    latest = {slug: one.latest for slug, one in known.items() if one.latest is not None}
    won = driver_titles(header["name"], raced, places, latest)
    crowned = {(t["series"], t["season"]): t["source"] for t in won}
    return {
        "driver": header,
        "titles": [
            {**t, "series_name": called(t["series"], t["season"])}
            for t in sorted(won, key=lambda t: (rank_series(t["series"]), t["season"]))
        ],
        "series_names": {slug: one.name for slug, one in known.items() if slug in raced},
        # Every series, (slug, name, place in the order of series): for the page's frame.
        "all_series": [(slug, one.name, one.order) for slug, one in known.items()],
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
        "finishes": finishes,
        "ladder": _ladder(seasons, rank_series),
        "milestones": milestones.merged(milestones.of_driver(driver_id)),
        "results": {
            **paging.as_dict(),
            "items": [_result_row(x, tracks) for x in shown],
        },
    }


def _track_names(ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Track id → (name, slug) of the tracks *ids* (plain SQL, as the header)."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name, slug FROM records_track WHERE id IN ({marks})", [*ids])
        return {pk: (name, slug) for pk, name, slug in cursor.fetchall()}


def _series_catalog() -> dict[str, _Catalogued]:
    """Series slug → its place in the order of series, its name, its name history and its
    latest season in the record: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.slug, s.display_order, s.name,"
            " (SELECT MAX(se.year) FROM records_season se WHERE se.series_id = s.id),"
            " n.first_season, n.last_season, n.name"
            " FROM records_series s LEFT JOIN records_seriesname n ON n.series_id = s.id"
            " ORDER BY s.id, n.first_season"
        )
        rows = cursor.fetchall()
    found: dict[str, _Catalogued] = {}
    for slug, order, name, latest, first, last, called in rows:
        one = found.setdefault(slug, _Catalogued(order, name, latest, []))
        if first is not None:
            one.history.append((first, last, called))
    return found


class _Catalogued(NamedTuple):
    order: int
    name: str
    latest: int | None  # the latest season in the record
    history: list[tuple[int, int | None, str]]  # (first season, last or None, name)


def _raced(seasons: list[SeasonCount]) -> dict[str, set[int]]:
    """Series → the seasons the driver raced in it."""
    raced: dict[str, set[int]] = {}
    for one in seasons:
        raced.setdefault(one.series, set()).add(one.season)
    return raced


def final_places(seasons: list[SeasonCount]) -> dict[tuple[str, int], int]:
    """(series, season) → the driver's place in the season's final drivers' standings."""
    return {(c.series, c.season): c.place for c in seasons if c.place is not None}


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
        "manufacturer_slug": line.manufacturer_slug,
        "start": line.stat.start,
        "finish": line.stat.finish,
        "laps": line.stat.laps,
        "laps_led": line.stat.laps_led,
        "status": line.status_text or line.stat.status_class,
        "points": line.stat.points,
    }


def _ladder(seasons: list[SeasonCount], rank_series: Callable[[str], int]) -> list[dict[str, Any]]:
    """Per series, the seasons raced and the starts in each: the career as a ladder."""
    starts: dict[str, dict[int, int]] = {}
    for one in seasons:
        per_season = starts.setdefault(one.series, {})
        per_season[one.season] = per_season.get(one.season, 0) + one.tally.starts
    return [
        {"series": s, "seasons": dict(sorted(starts[s].items()))}
        for s in sorted(starts, key=rank_series)
    ]


def driver_detail(slug: str) -> dict[str, Any]:
    """Who the driver is (names, known facts) and the career total."""
    header = driver_header(slug)
    seasons = season_tallies("driver", int(header["id"]))
    _, total = career_of_seasons(seasons, Grouping.SERIES)
    places = final_places(seasons)
    won = driver_titles(header["name"], _raced(seasons), places)
    return {**header, "total": total.as_dict(), "titles": won}


def driver_results(slug: str, page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of the driver's results, oldest first."""
    header = driver_header(slug)
    driver_id = int(header["id"])
    paging, shown = _results_page(driver_id, season_tallies("driver", driver_id), page, per_page)
    tracks = _track_names({line.track_id for line in shown})
    return {
        "driver": {k: header[k] for k in ("id", "name", "slug")},
        **paging.as_dict(),
        "items": [_result_row(line, tracks) for line in shown],
    }
