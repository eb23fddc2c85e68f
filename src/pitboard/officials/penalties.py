"""Penalties an official enters for a race of their series: points (and playoff points)
deducted, a fine, and what the appeal made of it. Each is a change of its own in the audit
trail; reverting that change removes the penalty, and the standings follow.

A penalty is known by its race, driver, points, playoff points and reason. Sent again with
another appeal outcome, fine or day, it is that penalty's appeal: the penalty is updated (not
deducted twice), as a change of its own whose revert puts back what the appeal replaced. A
disqualification is a correction of the race's results (the car's status ``disqualified``),
with its reason; an appeal that overturns it is the revert of that correction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from pitboard.officials.entry import EntryError, Forbidden, RowProblem
from pitboard.officials.services import may_enter
from pitboard.records.models import Driver, Penalty, Race
from pitboard.records.services.audit import recorded
from pitboard.records.services.standings import mark_stale


@dataclass(frozen=True)
class Given:
    driver: str  # a name as the race's results give it, or a driver's slug
    points: int = 0
    playoff_points: int = 0
    reason: str = ""
    announced: dt.date | None = None
    fine: Decimal | None = None
    appeal: str = Penalty.Appeal.NONE
    points_after_appeal: int | None = None


def add_penalty(
    user: Any, series: str, season: int, rnd: int, given: Given, *, channel: str
) -> tuple[dict[str, Any], bool]:
    """Record *given* against a driver of the race; (the penalty, whether it is new). The
    same penalty twice is recorded once."""
    if not may_enter(user, series):
        raise Forbidden(f"{user} may not enter penalties of {series}")
    race = (
        Race.objects.filter(season__series__slug=series, season__year=season, round=rnd)
        .select_related("season")
        .first()
    )
    if race is None:
        raise LookupError(f"no race {series} {season} round {rnd}")
    problems = []
    if given.appeal not in Penalty.Appeal.values:
        problems.append(
            RowProblem(None, "appeal", f"one of {', '.join(Penalty.Appeal.values)}", given.appeal)
        )
    if given.appeal == Penalty.Appeal.REDUCED and given.points_after_appeal is None:
        problems.append(
            RowProblem(None, "points_after_appeal", "a reduced penalty needs its new points")
        )
    if given.points <= 0 and given.playoff_points <= 0:
        problems.append(
            RowProblem(
                None,
                "points",
                "a penalty deducts points or playoff points (a "
                "disqualification is a correction of the results, with its reason)",
            )
        )
    if given.points_after_appeal is not None and given.appeal != Penalty.Appeal.REDUCED:
        problems.append(
            RowProblem(None, "points_after_appeal", "only a reduced penalty has new points")
        )
    if not given.reason.strip():
        problems.append(RowProblem(None, "reason", "say what the penalty is for"))
    if given.fine is not None and not (given.fine.is_finite() and 0 <= given.fine < 10**10):
        problems.append(
            RowProblem(None, "fine", "an amount from 0 to 9999999999.99", str(given.fine))
        )
    driver = _driver(race, given.driver.strip())
    if driver is None:
        problems.append(
            RowProblem(None, "driver", "no driver of that name or slug in this race", given.driver)
        )
    if problems:
        raise EntryError(problems)
    assert driver is not None
    known_by = {
        "season": race.season,
        "race": race,
        "driver": driver,
        "points": given.points,
        "playoff_points": given.playoff_points,
        "reason": given.reason.strip(),
    }
    outcome = {
        "announced": given.announced,
        "fine": given.fine.quantize(Decimal("0.01")) if given.fine is not None else None,
        "appeal": given.appeal,
        "points_after_appeal": given.points_after_appeal,
    }
    with transaction.atomic():
        # The race locked (PostgreSQL) while its penalties are looked at: the same penalty sent
        # twice at once is recorded once.
        Race.objects.select_for_update().filter(pk=race.pk).exists()
        same = Penalty.objects.filter(**known_by).order_by("pk").first()
        if same is not None:
            # A fine or a day not sent again is kept, not blanked.
            sent = {k: v for k, v in outcome.items() if v is not None or k in APPEAL_OUTCOME}
            if all(getattr(same, k) == v for k, v in sent.items()):
                return _document(same), False
            return _appealed(same, sent, user, channel, series, season, rnd, given), False
        run = recorded(
            "penalty",
            f"{series}/{season}/{rnd}",
            user=user,
            channel=channel,
            series=[race.season.series_id],
            reason=given.reason,
            given=_as_sent(given),
        )
        penalty = Penalty.objects.create(**known_by, **outcome, run=run)
        mark_stale({(series, season)})
    return _document(penalty), True


APPEAL_FIELDS = ("announced", "fine", "appeal", "points_after_appeal")
APPEAL_OUTCOME = ("appeal", "points_after_appeal")


def _appealed(
    penalty: Penalty,
    outcome: dict[str, Any],
    user: Any,
    channel: str,
    series: str,
    season: int,
    rnd: int,
    given: Given,
) -> dict[str, Any]:
    """*penalty* with the appeal's outcome, as a change that keeps what it replaced."""
    before = {k: _plain(getattr(penalty, k)) for k in APPEAL_FIELDS}
    run = recorded(
        "penalty",
        f"{series}/{season}/{rnd}",
        user=user,
        channel=channel,
        series=[penalty.season.series_id],
        reason=f"appeal: {given.appeal}" if given.appeal != Penalty.Appeal.NONE else "updated",
        counts={"appealed": penalty.pk},
        given={**_as_sent(given), "appeal_of": penalty.pk, "before": before},
    )
    Penalty.objects.filter(pk=penalty.pk).update(**outcome)
    mark_stale({(series, season)})
    penalty.refresh_from_db()
    return {**_document(penalty), "change": run.pk}


def _as_sent(given: Given) -> dict[str, Any]:
    """What the official sent, as the change keeps it (every value as text)."""
    return {k: str(v) if v is not None else None for k, v in given.__dict__.items()}


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (days and decimals as text)."""
    return value if value is None or isinstance(value, str | int) else str(value)


def _driver(race: Race, given: str) -> Driver | None:
    """The driver of the race by slug or by the name the results show (any case)."""
    entrants = Driver.objects.filter(results__race=race).select_related("person")
    for driver in entrants:
        if given == driver.slug or given.casefold() == driver.person.name.casefold():
            return driver
    return None


def _document(penalty: Penalty) -> dict[str, Any]:
    return {
        "id": penalty.pk,
        "change": penalty.run_id,
        "driver": penalty.driver.person.name if penalty.driver else None,
        "points": penalty.points,
        "playoff_points": penalty.playoff_points,
        "reason": penalty.reason,
        "appeal": penalty.appeal,
        "points_after_appeal": penalty.points_after_appeal,
    }
