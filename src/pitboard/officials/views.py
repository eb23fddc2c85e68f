"""Race night on the site: an official signs in, pastes or types the finishing order, sees the
problems line by line or a preview of the results and the standings, then publishes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pitboard.officials.entry import EntryError, RowProblem, publish, rows_from_text
from pitboard.officials.penalties import Given, add_penalty
from pitboard.officials.services import entry_series
from pitboard.records.models import ImportRun, Penalty, Race, Result


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest) -> HttpResponse:
    options = entry_series(request.user)
    context: dict[str, Any] = {
        "title": "Race night",
        "description": "Enter a race's finishing order, check it, preview the standings, publish.",
        "options": options,
    }
    if not options:
        context["refused"] = True
        return render(request, "officials/entry.html", context, status=403)
    values = request.POST if request.method == "POST" else request.GET
    series = values.get("series") or options[0][0]
    season = _number(values.get("season")) or timezone.now().year
    rnd = _number(values.get("round")) or _next_round(series, season)
    held = _race_facts(series, season, rnd)
    context["values"] = {
        "series": series,
        "season": season,
        "round": rnd,
        "text": values.get("text", ""),
        "reason": values.get("reason", ""),
        **{k: values.get(k, held.get(k, "")).strip() for k in FACTS},
    }
    context["held"] = bool(held)
    context["entrants"] = _entrants(series, season, rnd) if held else []
    context["appeals"] = Penalty.Appeal.choices
    if request.method != "POST":
        return render(request, "officials/entry.html", context)
    problems: list[dict[str, Any]] = []
    status = 200
    if series not in {slug for slug, _ in options}:
        problems.append({"line": None, "text": f"You do not enter results of {series}."})
        status = 403
    elif not 1900 <= season <= 2999 or not 1 <= rnd <= 32767:
        problems.append({"line": None, "text": "A season from 1900 and a round from 1."})
    elif request.POST.get("action") == "penalty":
        return _penalty(request, context, series, season, rnd)
    else:
        preview = request.POST.get("action") != "publish"
        lines: list[int] = []  # the pasted line of each row, once read
        try:
            rows, lines = rows_from_text(context["values"]["text"])
            done = publish(
                request.user,
                series,
                season,
                rnd,
                rows,
                channel=ImportRun.Channel.PAGE,
                reason=context["values"]["reason"],
                given={"text": context["values"]["text"]},
                preview=preview,
                race={k: context["values"][k] for k in FACTS},
            )
        except EntryError as exc:
            problems = [_said(p, lines) for p in exc.problems]
        else:
            context["preview" if preview else "published"] = done
            if not preview:  # the race is held now: its drivers may be penalized
                context["entrants"] = _entrants(series, season, rnd)
    if problems:
        context["problems"] = problems
        status = max(status, 400)
    return render(request, "officials/entry.html", context, status=status)


PENALTY_FIELDS = ("driver", "points", "playoff_points", "reason", "fine", "appeal")


def _penalty(
    request: HttpRequest, context: dict[str, Any], series: str, season: int, rnd: int
) -> HttpResponse:
    """A penalty (or its appeal's outcome) for a driver of the race, from the penalty form."""
    sent = {k: request.POST.get(k, "").strip() for k in (*PENALTY_FIELDS, "points_after_appeal")}
    context["penalty_values"] = sent
    context["values"] = {**context["values"], "reason": "", "text": ""}  # the penalty's, not theirs
    problems = []
    numbers: dict[str, Any] = {}
    for name in ("points", "playoff_points", "points_after_appeal"):
        value = sent[name]
        if value and not value.isdigit():
            problems.append(
                {"text": f"{name.replace('_', ' ')}: a whole number (you wrote {value!r})"}
            )
        numbers[name] = int(value) if value.isdigit() else None
    fine = None
    if sent["fine"]:
        try:
            fine = Decimal(sent["fine"].replace(",", "").lstrip("$"))
        except InvalidOperation:
            problems.append(
                {"text": f"fine: an amount such as 2500.00 (you wrote {sent['fine']!r})"}
            )
    if not problems:
        given = Given(
            sent["driver"],
            points=numbers["points"] or 0,
            playoff_points=numbers["playoff_points"] or 0,
            reason=sent["reason"],
            fine=fine,
            appeal=sent["appeal"] or Penalty.Appeal.NONE,
            points_after_appeal=numbers["points_after_appeal"],
        )
        try:
            done, new = add_penalty(
                request.user, series, season, rnd, given, channel=ImportRun.Channel.PAGE
            )
        except EntryError as exc:
            problems = [{"text": _said(p, [])["text"]} for p in exc.problems]
        except LookupError as exc:
            problems = [{"text": str(exc)}]
        else:
            context["penalty_done"] = {**done, "new": new}
            context["penalty_values"] = {}
    if problems:
        context["penalty_problems"] = problems
    return render(request, "officials/entry.html", context, status=400 if problems else 200)


def _entrants(series: str, season: int, rnd: int) -> list[tuple[str, str]]:
    """(slug, name) of the race's drivers, by finish, for the penalty form."""
    rows = Result.objects.filter(
        race__season__series__slug=series, race__season__year=season, race__round=rnd
    ).order_by("finish", "pk")
    return list(dict.fromkeys(rows.values_list("driver__slug", "driver__person__name")))


def _said(problem: RowProblem, lines: list[int]) -> dict[str, Any]:
    """A problem as the official sees it: on the line of the pasted text it is about."""
    line = lines[problem.row - 1] if problem.row and problem.row <= len(lines) else None
    where = f"column '{problem.column}': " if problem.column else ""
    value = f" (you wrote {problem.value!r})" if problem.value else ""
    return {"line": line, "text": f"{where}{problem.problem}{value}"}


def _number(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() and len(text.strip()) < 6 else None


FACTS = ("track", "date", "race_name")


def _race_facts(series: str, season: int, rnd: int) -> dict[str, str]:
    """The facts of a race already held, to fill the form (empty for a new race)."""
    race = (
        Race.objects.filter(season__series__slug=series, season__year=season, round=rnd)
        .values_list("track__name", "date", "name")
        .first()
    )
    if race is None:
        return {}
    track, day, name = race
    return {"track": track, "date": day.isoformat() if day else "", "race_name": name or ""}


def _next_round(series: str, season: int) -> int:
    last = (
        Race.objects.filter(season__series__slug=series, season__year=season)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )
    return (last or 0) + 1
