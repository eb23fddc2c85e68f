"""Pages. Thin: they ask the services, draw the charts and hand both to a template."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from pitboard.careers import services as career_statements
from pitboard.core import claims as core_claims
from pitboard.core.careers import statline
from pitboard.core.stats import Grouping
from pitboard.exports import published, published_file
from pitboard.news import checking
from pitboard.news import services as news
from pitboard.officials.changes import race_history
from pitboard.officials.services import may_enter
from pitboard.records.services import drivers as driver_service
from pitboard.records.services import leaders as leader_service
from pitboard.records.services import milestones as milestone_service
from pitboard.records.services import schedule, tracks
from pitboard.records.services import teams as team_service
from pitboard.records.services.careers import LookupError_, career_documents, subject_by_slug
from pitboard.records.services.catalog import headline_counts
from pitboard.records.services.points import PointsError, rule_set_ids
from pitboard.records.services.reports import ReportError, file_report
from pitboard.records.services.search import search as search_all
from pitboard.records.services.sources import race_sources
from pitboard.records.services.standings import what_if
from pitboard.web import charts
from pitboard.web.context import series_context
from pitboard.web.ratelimit import allowed

# Reports one reader may send: this many in a minute, then 429 until the minute is over.
REPORTS_PER_MINUTE = 5


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _page(
    request: HttpRequest,
    template: str,
    title: str,
    description: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        f"web/{template}",
        {"title": title, "description": description, **context},
        status=status,
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page: the reason a page of the record book gives (``no season 1930 of series
    'cup'``), never the name of the exception that carried it (Django's default for a path
    no page answers)."""
    reason = exception.args[0] if exception.args else None
    if isinstance(exception, Resolver404) or not isinstance(reason, str):
        reason = None
    context = {
        "title": "Not found",
        "description": "No such page in the record book.",
        "reason": reason,
    }
    return render(request, "404.html", context, status=404)


def _found(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except (schedule.NotFound, PointsError) as exc:
        raise Http404(str(exc)) from exc


def _command() -> str:
    """How to call ``pitboard`` from where the server was started: its script beside the
    server's Python (``.venv/bin/pitboard`` after ``make run``), relative where it can be."""
    script = Path(sys.executable).with_name("pitboard")
    if not script.exists():
        return f"{Path(sys.executable).name} -m pitboard"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counts = headline_counts()
    return _page(
        request,
        "home.html",
        "pitboard — the record book of stock-car racing",
        "Results, careers, tracks and standings of stock-car racing, from weekly divisions "
        "to the NASCAR Cup Series.",
        counts=counts,
        command=_command() if not counts["results"] else None,
        latest=schedule.latest_races(),
        leaders=schedule.leaders_now(),
        series=schedule.series_list(),
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = search_all(q) if q else None
    nothing = found is not None and not found["groups"]
    return _page(
        request,
        "search.html",
        f"Search: {q}" if q else "Search",
        "Find drivers, tracks, teams and races in the record book.",
        q=q,
        found=found,
        # What the record book covers, for a search that found nothing.
        coverage=[s for s in schedule.series_list() if s["seasons"]] if nothing else None,
        counts=headline_counts() if nothing else None,
    )


@require_GET
def driver_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    series = request.GET.get("series") or None
    era = request.GET.get("era") or None
    try:
        listing = driver_service.driver_list(q, series, era, _page_number(request))
    except (schedule.NotFound, ValueError) as exc:
        raise Http404(str(exc)) from exc
    return _page(
        request,
        "drivers.html",
        "Drivers",
        "Every driver in the record book, by series and era.",
        listing=listing,
        series_options=schedule.series_list(),
        eras=driver_service.eras(),
    )


@require_GET
def driver(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = driver_service.driver_page(slug, _page_number(request))
    except schedule.NotFound as exc:
        # A driver merged into another keeps its old address, as a permanent redirect.
        if moved := driver_service.moved_to(slug):
            return redirect("driver", slug=moved, permanent=True)
        raise Http404(str(exc)) from exc
    person = page["driver"]
    total = page["total"]
    names = {slug: name for slug, name, _ in page["all_series"]}
    about = career_statements.in_words(career_statements.of_driver(slug), names)
    finishes = page["finishes"]
    worst = max((f for _, f in finishes), default=1)
    return _page(
        request,
        "driver.html",
        person["name"],
        f"{person['name']}: {total['starts']} starts, {total['wins']} wins, "
        f"{total['top5']} top fives, {total['poles']} poles in the record book.",
        page=page,
        about=about,
        related_news=news.related("driver", slug),
        timeline=career_statements.timeline(about, page["seasons"], page["milestones"])
        if about["statements"]
        else [],
        statline=statline(
            {k: total[k] for k in ("wins", "top5", "top10", "starts")} if total["starts"] else {}
        ),
        finish_chart=charts.finishes(
            finishes, worst, f"{person['name']}: finishing position in every start"
        )
        if finishes
        else "",
        ladder_chart=_career_ladder(page["ladder"], names, about, person["name"]),
        **series_context(page["all_series"]),
    )


def _career_ladder(
    ladder: list[dict[str, Any]], names: dict[str, str], about: dict[str, Any], name: str
) -> str:
    """Seasons by series from the results, with the seasons known only from reporting
    (outlined) and the injuries and milestones publications report."""
    reported, marks = career_statements.ladder_parts(about, names)
    rows: list[tuple[str, dict[int, int | charts.Reported]]] = []
    for r in ladder:
        label = names.get(r["series"], r["series"])
        cells: dict[int, int | charts.Reported] = dict(r["seasons"])
        for season, text in reported.pop(label, {}).items():
            cells.setdefault(season, charts.Reported(text))
        rows.append((label, cells))
    for label, seasons in sorted(reported.items(), key=lambda kv: (min(kv[1]), kv[0])):
        rows.append((label, {s: charts.Reported(t) for s, t in seasons.items()}))
    return charts.ladder(
        rows,
        f"{name}: seasons by series",
        marks=[charts.Mark(season, kind, text) for season, kind, text in marks],
    )


# The list and detail pages of teams and of makes: template, heading, description.
_CARS = {
    "team": ("team", "Teams", "Every team and car owner in the record book, by series and era."),
    "manufacturer": ("make", "Makes", "Every make in the record book, by series and era."),
}


@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    return _car_list(request, "team")


@require_GET
def make_list(request: HttpRequest) -> HttpResponse:
    return _car_list(request, "manufacturer")


def _car_list(request: HttpRequest, kind: str) -> HttpResponse:
    series = request.GET.get("series") or None
    era = request.GET.get("era") or None
    try:
        listing = team_service.listing(kind, series, era, _page_number(request))
    except (schedule.NotFound, ValueError) as exc:
        raise Http404(str(exc)) from exc
    template, heading, description = _CARS[kind]
    return _page(
        request,
        f"{template}s.html",
        heading,
        description,
        listing=listing,
        series_options=schedule.series_list(),
        eras=driver_service.eras(),
    )


@require_GET
def team(request: HttpRequest, slug: str) -> HttpResponse:
    return _car_page(
        request, "team", slug, lambda _: {"roster": _found(team_service.team_roster, slug)}
    )


@require_GET
def make(request: HttpRequest, slug: str) -> HttpResponse:
    return _car_page(
        request,
        "manufacturer",
        slug,
        lambda pk: {"winners": team_service.winners_in_cars("manufacturer", pk)},
    )


def _car_page(
    request: HttpRequest, kind: str, slug: str, more: Callable[[int], dict[str, Any]]
) -> HttpResponse:
    """A team's or a make's page: its careers by series and season, the titles won in its
    cars, and what *more* adds for the subject's id."""
    try:
        subject = subject_by_slug(kind, slug)
    except LookupError_ as exc:
        raise Http404(str(exc)) from exc
    by_series, by_season = career_documents(subject, (Grouping.SERIES, Grouping.SEASON))
    template = _CARS[kind][0]
    return _page(
        request,
        f"{template}.html",
        subject.name,
        f"{subject.name}: {by_series['total']['starts']} starts and "
        f"{by_series['total']['wins']} wins in the record book.",
        subject=subject,
        career=by_series,
        seasons=by_season,
        titles=team_service.titles_in_cars(kind, subject.id),
        **more(subject.id),
    )


@require_GET
def track_list(request: HttpRequest) -> HttpResponse:
    wanted = {k: request.GET.get(k) or None for k in ("surface", "length", "region", "country")}
    try:
        listing = tracks.track_list(**wanted)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return _page(
        request,
        "tracks.html",
        "Tracks",
        "Every track in the record book, by surface, length and place.",
        listing=listing,
        options=tracks.track_filters(),
    )


@require_GET
def track(request: HttpRequest, slug: str) -> HttpResponse:
    page = _found(tracks.track_page, slug)
    length = f"{page['length_miles']}-mile " if page["length_miles"] else ""
    return _page(
        request,
        "track.html",
        page["name"],
        f"{page['name']}: {length}{page['surface']} {page['layout'].replace('_', ' ')}, "
        f"{page['races_count']} races from {page['first_season']} to {page['last_season']}.",
        track=page,
        about=career_statements.in_words(career_statements.of_track(slug), {}),
        related_news=news.related("track", slug),
    )


@require_GET
def series(request: HttpRequest, series: str) -> HttpResponse:
    page = _found(schedule.series_page, series)
    return _page(
        request,
        "series.html",
        page["name"],
        f"{page['name']}: {len(page['seasons'])} seasons, their schedules, winners and champions.",
        series=page,
        about=career_statements.in_words(career_statements.of_series(series), {}),
        related_news=news.related("series", series),
    )


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person who is not a driver (a parent, a coach, an owner): what publications say of
    them and of whom. A driver's person goes to the driver's page."""
    try:
        doc = career_statements.person_document(pk)
    except LookupError_ as exc:
        raise Http404(str(exc)) from exc
    if doc["person"]["slug"]:
        return redirect("driver", slug=doc["person"]["slug"], permanent=True)
    about = career_statements.in_words(doc, {})
    name = doc["person"]["name"]
    return _page(
        request,
        "person.html",
        name,
        f"{name}: what publications say, each statement with its source.",
        person=doc["person"],
        about=about,
        related_news=news.related("person", pk),
    )


@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    groups = schedule.series_index()
    count = sum(len(g["series"]) for g in groups)
    return _page(
        request,
        "series_list.html",
        "Series",
        f"The {count} series pitboard holds, from the national series to regional tours.",
        groups=groups,
    )


@require_GET
def season(request: HttpRequest, series: str, year: int) -> HttpResponse:
    after = request.GET.get("after")
    if after is not None and not after.isdigit():
        raise Http404(f"no round {after!r}")
    after_round = int(after) if after else None
    page = _found(schedule.season_page, series, year, after_round)
    rules = request.GET.get("rules") or None
    known = rule_set_ids(series)
    if rules is not None and rules not in known:
        raise Http404(f"no rule set {rules!r}")
    compared = (
        _found(what_if, series, year, rules, after_round=after_round, with_slugs=True)
        if rules and page["standings"].get("driver")
        else None
    )
    progression = page["progression"]
    driver_table = page["standings"].get("driver")
    leader = driver_table["standings"][0] if driver_table and driver_table["standings"] else None
    if page["champion_source"] == "official":
        summary = f", won by {page['champion']['name']} (the published champion)."
    elif leader and (after_round or page["under_way"]):
        summary = (
            f", led after round {after_round or progression['rounds']} by {leader['driver']} "
            f"with {leader['points']} points" + (" (under way)." if page["under_way"] else ".")
        )
    elif leader:
        summary = f", won by {leader['driver']} with {leader['points']} points."
    else:
        summary = "."
    return _page(
        request,
        "season.html",
        f"{year} {page['name']}",
        f"The {year} {page['name']}: {len(page['races'])} races" + summary,
        season=page,
        leader=leader,
        after=after_round,
        rule_sets=known,
        what_if=compared,
        progression_chart=charts.progression(
            progression["rounds"],
            [(d["name"], d["points"]) for d in progression["drivers"]],
            f"{year} {page['name']}: points of the top ten after every round",
        ),
    )


@require_GET
def race(request: HttpRequest, series: str, year: int, rnd: int) -> HttpResponse:
    page = _found(schedule.race_page, series, year, rnd)
    winner = page["results"][0] if page["results"] and page["results"][0]["finish"] == 1 else None
    title = f"{year} {page['name'] or page['track']['name']}"
    return _page(
        request,
        "race.html",
        title,
        f"Results of the {title} ({page['series_name']}, round {rnd})"
        + (f", won by {winner['driver']['name']}." if winner else "."),
        race=page,
        winner=winner,
        milestones=milestone_service.merged(milestone_service.at_race(page["id"])),
        provenance=race_sources(series, year, rnd, page["id"]),
        history=race_history(series, year, rnd) if may_enter(request.user, series) else None,
    )


@require_GET
def records(request: HttpRequest) -> HttpResponse:
    series = request.GET.get("series") or None
    book = _found(leader_service.leaders, series)
    return _page(
        request,
        "records.html",
        "Records",
        "All-time leaders in wins, starts, poles, top fives and laps led.",
        book=book,
        stats=leader_service.STATS,
        series_options=schedule.series_list(),
    )


def _site_path(value: str) -> str:
    """A path on this site, or the home page: never another site or a javascript: link."""
    return value if value.startswith("/") and not value.startswith("//") else "/"


def report(request: HttpRequest) -> HttpResponse:
    """The "report an error" form (GET) and its submission (POST), stored for the editors."""
    page = _site_path(request.POST.get("page") or request.GET.get("page", "/"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not allowed(request, "report", REPORTS_PER_MINUTE, 60):
            response = _page(
                request,
                "report_limited.html",
                "Too many reports",
                "Wait a minute before sending another report.",
                page_path=page,
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        try:
            file_report(page, request.POST.get("message", ""), request.POST.get("contact", ""))
        except ReportError as exc:
            errors[exc.field] = str(exc)
        else:
            return redirect(f"/report/thanks/?page={quote(page)}")
    return _page(
        request,
        "report.html",
        "Report an error",
        "Tell the editors what is wrong on a page of pitboard.",
        page_path=page,
        errors=errors,
        values=request.POST,
        status=400 if errors else 200,
    )


@require_GET
def downloads(request: HttpRequest) -> HttpResponse:
    root = settings.PITBOARD_DOWNLOADS_DIR
    return _page(
        request,
        "downloads.html",
        "Downloads",
        "The whole record book to download: results, races, drivers, tracks, standings and"
        " sources, with checksums.",
        exports=published(Path(root)) if root else [],
        offered=bool(root),
    )


@require_GET
def download(request: HttpRequest, name: str, file: str) -> FileResponse:
    root = settings.PITBOARD_DOWNLOADS_DIR
    path = published_file(Path(root), name, file) if root else None
    if path is None:
        raise Http404(f"no file {file} in the downloads")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{name}-{file}")


@require_GET
def report_thanks(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "report_thanks.html",
        "Thank you",
        "Your report is in the editors' queue.",
        page_path=_site_path(request.GET.get("page", "/")),
    )


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "news.html",
        "News",
        "Stories about the drivers, tracks and series in the record book, linked to them.",
        listing=news.news_list(_page_number(request)),
    )


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        doc = news.article_document(slug)
    except LookupError_ as exc:
        raise Http404(str(exc)) from exc
    checked = checking.article_check_by_slug(slug)
    named: dict[str, dict[str, Any]] = {}
    for m in doc["mentions"]:
        if m["entity"]:
            named.setdefault(m["entity"]["url"], {**m["entity"], "count": 0})["count"] += 1
    return _page(
        request,
        "article.html",
        doc["title"],
        f"{doc['title']}: the story, linked to the drivers, tracks and series it mentions.",
        article=doc,
        paragraphs=news.body_html(doc),
        **_claims_context(checked["claims"]),
        claim_reviews=_claim_reviews(request, doc, checked["claims"]),
        named=sorted(named.values(), key=lambda e: (e["kind"], e["name"])),
        proposed=list(
            {m["text"]: m for m in doc["mentions"] if m["status"] == "proposed"}.values()
        ),
    )


def check_draft(request: HttpRequest) -> HttpResponse:
    """ "Check my draft": a story's figures checked against the record as of a day (GET: the
    form; POST: the result). Nothing is stored."""
    errors: dict[str, str] = {}
    result = None
    if request.method == "POST":
        if not allowed(request, "check", checking.CHECKS_PER_MINUTE, 60):
            response = _page(
                request, "check.html", "Too many checks", "Wait a minute.", status=429,
                errors={"text": "Too many checks from you this minute: wait a minute."},
                values=request.POST,
            )  # fmt: skip
            response["Retry-After"] = "60"
            return response
        text = request.POST.get("text", "")
        given = request.POST.get("published", "").strip()
        fmt = request.POST.get("format", "text")
        day = None
        if not text.strip():
            errors["text"] = "Paste the story's text."
        elif len(text) > checking.DRAFT_LIMIT:
            errors["text"] = f"At most {checking.DRAFT_LIMIT:,} characters."
        if fmt not in ("text", "markdown", "html"):
            errors["format"] = "Text, Markdown or HTML."
        if given:
            try:
                day = date.fromisoformat(given)
            except ValueError:
                errors["published"] = "A day as YYYY-MM-DD, or nothing for today."
        if not errors:
            try:
                result = checking.draft_check(text, day, fmt)
            except news.ArticleError as exc:
                errors["text"] = str(exc)
    named: dict[tuple[str, int], dict[str, Any]] = {}
    for m in result["mentions"] if result else []:
        named.setdefault((m["kind"], m["entity"]["id"]), m["entity"])
    return _page(
        request,
        "check.html",
        "Check a draft",
        "Paste a story: pitboard finds the figures it states and checks them against the record"
        " as it stood on the day you give.",
        status=400 if errors else 200,
        errors=errors,
        values=request.POST,
        result=result,
        named=sorted(named.values(), key=lambda e: (e["kind"], e["name"])),
        **_claims_context(result["claims"] if result else []),
    )


def _claims_context(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """What the claims panel shows of each claim: its label, where it is about, the record's
    value, and its evidence as a table."""
    rows = []
    for c in claims:
        scope = c["scope"]
        where = [str(v) for v in (scope["track"], scope["series"]) if v]
        if scope["kind"] == "career":
            where.append("career")
        elif scope["season"] and c["predicate"] not in ("age", "championships"):
            first = scope["season"] - scope["seasons"] + 1
            where.append(f"{first}–{scope['season']}" if first != scope["season"] else str(first))
        right = c["correct_value"]
        if isinstance(right, dict):
            right = f"{right['series']} {right['season']} round {right['round']}, {right['track']}"
        elif isinstance(right, list):
            right = " or ".join(map(str, right))
        columns = list(c["evidence"][0]) if c["evidence"] else []
        sentence, at = c["sentence"], c["sentence"].find(c["text"])
        before, after = (sentence[:at], sentence[at + len(c["text"]) :]) if at >= 0 else ("", "")
        if len(before) > 120:
            before = "…" + before[-119:].lstrip()
        if len(after) > 120:
            after = after[:119].rstrip() + "…"
        rows.append(
            {
                **c,
                "label": core_claims.LABELS.get(c["predicate"], c["predicate"]),
                "where": ", ".join(where),
                "before": before,
                "after": after,
                "right": "no result" if right is None else right,
                "columns": [k.replace("_", " ") for k in columns],
                "cells": [[e.get(k) for k in columns] for e in c["evidence"]],
            }
        )
    counts = dict.fromkeys(("supported", "contradicted", "unverifiable"), 0)
    for c in claims:
        counts[c["verdict"]] += 1
    return {"claims": rows, "verdict_counts": [(v, n) for v, n in counts.items() if n]}


def _claim_reviews(request: HttpRequest, doc: dict[str, Any], claims: list[dict[str, Any]]) -> str:
    """schema.org ClaimReview markup (JSON-LD) of the claims checked either way."""
    page = request.build_absolute_uri(request.path)
    reviews = [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page}#claim-{n}",
            "claimReviewed": c["sentence"],
            "author": {"@type": "Organization", "name": "pitboard"},
            "itemReviewed": {
                "@type": "Claim",
                "appearance": {
                    "@type": "NewsArticle",
                    "headline": doc["title"],
                    **({"url": doc["url"]} if doc["url"] else {}),
                    **({"datePublished": doc["published"]} if doc["published"] else {}),
                },
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 5 if c["verdict"] == "supported" else 1,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": "True" if c["verdict"] == "supported" else "False",
            },
        }
        for n, c in enumerate(claims, start=1)
        if c["verdict"] != "unverifiable"
    ]
    if not reviews:
        return ""
    return mark_safe(json.dumps(reviews).replace("<", "\\u003c"))
