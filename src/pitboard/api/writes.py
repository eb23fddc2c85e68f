"""The write API: an official's race nights and penalties, the audit trail and reverts, each
call made with a token (``Authorization: Bearer TOKEN``; ``pitboard tokens create NAME``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Body, Query, Router
from ninja.errors import HttpError
from ninja.security import HttpBearer

from pitboard.api import schemas
from pitboard.officials import changes, penalties
from pitboard.officials.entry import EntryError, Forbidden, publish
from pitboard.officials.tokens import holder
from pitboard.records.models import ImportRun
from pitboard.web.ratelimit import allowed


class TokenAuth(HttpBearer):
    """A token made with `pitboard tokens create NAME`, sent as `Authorization: Bearer TOKEN`:
    the call acts as that account, within its role."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return holder(token)


router = Router(auth=TokenAuth(), tags=["writes"])
UNAUTHORIZED = {401: schemas.Problem}
WRITE_ERRORS = {
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Problem,
    429: schemas.Problem,
}
Reason = Query(  # type: ignore[type-arg, unused-ignore]
    "", max_length=2_000, description="why: needed to correct a race that has results already"
)

Rows = Body(..., description="the rows, as objects of column: value")  # type: ignore[type-arg, unused-ignore]
Since = Query(None, description="from this day (UTC)")  # type: ignore[type-arg, unused-ignore]
Limit = Query(200, ge=1, le=1000, description="at most this many")  # type: ignore[type-arg, unused-ignore]


def _limited(request: HttpRequest) -> None:
    limit = settings.PITBOARD_WRITES_PER_MINUTE
    if not allowed(request, "write", limit, 60, account=str(request.auth.pk)):
        raise HttpError(429, f"at most {limit} writes a minute per account: wait a minute")


class Refused(Exception):
    """Answered 422: nothing was written, with one message per bad row."""

    def __init__(self, exc: EntryError) -> None:
        super().__init__(f"nothing written: {exc}")
        self.errors = [p.as_dict() for p in exc.problems]


def _refused(exc: EntryError) -> Refused:
    return Refused(exc)


@router.put(
    "/series/{series}/{season}/races/{round}/results",
    response={200: schemas.Published, **WRITE_ERRORS},
    summary="Publish or correct a race's results (an official of the series)",
)
def put_results(
    request: HttpRequest,
    series: str,
    season: int,
    round: int,
    rows: list[dict[str, Any]] = Rows,
    reason: str = Reason,
) -> Any:
    """The race's finishing order as a JSON list of rows in the generic results format
    (docs/results-format.md; `series`, `season` and `round` may be left out: the address names
    them, and a race already held gives its `track`). The rows replace the race's earlier
    entries (dataset `entry`); every other source's statements stay, a results file's too.
    Either every row is good and the race is written, or nothing is: 422 with one message per
    bad row in `errors`. The same rows twice change nothing (`changed: false`). A correction of
    a race with results needs a `reason`. Only an official of the series (or an admin) may: 403
    otherwise. At most 60 writes a minute per account (`PITBOARD_WRITES_PER_MINUTE`; then
    429)."""
    _limited(request)
    if not 1900 <= season <= 2999 or not 1 <= round <= 32767:
        raise HttpError(404, f"no race {series} {season} round {round}")
    try:
        done = publish(
            request.auth, series, season, round, rows, channel=ImportRun.Channel.API, reason=reason
        )
    except Forbidden as exc:
        raise HttpError(403, str(exc)) from exc
    except EntryError as exc:
        raise _refused(exc) from exc
    return done.as_dict()


@router.post(
    "/series/{series}/{season}/races/{round}/penalties",
    response={200: schemas.PenaltyOut, 201: schemas.PenaltyOut, **WRITE_ERRORS},
    summary="Record a penalty in a race (an official of the series)",
)
def post_penalty(
    request: HttpRequest, series: str, season: int, round: int, penalty: schemas.PenaltyIn
) -> Any:
    """Points (and playoff points) deducted from a driver of the race, with the reason and
    what the appeal made of it; the standings follow at once. 201 for a new penalty, 200 for
    the same one sent again (recorded once), or sent again with its appeal's outcome (that
    penalty updated, as a change of its own)."""
    _limited(request)
    given = penalties.Given(**penalty.dict())
    try:
        done, new = penalties.add_penalty(
            request.auth, series, season, round, given, channel=ImportRun.Channel.API
        )
    except Forbidden as exc:
        raise HttpError(403, str(exc)) from exc
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    except EntryError as exc:
        raise _refused(exc) from exc
    return 201 if new else 200, done


@router.get(
    "/changes",
    response={200: list[schemas.ChangeSummary], 401: schemas.Problem, 404: schemas.Problem},
    summary="The audit trail: every change, newest first",
)
def change_list(
    request: HttpRequest,
    series: str | None = None,
    since: datetime.date | None = Since,
    limit: int = Limit,
) -> Any:
    """Every change to the record, newest first: imports, race nights entered on the site or
    through the API, penalties, reverts; who made it, when, through what, why, and the series
    it changed. `/changes/{id}` gives the values before and after."""
    try:
        return changes.change_list(series, since, limit)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc


@router.get(
    "/changes/{change_id}",
    response={200: schemas.ChangeDetail, 401: schemas.Problem, 404: schemas.Problem},
    summary="One change with the values before and after it",
)
def change_detail(request: HttpRequest, change_id: int) -> Any:
    try:
        return changes.change_detail(change_id)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc


@router.post(
    "/changes/{change_id}/revert",
    response={200: schemas.Reverted, 409: schemas.Problem, **WRITE_ERRORS},
    summary="Revert one change: the results and standings before it come back",
)
def revert(request: HttpRequest, change_id: int, reason: str = Reason) -> Any:
    """Undo one change (an entry, an import run, a penalty): what it changed or removed comes
    back, what it added goes, and the standings follow. A later change to the same series must
    be reverted first (409). An official may revert changes to their series only (403)."""
    _limited(request)
    try:
        return changes.revert(request.auth, change_id, channel=ImportRun.Channel.API, reason=reason)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    except PermissionError as exc:
        raise HttpError(403, str(exc)) from exc
    except changes.ChangeError as exc:
        raise HttpError(409, str(exc)) from exc
