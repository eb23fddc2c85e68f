"""The audit trail: every run that changed the record (an import, a race night entered on the
site or through the API, a penalty, a revert) with who, when, through what and why, the values
before and after, and reverting one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from pitboard.officials.services import is_admin, may_enter
from pitboard.records.models import (
    Change,
    Driver,
    ImportRun,
    Penalty,
    Race,
    RaceStatement,
    Result,
    ResultStatement,
    Series,
)
from pitboard.records.services.audit import recorded
from pitboard.records.services.standings import refresh_stale
from pitboard.records.services.statements import RACE_FIELDS, RESULT_FIELDS
from pitboard.records.services.undo import UndoError, undo_run

LIMIT = 200


class ChangeError(Exception):
    """No such change, or it cannot be reverted (nothing was written)."""


def _changed() -> Q:
    """Runs that changed something: a write, a penalty or a revert (not a re-run of the same
    rows, nor a refused or failed one)."""
    return Q(counts__changed=True) | Q(importer__in=("penalty", "revert"))


def _summary(run: ImportRun) -> dict[str, Any]:
    files = run.counts.get("files", [])
    totals = {
        key: sum(int(f.get(key) or 0) for f in files)
        for key in ("inserted", "updated", "removed", "races_updated")
    }
    return {
        "id": run.pk,
        "what": run.importer,
        "target": run.target,
        "at": run.started_at.isoformat(timespec="seconds"),
        "who": run.user.username if run.user else None,
        "through": run.channel,
        "reason": run.reason,
        "status": run.status,
        "series": sorted(s.slug for s in run.series.all()),
        "counts": totals,
        "reverts": run.reverts_id,
        "reverted_by": next((r.pk for r in run.reverted_by.all()), None),
    }


def change_list(
    series: str | None = None, since: dt.date | None = None, limit: int = LIMIT
) -> list[dict[str, Any]]:
    """The changes, newest first: of one series, since a day (UTC)."""
    runs = ImportRun.objects.filter(_changed())
    if series:
        if not Series.objects.filter(slug=series).exists():
            raise LookupError(f"no series {series!r}")
        runs = runs.filter(series__slug=series)
    if since:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        runs = runs.filter(started_at__gte=start)
    runs = runs.select_related("user").prefetch_related("series", "reverted_by")
    return [_summary(r) for r in runs.order_by("-pk")[: max(1, min(limit, 1000))]]


def change_detail(run_id: int) -> dict[str, Any]:
    """One change with each statement's values before and after it (None: there was none)."""
    run = (
        ImportRun.objects.filter(pk=run_id)
        .select_related("user")
        .prefetch_related("series", "reverted_by")
        .first()
    )
    if run is None:
        raise LookupError(f"no change {run_id}")
    items: list[dict[str, Any]] = []
    logged = {(c.table, c.statement_id): c.before for c in Change.objects.filter(run_id=run_id)}
    # What this run wrote that a later run changed or removed: that run logged it as it was.
    later: dict[tuple[str, int], dict[str, Any]] = {}
    for change in Change.objects.filter(run_id__gt=run_id, before__run_id=run_id).order_by("pk"):
        later.setdefault((change.table, change.statement_id), change.before)
    for table, model, fields, owner in (
        (Change.Table.RESULT, ResultStatement, RESULT_FIELDS, "result_id"),
        (Change.Table.RACE, RaceStatement, RACE_FIELDS, "race_id"),
    ):
        current = {
            row["id"]: row
            for row in model.objects.filter(run_id=run_id).values("id", owner, *fields)
        }
        ids = sorted(set(current) | {sid for t, sid in (*logged, *later) if t == table})
        for sid in ids:
            before = logged.get((table, sid))
            then = later.get((table, sid))
            if sid in current:
                after: dict[str, Any] | None = {f: _plain(current[sid][f]) for f in fields}
            elif then is not None:
                after = dict(zip(fields, then["values"], strict=True))
            else:
                after = None  # removed by it, or undone since
            said = current.get(sid) or {}
            key = (before or then or {}).get("key")
            items.append(
                {
                    "table": table,
                    "statement": sid,
                    "of": said.get(owner) or (before or then or {}).get("owner"),
                    "before": dict(zip(fields, before["values"], strict=True)) if before else None,
                    "after": after,
                    "driver_id": key[1] if isinstance(key, list) and len(key) == 3 else None,
                }
            )
    _name_results(items)
    penalties = [
        {
            "id": p.pk,
            "driver": p.driver.person.name if p.driver else None,
            "points": p.points,
            "playoff_points": p.playoff_points,
            "reason": p.reason,
            "appeal": p.appeal,
        }
        for p in Penalty.objects.filter(run_id=run_id).select_related("driver__person")
    ]
    return {
        **_summary(run),
        "given": run.given,
        "changes": items,
        "penalties": penalties,
        "undo": run.counts if run.importer == "revert" else None,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value is None or isinstance(value, int | float | str | list) else str(value)


def _name_results(items: list[dict[str, Any]]) -> None:
    """The driver each result change is about, by name (of a result since removed: the one
    its log names)."""
    ids = [i["of"] for i in items if i["table"] == Change.Table.RESULT and i["of"]]
    names = dict(Result.objects.filter(pk__in=ids).values_list("pk", "driver__person__name"))
    logged = [i["driver_id"] for i in items if i["driver_id"]]
    drivers = dict(Driver.objects.filter(pk__in=logged).values_list("pk", "person__name"))
    for item in items:
        driver = item.pop("driver_id")
        if item["table"] == Change.Table.RESULT:
            item["driver"] = names.get(item["of"]) or drivers.get(driver)


def may_revert(user: Any, run: ImportRun) -> bool:
    """An admin may revert any change; an official one that changed only their series."""
    slugs = list(run.series.values_list("slug", flat=True))
    if not slugs:
        return is_admin(user)
    return all(may_enter(user, slug) for slug in slugs)


def revert(user: Any, run_id: int, *, channel: str, reason: str = "") -> dict[str, Any]:
    """Undo change *run_id* (see ``undo_run``) and record who did, why and through what; the
    standings of its seasons are computed again at once."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise LookupError(f"no change {run_id} (pitboard changes list, pitboard import log)")
    if user is not None and not may_revert(user, run):
        raise PermissionError(f"{user} may not revert change {run_id}")
    if run.importer == "revert":
        raise ChangeError(f"change {run_id} is a revert: enter the race again instead")
    series = list(run.series.values_list("pk", flat=True))
    with transaction.atomic():
        try:
            done = undo_run(run_id)
        except UndoError as exc:
            raise ChangeError(str(exc)) from exc
        mine = recorded(
            "revert",
            f"change {run_id}",
            user=user,
            channel=channel,
            # not a series the undo removed (one the run had made and nothing else uses)
            series=Series.objects.filter(pk__in=series).values_list("pk", flat=True),
            reason=reason,
            counts={k: v for k, v in done.items() if _jsonable(v)},
            reverts=run,
        )
    refresh_stale()
    return {"change": mine.pk, **mine.counts}


def _jsonable(value: Any) -> bool:
    return isinstance(value, int | str | dict | list)


def race_history(series: str, season: int, rnd: int) -> list[dict[str, Any]]:
    """The changes made to one race through entries and penalties, and their reverts, newest
    first (an import of a whole file is in ``change_list``)."""
    targets = [f"entry:{series}/{season}/{rnd}", f"{series}/{season}/{rnd}"]
    race = Race.objects.filter(season__series__slug=series, season__year=season, round=rnd)
    for pk in race.values_list("pk", flat=True):  # the admin's corrections of it
        targets.append(f"race {pk}")
        targets += [
            f"result {r}" for r in Result.objects.filter(race_id=pk).values_list("pk", flat=True)
        ]
    own = ImportRun.objects.filter(target__in=targets).filter(_changed())
    ids = list(own.values_list("pk", flat=True))
    runs = (
        ImportRun.objects.filter(Q(pk__in=ids) | Q(reverts_id__in=ids))
        .select_related("user")
        .prefetch_related("series", "reverted_by")
        .order_by("-pk")
    )
    return [_summary(r) for r in runs[:LIMIT]]
