"""Teams as readers look for them: a filtered list, and who drove which car for a team."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from pitboard.records.models import Driver, Result, Team
from pitboard.records.services.champions import champions
from pitboard.records.services.drivers import raced_in
from pitboard.records.services.paging import Paging
from pitboard.records.services.schedule import NotFound
from pitboard.records.services.tallies import counted


def team_list(series: str | None = None, era: str | None = None, page: int = 1) -> dict[str, Any]:
    """Teams that raced in *series* during *era*, most wins first, then most starts."""
    grouped = counted("team", raced_in(series, era), "starts", "wins")
    paging = Paging.of(grouped.count(), page)
    rows = list(
        grouped.order_by("-wins", "-starts", "team_id")[
            paging.offset : paging.offset + paging.per_page
        ]
    )
    # Drivers are not in the tallies: counted for the teams shown only.
    drivers = dict(
        Result.objects.filter(
            raced_in(series, era, "race__season__"), team_id__in=[r["team_id"] for r in rows]
        )
        .values_list("team_id")
        .annotate(drivers=Count("driver_id", distinct=True))
        .order_by()
    )
    names = {
        pk: (name, slug)
        for pk, name, slug in Team.objects.filter(id__in=[r["team_id"] for r in rows]).values_list(
            "id", "name", "slug"
        )
    }
    return {
        "series": series,
        "era": era,
        **paging.as_dict(),
        "teams": [
            {
                "name": names[r["team_id"]][0],
                "slug": names[r["team_id"]][1],
                "starts": r["starts"],
                "wins": r["wins"],
                "drivers": drivers.get(r["team_id"], 0),
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
    cars = (
        Result.objects.filter(team=team)
        .values_list("race__season__year", "race__season__series__slug", "car_number", "driver_id")
        .annotate(starts=Count("id"), wins=Count("id", filter=Q(finish=1)))
        .order_by("-race__season__year", "race__season__series__slug", "car_number")
    )
    rows = list(cars)
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


def team_titles(team_id: int) -> list[dict[str, Any]]:
    """The drivers' championships won in the team's cars: each season whose champion (as
    ``champions`` names him: ``rules`` or ``official``) made most of his starts in that series
    for this team. One query for the seasons, one per series for their champions, one for
    the champions' teams."""
    raced: dict[str, set[int]] = {}
    for series, year in (
        Result.objects.filter(team_id=team_id)
        .values_list("race__season__series__slug", "race__season__year")
        .distinct()
    ):
        raced.setdefault(series, set()).add(year)
    crowned = {
        (series, year): title
        for series, years in raced.items()
        for year, title in champions(series, years).items()
        if title["slug"]
    }
    if not crowned:
        return []
    starts = (
        Result.objects.filter(
            driver__slug__in={t["slug"] for t in crowned.values()},
            race__season__year__in={year for _, year in crowned},
        )
        .values_list("driver__slug", "race__season__series__slug", "race__season__year", "team_id")
        .annotate(n=Count("id"))
    )
    most: dict[tuple[str, str, int], tuple[int, int | None]] = {}
    for slug, series, year, team, n in starts:
        key = (slug, series, year)
        if key not in most or n > most[key][0]:
            most[key] = (n, team)
    won = [
        {
            "series": series,
            "season": year,
            "driver": {"name": title["name"], "slug": title["slug"]},
            "source": title["source"],
        }
        for (series, year), title in crowned.items()
        if most.get((title["slug"], series, year), (0, None))[1] == team_id
    ]
    return sorted(won, key=lambda t: (t["series"], t["season"]))
