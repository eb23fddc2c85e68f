"""API routes: parse, call the services, return their documents. No racing logic here."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from ninja import NinjaAPI, Query, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pitboard import __version__
from pitboard.api import schemas, writes
from pitboard.careers import firsts as firsts_service
from pitboard.careers import services as career_statements
from pitboard.careers import statline as statline_service
from pitboard.core.firsts import Query as FirstsQuery
from pitboard.core.rules import ChampionshipKind
from pitboard.core.stats import Grouping
from pitboard.news import checking
from pitboard.news import services as news_service
from pitboard.records.services import drivers as driver_service
from pitboard.records.services import leaders, schedule, tracks
from pitboard.records.services import milestones as milestone_service
from pitboard.records.services import teams as team_service
from pitboard.records.services.careers import LookupError_, career_document, subject_by_slug
from pitboard.records.services.paging import MAX_PER_PAGE, PER_PAGE
from pitboard.records.services.points import PointsError, rule_sets
from pitboard.records.services.search import search as search_all
from pitboard.records.services.standings import standings_for, what_if
from pitboard.web.ratelimit import allowed


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
    description="The open record book of stock-car racing: careers, results and standings. "
    "Every error is a JSON object with a one-line `detail`.",
    urls_namespace="api-v1",
)

NOT_FOUND = {404: schemas.Problem, 422: schemas.Problem}
Page = Query(1, ge=1, description="page number, from 1")  # type: ignore[type-arg, unused-ignore]
OnDate = Query(  # type: ignore[type-arg, unused-ignore]
    None, description="as they stood on this day: after the last race run by then"
)
PerPage = Query(  # type: ignore[type-arg, unused-ignore]
    PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"items per page (at most {MAX_PER_PAGE})"
)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors) or "invalid request"
    return api.create_response(
        request, {"detail": f"invalid parameters: {detail}", "errors": errors}, status=422
    )


@api.exception_handler(writes.Refused)
def refused(request: HttpRequest, exc: writes.Refused) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": "a valid token is needed: send 'Authorization: Bearer TOKEN' "
            "(pitboard tokens create NAME)"
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="pitboard"'
    return response


api.add_router("", writes.router)


def _answer(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The service's answer, its "not found" errors as 404 and bad filters as 422."""
    try:
        return call(*args, **kwargs)
    except (schedule.NotFound, LookupError_, PointsError) as exc:
        raise HttpError(404, str(exc)) from exc
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


@api.get("/drivers", response={200: schemas.DriverList, **NOT_FOUND}, summary="List drivers")
def drivers(
    request: HttpRequest,
    q: str = "",
    series: str | None = None,
    era: str | None = Query(None, description="a decade: 1970s"),  # type: ignore[type-arg, unused-ignore]
    page: int = Page,
) -> Any:
    """Drivers who raced in *series* during *era*; with *q*, those whose names match, ranked
    exact > alias > prefix > contains > fuzzy (as the CLI ranks them), else by wins."""
    return _answer(driver_service.driver_list, q, series, era, page)


@api.get("/teams", response={200: schemas.TeamList, **NOT_FOUND}, summary="List teams")
def teams(
    request: HttpRequest,
    series: str | None = None,
    era: str | None = Query(None, description="a decade: 1970s"),  # type: ignore[type-arg, unused-ignore]
    page: int = Page,
    per_page: int = PerPage,
) -> Any:
    """Teams (or car owners, as the results name them) that raced in *series* during *era*,
    most wins first, then most starts."""
    return _answer(team_service.team_list, series, era, page, per_page)


@api.get("/teams/{slug}", response={200: schemas.TeamDetail, **NOT_FOUND}, summary="A team")
def team(request: HttpRequest, slug: str) -> Any:
    """The team's career total, its owner where the record knows one, and the drivers'
    championships won in its cars."""
    return _answer(team_service.car_detail, "team", slug)


@api.get("/makes", response={200: schemas.MakeList, **NOT_FOUND}, summary="List makes")
def makes(
    request: HttpRequest,
    series: str | None = None,
    era: str | None = Query(None, description="a decade: 1970s"),  # type: ignore[type-arg, unused-ignore]
    page: int = Page,
    per_page: int = PerPage,
) -> Any:
    """Makes that raced in *series* during *era*, most wins first, then most starts."""
    return _answer(team_service.make_list, series, era, page, per_page)


@api.get("/makes/{slug}", response={200: schemas.MakeDetail, **NOT_FOUND}, summary="A make")
def make(request: HttpRequest, slug: str) -> Any:
    """The make's career total, the drivers' championships won in its cars and the drivers
    with the most wins in them."""
    return _answer(team_service.car_detail, "manufacturer", slug)


def _driver_answer(request: HttpRequest, slug: str, call: Callable[[], Any]) -> Any:
    """*call*'s answer; a driver merged into another answers with a permanent redirect to the
    same route under the slug of the driver it was merged into (as the pages do)."""
    try:
        return _answer(call)
    except HttpError as exc:
        moved = driver_service.moved_to(slug) if exc.status_code == 404 else None
        if moved is None:
            raise
        path = request.path.replace(f"/drivers/{slug}", f"/drivers/{moved}", 1)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


@api.get(
    "/drivers/{slug}",
    response={200: schemas.DriverDetail, **NOT_FOUND},
    summary="A driver (a merged driver's old slug redirects to the driver it is now)",
)
def driver(request: HttpRequest, slug: str) -> Any:
    """The driver's names, known facts and career totals."""
    return _driver_answer(request, slug, lambda: driver_service.driver_detail(slug))


@api.get(
    "/drivers/{slug}/career",
    response={200: schemas.Career, **NOT_FOUND},
    summary="A driver's career statistics",
)
def career(
    request: HttpRequest,
    slug: str,
    by: Literal["series", "season", "track"] = "series",
    series: str | None = Query(None),  # type: ignore[type-arg, unused-ignore]
) -> Any:
    """The same document as `pitboard driver NAME --by BY --format json`."""
    return _driver_answer(
        request,
        slug,
        lambda: career_document(subject_by_slug("driver", slug), Grouping(by), series),
    )


@api.get(
    "/drivers/{slug}/results",
    response={200: schemas.DriverResults, **NOT_FOUND},
    summary="A driver's results, race by race",
)
def driver_results(
    request: HttpRequest, slug: str, page: int = Page, per_page: int = PerPage
) -> Any:
    return _driver_answer(
        request, slug, lambda: driver_service.driver_results(slug, page, per_page)
    )


@api.get(
    "/drivers/{slug}/milestones",
    response={200: schemas.Milestones, **NOT_FOUND},
    summary="A driver's milestones: firsts, career best, every 10th win",
)
def driver_milestones(
    request: HttpRequest,
    slug: str,
    series: str | None = Query(None),  # type: ignore[type-arg, unused-ignore]
) -> Any:
    """The same document as `pitboard milestones NAME --format json`: per series and over the
    career (`series` null), in time order. A career-wide milestone another race may have come
    before (the same day, or a date unknown, in another series) names it in `tied_with`."""
    return _driver_answer(request, slug, lambda: milestone_service.driver_document(slug, series))


@api.get(
    "/drivers/{slug}/statements",
    response={200: schemas.Statements, **NOT_FOUND},
    summary="What publications say of a driver, each statement with its sources",
)
def driver_statements(request: HttpRequest, slug: str) -> Any:
    """Sourced statements about the driver (biography, team stints, family, coaches, injuries,
    seasons and races known only from reporting, milestones), the statements of others that
    name the driver (`mentions`: the drivers a coach coached), and the publications they cite.
    Disagreeing statements are all listed; `rank` says which an editor preferred, and why."""
    return _driver_answer(request, slug, lambda: career_statements.driver_document(slug))


@api.get(
    "/people/{person_id}",
    response={200: schemas.PersonStatements, **NOT_FOUND},
    summary="A person, driver or not, with what publications say of them",
)
def person(request: HttpRequest, person_id: int) -> Any:
    """Anyone the careers data names (a parent, a coach, an owner, a driver): the statements
    about the person, those of others naming them, and the publications they cite.
    `person.slug` is the driver's where the person is one."""
    return _answer(career_statements.person_document, person_id)


@api.get(
    "/drivers/{slug}/statline",
    response={200: schemas.StatLine, **NOT_FOUND},
    summary="A driver's stat line, from results or else from reported season summaries",
)
def driver_statline(
    request: HttpRequest,
    slug: str,
    series: str | None = None,
    season: int | None = Query(None, ge=1900, le=2200),  # type: ignore[type-arg, unused-ignore]
    track: str | None = Query(None, description="track slug or name"),  # type: ignore[type-arg, unused-ignore]
) -> Any:
    """The same document as `pitboard statline NAME --format json`. `basis` says whether the
    counts come from results or, where no result matches, from season summaries publications
    reported (then `sources` names them)."""

    def line() -> Any:
        subject = subject_by_slug("driver", slug)
        return statline_service.of_driver(subject.id, series, season, track)

    return _driver_answer(request, slug, line)


@api.get(
    "/firsts",
    response={200: schemas.Firsts, **NOT_FOUND},
    summary="Who was the first of a group to win, score a top five or ten, take a pole or start",
)
def firsts(
    request: HttpRequest,
    event: Literal["win", "top5", "top10", "pole", "start"],
    sanction: str | None = Query(None, description="sanctioning body, e.g. NASCAR"),  # type: ignore[type-arg, unused-ignore]
    country: str | None = Query(None, description="the track's country, ISO 3166 code"),  # type: ignore[type-arg, unused-ignore]
    nationality: str | None = Query(None, description="the driver's, ISO 3166 code"),  # type: ignore[type-arg, unused-ignore]
    gender: str | None = Query(None, description="as sources state it"),  # type: ignore[type-arg, unused-ignore]
    series: str | None = None,
) -> Any:
    """The same document as `pitboard firsts … --format json`: the earliest qualifying events
    (several when they share the day), each with its evidence and sources, and `missing`: what
    data would be needed to be sure (drivers of unknown nationality or gender who qualified
    earlier, races without a date, what the results cover)."""
    query = FirstsQuery(
        event,
        sanction,
        country.upper() if country else None,
        nationality.upper() if nationality else None,
        gender,
        series,
    )
    return _answer(firsts_service.firsts, query)


@api.get("/tracks", response={200: schemas.TrackList, **NOT_FOUND}, summary="List tracks")
def track_list(
    request: HttpRequest,
    surface: str | None = None,
    length: Literal["short", "intermediate", "superspeedway"] | None = None,
    region: str | None = Query(None, description="state or province"),  # type: ignore[type-arg, unused-ignore]
    country: str | None = Query(None, description="ISO 3166 code"),  # type: ignore[type-arg, unused-ignore]
    layout: str | None = None,
) -> Any:
    return _answer(tracks.track_list, surface, length, region, country, layout)


@api.get("/tracks/{slug}", response={200: schemas.TrackDetail, **NOT_FOUND}, summary="A track")
def track(request: HttpRequest, slug: str) -> Any:
    """The track's facts, names, most wins and best average finish."""
    return _answer(tracks.track_page, slug)


@api.get(
    "/tracks/{slug}/statements",
    response={200: schemas.PlaceStatements, **NOT_FOUND},
    summary="What publications say of a track, each statement with its sources",
)
def track_statements(request: HttpRequest, slug: str) -> Any:
    """Sourced statements about the track (where it is), and the publications they cite."""
    return _answer(career_statements.place_document, "track", slug)


@api.get(
    "/tracks/{slug}/winners",
    response={200: list[schemas.TrackRace], **NOT_FOUND},
    summary="Every race at a track and its winner",
)
def track_winners(request: HttpRequest, slug: str) -> Any:
    return _answer(tracks.winners, slug)


@api.get("/series", response=list[schemas.SeriesSummary], summary="List series")
def series_list(request: HttpRequest) -> Any:
    return schedule.series_list()


@api.get("/series/{series}", response={200: schemas.SeriesDetail, **NOT_FOUND}, summary="A series")
def series(request: HttpRequest, series: str) -> Any:
    """The series' names over the years and its seasons, with the leader of each season's
    final standings."""
    return _answer(schedule.series_page, series)


@api.get(
    "/series/{series}/statements",
    response={200: schemas.PlaceStatements, **NOT_FOUND},
    summary="What publications say of a series, each statement with its sources",
)
def series_statements(request: HttpRequest, series: str) -> Any:
    """Sourced statements about the series (its names then and now), and the publications
    they cite."""
    return _answer(career_statements.place_document, "series", series)


@api.get(
    "/series/{series}/{season}",
    response={200: schemas.Schedule, **NOT_FOUND},
    summary="A season's schedule and winners",
)
def season(request: HttpRequest, series: str, season: int) -> Any:
    return _answer(schedule.schedule, series, season)


@api.get(
    "/series/{series}/{season}/standings",
    response={200: schemas.Standings, **NOT_FOUND},
    summary="A season's standings",
    exclude_unset=True,  # the what-if fields only in a what-if table
)
def standings(
    request: HttpRequest,
    series: str,
    season: int,
    after_round: int | None = Query(None, ge=1),  # type: ignore[type-arg, unused-ignore]
    date: datetime.date | None = OnDate,
    kind: ChampionshipKind = ChampionshipKind.DRIVER,
    rules: str | None = Query(  # type: ignore[type-arg, unused-ignore]
        None, description="what if: re-score under this shipped rule set (its id)"
    ),
) -> Any:
    """The standings: the same document as
    `pitboard standings --series S --season Y [--after-round N | --date D] --format json`.
    Drivers' standings are served from the stored tables, kept current as results change.
    With `rules`, the season re-scored under that rule set, each row beside its real place
    (`real`, `change`), as `pitboard standings … --rules R` gives it."""
    if rules is None:
        return _answer(
            standings_for, series, season, after_round=after_round, on_date=date, kind=kind
        )
    if rules not in {r.id for r in rule_sets()}:  # an id only: never a path on the server
        raise HttpError(404, f"no rule set {rules!r}")
    return _answer(what_if, series, season, rules, after_round=after_round, on_date=date, kind=kind)


@api.get(
    "/races/{series}/{season}/{round}",
    response={200: schemas.RaceDetail, **NOT_FOUND},
    summary="A race's results",
)
def race(request: HttpRequest, series: str, season: int, round: int) -> Any:
    """Every entry's result, finishers in finishing order, and the race's facts."""
    return _answer(schedule.race_page, series, season, round)


@api.get("/search", response={200: schemas.SearchResults, **NOT_FOUND}, summary="Search")
def search(request: HttpRequest, q: str) -> Any:
    """Drivers, tracks, teams and races matching *q*, best tier first."""
    return _answer(search_all, q)


@api.get("/records", response={200: schemas.Records, **NOT_FOUND}, summary="Record book")
def records(request: HttpRequest, series: str | None = None) -> Any:
    """The leaders in wins, starts, poles, top fives and laps led, overall or in one series."""
    return _answer(leaders.leaders, series)


@api.get("/version", summary="The running pitboard")
def version(request: HttpRequest) -> dict[str, str]:
    return {"pitboard": __version__, "api": "1"}


@api.get(
    "/news",
    response={200: schemas.NewsList, 422: schemas.Problem},
    summary="The news articles, newest first",
)
def news(request: HttpRequest, page: int = Page, per_page: int = PerPage) -> Any:
    """The articles held, a page at a time, newest first (undated ones last), with how many
    mentions link to the record book."""
    return news_service.news_list(page, per_page)


@api.post(
    "/news/check",
    response={
        200: schemas.CheckedText,
        400: schemas.Problem,
        422: schemas.Problem,
        429: schemas.Problem,
    },
    summary="Check a draft's claims (nothing is stored)",
)
def news_check(request: HttpRequest, draft: schemas.Draft) -> Any:
    """The same as an article's claims for a text not imported: it is cleaned and linked as an
    import would be, and checked as of `published` (default: today). Nothing is stored. At
    most 50,000 characters; at most 20 checks a minute from one address (then 429). A body
    that is not JSON is refused with 400."""
    if not allowed(request, "check", checking.CHECKS_PER_MINUTE, 60):
        raise HttpError(429, "too many checks from this address: wait a minute")
    try:
        return checking.draft_check(draft.text, draft.published, draft.format)
    except news_service.ArticleError as exc:
        raise HttpError(422, str(exc)) from exc


@api.get(
    "/news/{slug}",
    response={200: schemas.ArticleDetail, **NOT_FOUND},
    summary="An article with its linked mentions and what cleaning removed",
)
def news_article(request: HttpRequest, slug: str) -> Any:
    """The article as read (`body`), the pieces of the text as given that cleaning removed
    (page chrome, disclaimers, bylines, notes about the author, repeated paragraphs) and its
    `mentions`: each name's offsets in the body, the entity it links to with a confidence,
    or, for names matching nothing, `proposed` with the closest candidates."""
    return _answer(news_service.article_document, slug)


@api.get(
    "/news/{slug}/claims",
    response={200: schemas.CheckedText, **NOT_FOUND},
    summary="An article's claims, checked against the record as of its day",
)
def news_claims(request: HttpRequest, slug: str) -> Any:
    """The figures the article states (finishes, starts, laps led, wins and other counts,
    best, first and only wins, standings, points, ages, championships, races in a season),
    each `supported`, `contradicted` (with `correct_value`) or `unverifiable` (with `why`),
    with the rows read as `evidence` and the `query`, as the record stood on the day it was
    published: a race run after that day is not read."""
    return _answer(checking.article_check_by_slug, slug)
