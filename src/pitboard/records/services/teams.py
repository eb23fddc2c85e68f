"""Teams and makes as readers look for them: filtered lists, who drove which car for a team,
and the drivers' championships won in a team's or a make's cars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum

from pitboard.core.stats import Grouping, career_of_seasons
from pitboard.records.models import CarTally, Driver, Manufacturer, Season, SeasonTally, Team
from pitboard.records.services.champions import season_champions
from pitboard.records.services.drivers import raced_in
from pitboard.records.services.paging import PER_PAGE, Paging
from pitboard.records.services.schedule import NotFound
from pitboard.records.services.tallies import FIELDS, counted, season_tallies

MODELS: dict[str, type[Team] | type[Manufacturer]] = {"team": Team, "manufacturer": Manufacturer}
# The season tally column naming a driver's team or make of the season.
MAIN = {"team": "main_team_id", "manufacturer": "main_make_id"}


def team_list(
    series: str | None = None, era: str | None = None, page: int = 1, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """Teams that raced in *series* during *era*, most wins first, then most starts."""
    return listing("team", series, era, page, per_page)


def make_list(
    series: str | None = None, era: str | None = None, page: int = 1, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """Makes that raced in *series* during *era*, most wins first, then most starts."""
    return listing("manufacturer", series, era, page, per_page)


def listing(
    kind: str, series: str | None, era: str | None, page: int = 1, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """Teams or makes (*kind*) that raced in *series* during *era*, most wins first, then most
    starts, under ``teams`` or ``makes``; counted from the season tallies."""
    field = FIELDS[kind]
    grouped = counted(kind, raced_in(series, era), "starts", "wins")
    paging = Paging.of(grouped.count(), page, per_page)
    rows = list(
        grouped.order_by("-wins", "-starts", field)[paging.offset : paging.offset + paging.per_page]
    )
    shown = [r[field] for r in rows]
    # Drivers counted from the car tallies, for the rows shown only.
    drivers = dict(
        CarTally.objects.filter(raced_in(series, era, check=False), kind=kind, subject_id__in=shown)
        .values_list("subject_id")
        .annotate(drivers=Count("driver_id", distinct=True))
        .order_by()
    )
    titles = car_titles(
        kind,
        _by_series(
            Season.objects.filter(raced_in(series, era, "", check=False)).values_list(
                "series__slug", "year"
            )
        ),
    )
    names = {
        pk: (name, slug)
        for pk, name, slug in MODELS[kind]
        .objects.filter(id__in=shown)
        .values_list("id", "name", "slug")
    }
    return {
        "series": series,
        "era": era,
        **paging.as_dict(),
        "teams" if kind == "team" else "makes": [
            {
                "name": names[r[field]][0],
                "slug": names[r[field]][1],
                "starts": r["starts"],
                "wins": r["wins"],
                "drivers": drivers.get(r[field], 0),
                "titles": len(titles.get(r[field], [])),
                "first_season": r["first"],
                "last_season": r["last"],
            }
            for r in rows
        ],
    }


def team_roster(slug: str) -> dict[str, Any]:
    """A team's owner (where the record knows one) and, season by season and series by
    series, each car number it ran with the drivers of that car, most starts first."""
    team = Team.objects.select_related("owner").filter(slug=slug).first()
    if team is None:
        raise NotFound(f"no team with the slug {slug!r}")
    rows = list(
        CarTally.objects.filter(kind="team", subject_id=team.id)
        .values_list("season__year", "season__series__slug", "car_number", "driver_id")
        .annotate(starts=Sum("starts"), wins=Sum("wins"))
        .order_by("-season__year", "season__series__slug", "car_number")
    )
    drivers = {
        pk: (name, dslug)
        for pk, name, dslug in Driver.objects.filter(id__in={row[3] for row in rows}).values_list(
            "id", "person__name", "slug"
        )
    }
    seasons: dict[tuple[int, str], dict[str, list[dict[str, Any]]]] = {}
    for year, series, car, driver, starts, wins in rows:
        by_car = seasons.setdefault((year, series), {})
        name, dslug = drivers[driver]
        by_car.setdefault(car or "", []).append(
            {"name": name, "slug": dslug, "starts": starts, "wins": wins}
        )
    return {
        "owner": team.owner.name if team.owner else None,
        "kind": team.kind,
        "seasons": [
            {
                "season": year,
                "series": series,
                "cars": [
                    {
                        "number": number,
                        "drivers": sorted(found, key=lambda d: (-d["starts"], d["name"])),
                    }
                    for number, found in sorted(by_car.items(), key=lambda c: _car_order(c[0]))
                ],
            }
            for (year, series), by_car in seasons.items()
        ],
    }


def _car_order(number: str) -> tuple[int, str]:
    """Car numbers in numeric order ("2" before "12"), lettered ones ("17x") by their digits."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 10_000, number)


def titles_in_cars(kind: str, subject_id: int) -> list[dict[str, Any]]:
    """The drivers' championships won in the cars of a team or a make (*kind*), of the seasons
    it raced in."""
    raced = _by_series(
        SeasonTally.objects.filter(kind=kind, subject_id=subject_id, also=False).values_list(
            "season__series__slug", "season__year"
        )
    )
    return car_titles(kind, raced).get(subject_id, [])


def _by_series(seasons: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    """(series, season) pairs as series → its seasons."""
    raced: dict[str, set[int]] = {}
    for series, year in seasons:
        raced.setdefault(series, set()).add(year)
    return raced


def car_titles(kind: str, raced: dict[str, set[int]]) -> dict[int, list[dict[str, Any]]]:
    """Team or make (*kind*) id → the drivers' championships of the seasons *raced* (series →
    years) won in its cars: each season whose champion (as ``champions`` names him: ``rules``
    or ``official``) made most of his starts in it with that team or make (his season tally
    notes which). Every champion thus counts for one team and one make. A few queries,
    whatever the number of seasons."""
    crowned = {key: t for key, t in season_champions(raced).items() if t["id"] is not None}
    if not crowned:
        return {}
    cars = SeasonTally.objects.filter(
        kind="driver",
        also=False,
        subject_id__in={t["id"] for t in crowned.values()},
        season__series__slug__in={series for series, _ in crowned},
        season__year__in={year for _, year in crowned},
    ).values_list("season__series__slug", "season__year", "subject_id", MAIN[kind])
    won: dict[int, list[dict[str, Any]]] = {}
    for series, year, driver_id, car in cars:
        title = crowned.get((series, year))
        if title is None or title["id"] != driver_id or car is None:
            continue
        won.setdefault(car, []).append(
            {
                "series": series,
                "season": year,
                "driver": {"name": title["name"], "slug": title["slug"]},
                "source": title["source"],
            }
        )
    for titles in won.values():
        titles.sort(key=lambda t: (t["series"], t["season"]))
    return won


def winners_in_cars(kind: str, subject_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The drivers with the most wins in the cars of a team or a make (*kind*), most first."""
    rows = list(
        CarTally.objects.filter(kind=kind, subject_id=subject_id, wins__gt=0)
        .values_list("driver_id")
        .annotate(won=Sum("wins"))
        .order_by("-won", "driver_id")[:limit]
    )
    names = {
        pk: (name, slug)
        for pk, name, slug in Driver.objects.filter(id__in=[r[0] for r in rows]).values_list(
            "id", "person__name", "slug"
        )
    }
    return [{"name": names[pk][0], "slug": names[pk][1], "wins": wins} for pk, wins in rows]


def car_detail(kind: str, slug: str) -> dict[str, Any]:
    """A team or a make (*kind*): its name, career total, the drivers' championships won in
    its cars, its owner (a team's, where the record knows one) or its winningest drivers (a
    make's)."""
    subject = MODELS[kind].objects.filter(slug=slug).first()
    if subject is None:
        raise NotFound(f"no {'team' if kind == 'team' else 'make'} with the slug {slug!r}")
    _, total = career_of_seasons(season_tallies(kind, subject.id), Grouping.SERIES)
    out: dict[str, Any] = {
        "name": subject.name,
        "slug": subject.slug,
        "total": total.as_dict(),
        "titles": titles_in_cars(kind, subject.id),
    }
    if isinstance(subject, Team):
        out["owner"] = subject.owner.name if subject.owner is not None else None
    else:
        out["winners"] = winners_in_cars(kind, subject.id)
    return out
