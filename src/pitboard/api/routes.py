"""API routes: parse, call the services, return their documents. No racing logic here."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query, Schema, Swagger
from ninja.errors import HttpError

from pitboard import __version__
from pitboard.core.stats import Grouping
from pitboard.records.models import Driver
from pitboard.records.services.careers import LookupError_, Subject, career_document, find
from pitboard.records.services.points import PointsError
from pitboard.records.services.standings import standings_document


class OfflineSwagger(Swagger):
    """The interactive docs from the assets bundled with django-ninja: never from a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api}
        return render(request, self.template, context)


api = NinjaAPI(
    docs=OfflineSwagger(),
    title="pitboard",
    version="1",
    description="The open record book of stock-car racing: careers, results and standings.",
    urls_namespace="api-v1",
)


class Problem(Schema):
    detail: str


class DriverRef(Schema):
    id: str
    name: str
    slug: str


class StatRow(Schema):
    series: str | None
    season: int | None
    track: str | None
    starts: int
    wins: int
    top5: int
    top10: int
    poles: int
    laps: int
    laps_led: int
    avg_start: float | None
    avg_finish: float | None
    best_finish: int | None
    dnf: int
    points: int


class Career(Schema):
    driver: DriverRef
    rows: list[StatRow]
    total: StatRow


class Playoff(Schema):
    seed: int | None
    eliminated_in: str | None


class StandingOut(Schema):
    position: int
    driver: str
    points: int
    wins: int
    top5: int
    top10: int
    starts: int
    playoff: Playoff
    source: str


class Standings(Schema):
    series: str
    season: int
    after_round: int
    kind: str
    rules: str
    standings: list[StandingOut]


class DriverMatch(Schema):
    id: str
    name: str
    slug: str
    match: str


def _driver(slug: str) -> Subject:
    found = Driver.objects.filter(slug=slug).values_list("id", "person__name", "slug").first()
    if found is None:
        raise HttpError(404, f"no driver with the slug {slug!r}")
    return Subject("driver", *found)


@api.get("/drivers", response=list[DriverMatch], summary="Find drivers by name")
def drivers(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    """Drivers matching *q*, ranked exact > alias > prefix > contains > fuzzy (the best tier)."""
    try:
        subject, match = find("driver", q)
    except LookupError_ as exc:
        return [
            {
                "id": str(m.candidate.id),
                "name": m.candidate.name,
                "slug": Driver.objects.values_list("slug", flat=True).get(pk=m.candidate.id),
                "match": m.kind.name.lower(),
            }
            for m in exc.candidates
        ]
    kind = match.kind.name.lower() if match else "exact"
    return [{**subject.as_dict(), "match": kind}]


@api.get(
    "/drivers/{slug}/career",
    response={200: Career, 404: Problem},
    summary="A driver's career statistics",
)
def career(
    request: HttpRequest,
    slug: str,
    by: Literal["series", "season", "track"] = "series",
    series: str | None = Query(None),  # type: ignore[type-arg, unused-ignore]
) -> dict[str, Any]:
    """The same document as `pitboard driver NAME --by BY --format json`."""
    try:
        return career_document(_driver(slug), Grouping(by), series)
    except LookupError_ as exc:
        raise HttpError(404, str(exc)) from exc


@api.get(
    "/series/{series}/{season}/standings",
    response={200: Standings, 404: Problem},
    summary="A season's standings",
)
def standings(
    request: HttpRequest,
    series: str,
    season: int,
    after_round: int | None = None,
) -> dict[str, Any]:
    """The drivers' standings: the same document as
    `pitboard standings --series S --season Y [--after-round N] --format json`."""
    try:
        return standings_document(series, season, after_round=after_round)
    except PointsError as exc:
        raise HttpError(404, str(exc)) from exc


@api.get("/version", summary="The running pitboard")
def version(request: HttpRequest) -> dict[str, str]:
    return {"pitboard": __version__, "api": "1"}
