"""Undoing one import run from its change log, and the log of runs itself.

A run's own statements carry its number; the statements it changed or removed are in ``Change``
as they were. Undo drops the first, restores the others, and derives the shown rows again. Only
the newest run that wrote anything can be undone (undo newer ones first): a later run may have
built on what this one wrote; runs that changed only other series do not count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from pitboard.records.models import (
    ChampionshipRace,
    Change,
    Driver,
    IdentityReview,
    ImportRun,
    Manufacturer,
    Penalty,
    Person,
    PersonStatement,
    Race,
    RaceStatement,
    Result,
    ResultStatement,
    Season,
    Series,
    SessionResult,
    SourceKey,
    Team,
    Track,
)
from pitboard.records.services import bulk, statements
from pitboard.records.services.standings import mark_stale
from pitboard.records.services.statements import PEOPLE, RACES, RESULTS, Table, Written


class UndoError(Exception):
    pass


def import_log(limit: int) -> list[dict[str, Any]]:
    return [
        {
            "run": run.pk,
            "importer": run.importer,
            "target": run.target,
            "status": run.status,
            "started_at": run.started_at.isoformat(timespec="seconds"),
            "changed": bool(run.counts.get("changed")),
            "pruned": run.pruned,
            "message": run.message,
        }
        for run in ImportRun.objects.order_by("-pk")[:limit]
    ]


def _wrote(run_id: int) -> bool:
    return (
        ImportRun.objects.filter(pk=run_id, importer="penalty", counts__has_key="appealed").exists()
        or ResultStatement.objects.filter(run_id=run_id).exists()
        or RaceStatement.objects.filter(run_id=run_id).exists()
        or PersonStatement.objects.filter(run_id=run_id).exists()
        or Change.objects.filter(run_id=run_id).exists()
        or ChampionshipRace.objects.filter(run_id=run_id).exists()
        or Penalty.objects.filter(run_id=run_id).exists()
    )


def _may_build_on(run: ImportRun) -> models.QuerySet[ImportRun]:
    """The runs after *run*, not undone, that may have built on what it wrote: those that
    changed one of its series, or that (or when *run*) do not say which series they changed."""
    later = ImportRun.objects.filter(pk__gt=run.pk).exclude(status=ImportRun.Status.UNDONE)
    series = list(run.series.values_list("pk", flat=True))
    if series:
        later = later.filter(models.Q(series__in=series) | models.Q(series__isnull=True))
    return later.distinct().order_by("pk")


def undo_run(run_id: int) -> dict[str, Any]:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise UndoError(f"no import run {run_id} (pitboard import log lists them)")
    if run.status == ImportRun.Status.UNDONE:
        raise UndoError(f"run {run_id} is undone already")
    if run.status == ImportRun.Status.RUNNING:
        raise UndoError(f"run {run_id} is still running")
    if run.importer == "dump":
        raise UndoError(
            f"run {run_id} loaded a whole dump into an empty database: it is undone by using"
            " the database from before it, not piece by piece"
        )
    later = [pk for pk in _may_build_on(run).values_list("pk", flat=True) if _wrote(pk)]
    if later:
        raise UndoError(
            f"run {later[-1]} wrote after run {run_id}: undo the newer runs first "
            f"({', '.join(str(pk) for pk in reversed(later))})"
        )
    with transaction.atomic():
        counts: dict[str, Any] = {"run": run_id, "restored": 0, "dropped": 0}
        result_races: set[int] = set()
        gone = _undo_table(RESULTS, run_id, counts, result_races)
        counts["results_removed"] = len(gone.removed_owners)
        races = _undo_table(RACES, run_id, counts, set())
        counts["races_removed"] = len(races.removed_owners)
        # The combination races the run found: the other series' season no longer counts them.
        links = ChampionshipRace.objects.filter(run_id=run_id, round__isnull=False)
        linked = set(
            links.values_list("championship__season__series__slug", "championship__season__year")
        )
        counts["combinations_removed"] = links.delete()[0]
        _undo_people(run_id, counts)
        penalties = Penalty.objects.filter(run_id=run_id)
        penalized = set(penalties.values_list("season__series__slug", "season__year"))
        counts["penalties_removed"] = penalties.delete()[0]
        appealed = _undo_appeal(run.given or {}) if run.importer == "penalty" else None
        if appealed is not None:
            penalized.add(appealed)
            counts["appeals_undone"] = 1
        seasons_left = set(counts.pop("race_seasons", set()))
        counts["records_removed"] = _drop_made(run_id, seasons_left)
        # Other source keys the run recorded stay: they still name records that were there
        # before it, and a re-import of the same file must find them rather than match again.
        touched = result_races | races.changed_owners
        mark_stale(
            {
                (slug, year)
                for slug, year in Race.objects.filter(pk__in=list(touched)).values_list(
                    "season__series__slug", "season__year"
                )
            }
            | set(counts.pop("seasons", set()))
            | linked
            | penalized
        )
        ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.UNDONE)
    return counts


def _undo_table(table: Table, run_id: int, counts: dict[str, Any], races: set[int]) -> Written:
    model = ResultStatement if table is RESULTS else RaceStatement
    changes = list(Change.objects.filter(run_id=run_id, table=table.name).order_by("pk"))
    restored = {c.statement_id for c in changes if c.action == Change.Action.CHANGED}
    mine = list(model.objects.filter(run_id=run_id).values_list("pk", table.owner))
    owners = {owner for _, owner in mine} | {c.before["owner"] for c in changes}
    bulk.delete_ids(table.statements, [pk for pk, _ in mine if pk not in restored])
    counts["dropped"] += sum(1 for pk, _ in mine if pk not in restored)
    updates = []
    inserts = []
    for change in changes:
        before = change.before
        values = _values(table, before["values"])
        head = (before["source_id"], before["source_row"], before["run_id"])
        if change.action == Change.Action.CHANGED:
            updates.append((*head, *values, change.statement_id))
        else:
            inserts.append((change, before, values))
    bulk.update_rows(
        table.statements, ("source_id", "source_row", "run_id", *table.fields), updates
    )
    owner_ids = _recreate_owners(table, [(b, v) for _, b, v in inserts])
    # Put back under their own ids: older runs' change logs name them.
    bulk.insert_rows(
        table.statements,
        ("id", table.owner, "dataset", "source_id", "source_row", "run_id", *table.fields),
        [
            (
                change.statement_id,
                owner_ids[id(before)],
                before["dataset"],
                before["source_id"],
                before["source_row"],
                before["run_id"],
                *values,
            )
            for change, before, values in inserts
        ],
    )
    counts["restored"] += len(updates) + len(inserts)
    owners |= set(owner_ids.values())
    said = statements.load(table, owners)
    out = Written()
    if table is RESULTS:
        races.update(Result.objects.filter(pk__in=list(owners)).values_list("race_id", flat=True))
        counts["seasons"] = {
            (slug, year)
            for slug, year in Result.objects.filter(pk__in=list(owners)).values_list(
                "race__season__series__slug", "race__season__year"
            )
        }
        statements.rederive(table, {o: said.get(o, []) for o in owners}, out)
    else:
        with_results = set(
            Result.objects.filter(race_id__in=list(owners)).values_list("race_id", flat=True)
        )
        keep = {o: said.get(o, []) for o in owners if said.get(o)}
        statements.rederive(table, keep, out)
        # A race no source states any more, with no results left, goes (with the championship
        # rows that list it) through the ORM.
        gone = [o for o in owners if not said.get(o) and o not in with_results]
        counts["race_seasons"] = set(
            Race.objects.filter(pk__in=gone).values_list("season_id", flat=True)
        )
        Race.objects.filter(pk__in=gone).delete()
        out.removed_owners.update(gone)
    return out


def _undo_people(run_id: int, counts: dict[str, Any]) -> None:
    """The facts about people the run stated go, and what their pages show is derived again.
    (A dataset's statement about a person is never changed, only added: nothing to restore.)"""
    mine = list(PersonStatement.objects.filter(run_id=run_id).values_list("pk", "person_id"))
    bulk.delete_ids(PEOPLE.statements, [pk for pk, _ in mine])
    counts["dropped"] += len(mine)
    statements.rederive_stored(PEOPLE, (person for _, person in mine))


# Each kind of record a run can make, its name in the counts, and what else refers to it
# besides its source keys: (model, column).
_MADE: dict[str, tuple[type[models.Model], str, tuple[tuple[type[models.Model], str], ...]]] = {
    SourceKey.Kind.DRIVER: (
        Driver,
        "drivers",
        ((Result, "driver_id"), (SessionResult, "driver_id")),
    ),
    SourceKey.Kind.TRACK: (Track, "tracks", ((Race, "track_id"), (RaceStatement, "track_id"))),
    SourceKey.Kind.TEAM: (Team, "teams", ((Result, "team_id"), (ResultStatement, "team_id"))),
    SourceKey.Kind.MANUFACTURER: (
        Manufacturer,
        "manufacturers",
        ((Result, "manufacturer_id"), (ResultStatement, "manufacturer_id")),
    ),
}


def _ids(rows: models.QuerySet[Any], column: str, among: set[int]) -> set[int]:
    """The values of *column* in *rows* that are among *among*."""
    found: set[int] = set()
    for chunk in bulk.chunks(sorted(among)):
        found.update(rows.filter(**{f"{column}__in": chunk}).values_list(column, flat=True))
    return found


def _drop_made(run_id: int, seasons: set[int]) -> dict[str, int]:
    """Records the run made that nothing refers to once its statements are gone: drivers (with
    their people), tracks, teams and makes whose every source key this run recorded, seasons
    left without a race, and series of a file's own left without a season. The database is
    left as it was before the run, not with empty pages for what it had added."""
    removed: dict[str, int] = {}
    for kind, (model, label, referrers) in _MADE.items():
        candidates = set(
            SourceKey.objects.filter(kind=kind, run_id=run_id).values_list("object_id", flat=True)
        )
        older = SourceKey.objects.filter(kind=kind).exclude(run_id=run_id)
        made = candidates - _ids(older, "object_id", candidates)
        for referrer, column in referrers:
            made -= _ids(referrer._default_manager.all(), column, made)
        for chunk in bulk.chunks(sorted(made)):
            SourceKey.objects.filter(kind=kind, object_id__in=chunk).delete()
            if model is Driver:
                people = list(
                    Driver.objects.filter(pk__in=chunk).values_list("person_id", flat=True)
                )
                IdentityReview.objects.filter(provisional_id__in=chunk).delete()
                Driver.objects.filter(pk__in=chunk).delete()
                Person.objects.filter(pk__in=people, driver__isnull=True).delete()
            else:
                model._default_manager.filter(pk__in=chunk).delete()
        if made:
            removed[label] = len(made)
    empty = Season.objects.filter(pk__in=list(seasons), races__isnull=True)
    series = set(empty.values_list("series_id", flat=True))
    if dropped := empty.delete()[1].get(Season._meta.label, 0):
        removed["seasons"] = dropped
    # a file's own series (a weekly division) has no sanctioning body; a catalog one stays
    local = Series.objects.filter(
        pk__in=list(series), seasons__isnull=True, sanctioning_body__isnull=True
    )
    if dropped := local.delete()[1].get(Series._meta.label, 0):
        removed["series"] = dropped
    return removed


def _recreate_owners(
    table: Table, inserts: list[tuple[dict[str, Any], tuple[Any, ...]]]
) -> dict[int, int]:
    """The shown row each removed statement belongs to, put back where it went with it."""
    ids: dict[int, int] = {}
    existing = set(
        (Result if table is RESULTS else Race)
        .objects.filter(pk__in=[b["owner"] for b, _ in inserts])
        .values_list("pk", flat=True)
    )
    for before, values in inserts:
        if before["owner"] in existing or table is not RESULTS or before.get("key") is None:
            ids[id(before)] = before["owner"]
            continue
        race_id, driver_id, entry = before["key"]
        shown = statements.model_fields(table.fill(list(values)))
        result = Result.objects.create(
            pk=before["owner"], race_id=race_id, driver_id=driver_id, entry=entry, **shown
        )
        ids[id(before)] = result.pk
    return ids


def _values(table: Table, stored: list[Any]) -> tuple[Any, ...]:
    # A change logged before a field was added has no value for it: it was not stated.
    out = [*stored, *[None] * (len(table.fields) - len(stored))]
    if table is RESULTS:
        i = table.fields.index("prize_money")
        if out[i] is not None:
            out[i] = Decimal(out[i])
    else:
        i = table.fields.index("date")
        if out[i] is not None:
            out[i] = dt.date.fromisoformat(out[i])
    return tuple(out)


def _undo_appeal(given: dict[str, Any]) -> tuple[str, int] | None:
    """Undo an appeal's change (its run's *given*, as ``officials.penalties`` keeps it): the
    penalty as it was before; its season (series, year), or None when the change was not an
    appeal."""
    if "appeal_of" not in given:
        return None
    before = dict(given["before"])
    if before.get("announced"):
        before["announced"] = dt.date.fromisoformat(before["announced"])
    if before.get("fine") is not None:
        before["fine"] = Decimal(before["fine"])
    penalty = Penalty.objects.filter(pk=given["appeal_of"]).select_related("season__series")
    found = penalty.first()
    if found is None:
        return None  # removed since with the change that made it
    penalty.update(**before)
    return found.season.series.slug, found.season.year
