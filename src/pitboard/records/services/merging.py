"""Merging two drivers who are one person, and splitting them again: logged and reversible.

A merge moves the other driver's results, source keys and standings onto the kept one, keeps
the other's name as an alias and its slug as a redirect, and logs everything it moved. Where
both drivers have a result in one race, two sources told one entry under two names: the two
results become one, holding both sources' statements (a source that lists both is two cars,
and the merge is refused). A split of that merge puts every piece back where it was.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from pitboard.core.names import name_key
from pitboard.records.models import (
    Driver,
    IdentityChange,
    IdentityReview,
    Penalty,
    PersonAlias,
    PersonStatement,
    Race,
    Result,
    ResultStatement,
    SessionResult,
    SlugRedirect,
    SourceKey,
    StandingRow,
)
from pitboard.records.services import statements
from pitboard.records.services.standings import mark_stale
from pitboard.records.services.statements import PEOPLE, RESULTS, Written


class IdentityError(Exception):
    pass


class ReviewItem(TypedDict):
    id: int
    name: str
    dataset: str
    key: str
    provisional: str | None  # slug of the driver the key has for now
    candidate: str | None  # slug of the known driver it may be
    candidate_name: str | None
    score: float
    reasons: list[str]


def open_reviews() -> list[ReviewItem]:
    reviews = IdentityReview.objects.filter(status=IdentityReview.Status.OPEN).select_related(
        "provisional", "candidate__person"
    )
    return [
        {
            "id": r.pk,
            "name": r.name,
            "dataset": r.dataset,
            "key": r.key,
            "provisional": r.provisional.slug if r.provisional else None,
            "candidate": r.candidate.slug if r.candidate else None,
            "candidate_name": r.candidate.person.name if r.candidate else None,
            "score": round(r.score, 3),
            "reasons": list(r.reasons),
        }
        for r in reviews.order_by("pk")
    ]


def _driver(slug: str) -> Driver:
    driver = Driver.objects.select_related("person").filter(slug=slug).first()
    if driver is None:
        moved = SlugRedirect.objects.filter(old_slug=slug).first()
        hint = f" (it was merged into {moved.driver.slug})" if moved else ""
        raise IdentityError(f"no driver with the slug {slug!r}{hint}")
    return driver


def _seasons(driver_ids: list[int]) -> set[tuple[str, int]]:
    return set(
        Result.objects.filter(driver_id__in=driver_ids).values_list(
            "race__season__series__slug", "race__season__year"
        )
    )


@transaction.atomic
def merge(keep_slug: str, other_slug: str, reason: str = "") -> IdentityChange:
    keep, other = _driver(keep_slug), _driver(other_slug)
    if keep.pk == other.pk:
        raise IdentityError("a driver cannot be merged into itself")
    combined = _combinable(keep, other)
    seasons = _seasons([keep.pk, other.pk])
    combined_log = _combine(combined)
    moved_results = [
        [pk, entry] for pk, entry in Result.objects.filter(driver=other).values_list("pk", "entry")
    ]
    Result.objects.filter(driver=other).update(driver=keep)
    keys = list(
        SourceKey.objects.filter(kind=SourceKey.Kind.DRIVER, object_id=other.pk).values_list(
            "pk", flat=True
        )
    )
    SourceKey.objects.filter(pk__in=keys).update(object_id=keep.pk)
    penalties = list(Penalty.objects.filter(driver=other).values_list("pk", flat=True))
    Penalty.objects.filter(pk__in=penalties).update(driver=keep)
    sessions = list(SessionResult.objects.filter(driver=other).values_list("pk", flat=True))
    SessionResult.objects.filter(pk__in=sessions).update(driver=keep)
    alias = None
    other_key = name_key(other.person.name)
    if other_key != name_key(keep.person.name):
        alias, _ = PersonAlias.objects.get_or_create(
            person=keep.person,
            name_key=other_key,
            defaults={"name": other.person.name, "kind": PersonAlias.Kind.SPELLING},
        )
    redirects = list(SlugRedirect.objects.filter(driver=other).values_list("pk", flat=True))
    SlugRedirect.objects.filter(pk__in=redirects).update(driver=keep)
    StandingRow.objects.filter(driver=other).delete()  # derived: recomputed from the results
    facts = _move_facts(other.person_id, keep.person_id)
    career = _move_career(other.person_id, keep.person_id)
    reviews = list(
        IdentityReview.objects.filter(provisional=other, status=IdentityReview.Status.OPEN)
        .filter(candidate=keep)
        .values_list("pk", flat=True)
    )
    moved: dict[str, Any] = {
        "driver_id": other.pk,
        "person_id": other.person_id,
        "source_id": other.source_id,
        "results": moved_results,
        "combined": combined_log,
        "keys": keys,
        "penalties": penalties,
        "sessions": sessions,
        "alias": alias.pk if alias else None,
        "redirects": redirects,
        "reviews": reviews,
        "facts": facts,
        "career": career,
    }
    change = IdentityChange.objects.create(
        action=IdentityChange.Action.MERGE,
        kept=keep,
        merged_name=other.person.name,
        merged_slug=other.slug,
        moved=moved,
        reason=reason,
        created_at=timezone.now(),
    )
    IdentityReview.objects.filter(pk__in=reviews).update(
        status=IdentityReview.Status.MERGED, decided_at=timezone.now()
    )
    IdentityReview.objects.filter(provisional=other).update(provisional=keep)
    other.delete()
    SlugRedirect.objects.create(old_slug=other.slug, driver=keep)
    mark_stale(seasons)
    return change


@transaction.atomic
def split(change_id: int, reason: str = "") -> IdentityChange:
    """Undo merge *change_id*: the merged driver comes back with its slug, results and keys."""
    change = IdentityChange.objects.filter(pk=change_id).first()
    if change is None or change.action != IdentityChange.Action.MERGE:
        raise IdentityError(f"no merge {change_id} (pitboard identity log lists them)")
    if change.undone_by_id:
        raise IdentityError(f"merge {change_id} was split already")
    if change.kept_id is None:
        raise IdentityError(f"the driver merge {change_id} kept no longer exists")
    moved = change.moved
    SlugRedirect.objects.filter(old_slug=change.merged_slug).delete()
    back = Driver.objects.create(
        pk=moved["driver_id"],
        person_id=moved["person_id"],
        slug=change.merged_slug,
        source_id=moved["source_id"],
    )
    for pk, entry in moved["results"]:
        Result.objects.filter(pk=pk).update(driver=back, entry=entry)
    _uncombine(moved.get("combined", []), back)
    SourceKey.objects.filter(pk__in=moved["keys"]).update(object_id=back.pk)
    Penalty.objects.filter(pk__in=moved["penalties"]).update(driver=back)
    SessionResult.objects.filter(pk__in=moved["sessions"]).update(driver=back)
    SlugRedirect.objects.filter(pk__in=moved["redirects"]).update(driver=back)
    if moved["alias"]:
        PersonAlias.objects.filter(pk=moved["alias"]).delete()
    kept = Driver.objects.filter(pk=change.kept_id).values_list("person_id", flat=True).get()
    _move_facts(kept, moved["person_id"], moved.get("facts", []))
    _move_career(kept, moved["person_id"], moved.get("career", {}))
    IdentityReview.objects.filter(pk__in=moved["reviews"]).update(
        status=IdentityReview.Status.OPEN, decided_at=None, provisional=back
    )
    StandingRow.objects.filter(driver_id=change.kept_id).delete()
    undo = IdentityChange.objects.create(
        action=IdentityChange.Action.SPLIT,
        kept=change.kept,
        merged_name=change.merged_name,
        merged_slug=change.merged_slug,
        moved={"merge": change.pk},
        reason=reason,
        created_at=timezone.now(),
    )
    change.undone_by = undo
    change.save(update_fields=["undone_by"])
    mark_stale(_seasons([back.pk, change.kept_id]))
    return undo


def _move_career(
    source: int, target: int, only: dict[str, list[int]] | None = None
) -> dict[str, list[int]]:
    """The careers statements about person *source* (``subject``) or naming them (``other``),
    and the news mentions of them (``news``), moved to *target* (*only*: these ones, as a merge
    moved them): a merge must not leave a career's sourced statements, or the stories naming
    the person, with a person no page shows."""
    if not apps.is_installed("pitboard.careers"):
        return {}
    stated = apps.get_model("careers", "Statement").objects
    moved: dict[str, list[int]] = {}
    for role in ("subject", "other"):
        found = stated.filter(**{f"{role}_id": source})
        if only is not None:
            found = found.filter(pk__in=only.get(role, []))
        moved[role] = list(found.values_list("pk", flat=True))
        stated.filter(pk__in=moved[role]).update(**{f"{role}_id": target})
    if apps.is_installed("pitboard.news"):  # the stories naming them follow too
        named = apps.get_model("news", "Mention").objects
        mentions = named.filter(person_id=source)
        if only is not None:
            mentions = mentions.filter(pk__in=only.get("news", []))
        moved["news"] = list(mentions.values_list("pk", flat=True))
        named.filter(pk__in=moved["news"]).update(person_id=target)
    return moved


def _move_facts(source: int, target: int, only: list[int] | None = None) -> list[int]:
    """The statements about person *source* that *target* has none of from the same dataset
    (*only*: these ones), moved to *target*; both people's facts derived again."""
    stated = PersonStatement.objects.filter(person_id=source)
    if only is not None:
        stated = stated.filter(pk__in=only)
    else:
        held = PersonStatement.objects.filter(person_id=target).values_list("dataset", flat=True)
        stated = stated.exclude(dataset__in=list(held))
    ids = list(stated.values_list("pk", flat=True))
    PersonStatement.objects.filter(pk__in=ids).update(person_id=target)
    statements.rederive_stored(PEOPLE, (source, target))
    return ids


def _combinable(keep: Driver, other: Driver) -> list[tuple[int, int]]:
    """(other's result, keep's result) pairs in the races both drivers have a result in: one
    entry told by two sources under two names, to become one result with both statements.
    Refused where a source lists both (two cars), or where the entries cannot be paired."""
    pairs: list[tuple[int, int]] = []
    shared = set(Result.objects.filter(driver=keep).values_list("race_id", flat=True)) & set(
        Result.objects.filter(driver=other).values_list("race_id", flat=True)
    )
    if not shared:
        return pairs
    entries: dict[int, dict[int, list[int]]] = {}
    for pk, race, driver in Result.objects.filter(
        race_id__in=sorted(shared), driver__in=[keep, other]
    ).values_list("pk", "race_id", "driver_id"):
        entries.setdefault(race, {}).setdefault(driver, []).append(pk)
    said = statements.load(
        RESULTS, [pk for race in entries.values() for ids in race.values() for pk in ids]
    )
    for race, by_driver in sorted(entries.items()):
        ours, theirs = by_driver[keep.pk], by_driver[other.pk]
        sources = {pk: {s.dataset for s in said.get(pk, [])} for pk in ours + theirs}
        overlap = sources[ours[0]] & sources[theirs[0]] if len(ours) == len(theirs) == 1 else set()
        if len(ours) != 1 or len(theirs) != 1 or overlap or not all(sources.values()):
            where = Race.objects.filter(pk=race).values_list(
                "season__series__slug", "season__year", "round"
            )[0]
            why = (
                f"{', '.join(sorted(overlap))} lists both: two cars, not one driver told twice"
                if overlap
                else "their entries there cannot be paired"
            )
            raise IdentityError(
                f"{keep.person.name} and {other.person.name} both have a result in {where[0]} "
                f"{where[1]} round {where[2]}; {why}: not merged"
            )
        pairs.append((theirs[0], ours[0]))
    return pairs


def _combine(pairs: list[tuple[int, int]]) -> list[list[Any]]:
    """Move each other result's statements onto the kept result and drop the other's shown
    row; the log holds what a split needs to part them again."""
    log: list[list[Any]] = []
    rows = {
        pk: (race, entry)
        for pk, race, entry in Result.objects.filter(pk__in=[o for o, _ in pairs]).values_list(
            "pk", "race_id", "entry"
        )
    }
    for other, kept in pairs:
        moved = list(ResultStatement.objects.filter(result_id=other).values_list("pk", flat=True))
        ResultStatement.objects.filter(pk__in=moved).update(result_id=kept)
        Result.objects.filter(pk=other).delete()
        log.append([other, kept, *rows[other], moved])
    kept_ids = [k for _, k in pairs]
    said = statements.load(RESULTS, kept_ids)
    statements.rederive(RESULTS, {k: said[k] for k in kept_ids}, Written())
    return log


def _uncombine(log: list[list[Any]], back: Driver) -> None:
    """Part results a merge combined: each gets back its own shown row, under its old id."""
    for other, kept, race, entry, moved in log:
        ResultStatement.objects.filter(pk__in=moved).update(result_id=other)
        said = statements.load(RESULTS, [other, kept])
        values, lead = statements.derive(RESULTS, said[other])
        Result.objects.create(
            pk=other,
            race_id=race,
            driver=back,
            entry=entry,
            source_id=lead.source_id,
            source_row=lead.source_row,
            **statements.model_fields(values),
        )
        statements.rederive(RESULTS, {kept: said[kept]}, Written())


def keep_apart(review_id: int) -> None:
    updated = IdentityReview.objects.filter(pk=review_id, status=IdentityReview.Status.OPEN).update(
        status=IdentityReview.Status.APART, decided_at=timezone.now()
    )
    if not updated:
        raise IdentityError(f"no open review {review_id} (pitboard identity review lists them)")


def identity_log() -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "action": c.action,
            "kept": c.kept.slug if c.kept else None,
            "merged": c.merged_slug,
            "merged_name": c.merged_name,
            "reason": c.reason,
            "at": c.created_at.isoformat(timespec="seconds"),
            "undone_by": c.undone_by_id,
        }
        for c in IdentityChange.objects.select_related("kept").order_by("-pk")
    ]
