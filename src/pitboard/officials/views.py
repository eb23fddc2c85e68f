"""Race night on the site: an official signs in, pastes or types the finishing order, sees the
problems line by line or a preview of the results and the standings, then publishes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pitboard.officials.entry import EntryError, RowProblem, publish, rows_from_text
from pitboard.officials.services import entry_series
from pitboard.records.models import ImportRun, Race


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
    if request.method != "POST":
        return render(request, "officials/entry.html", context)
    problems: list[dict[str, Any]] = []
    status = 200
    if series not in {slug for slug, _ in options}:
        problems.append({"line": None, "text": f"You do not enter results of {series}."})
        status = 403
    elif not 1900 <= season <= 2999 or not 1 <= rnd <= 32767:
        problems.append({"line": None, "text": "A season from 1900 and a round from 1."})
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
    if problems:
        context["problems"] = problems
        status = max(status, 400)
    return render(request, "officials/entry.html", context, status=status)


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
