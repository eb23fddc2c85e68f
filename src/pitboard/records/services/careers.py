"""Careers of drivers, teams and manufacturers: finding who is meant, then their numbers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Model, QuerySet

from pitboard.core.names import Candidate, Match, MatchKind, name_key, pick, rank
from pitboard.core.stats import Grouping, ResultLine, career, career_of_seasons
from pitboard.records.models import (
    Driver,
    Manufacturer,
    ManufacturerAlias,
    PersonAlias,
    Result,
    Series,
    Team,
    TeamAlias,
    Track,
)
from pitboard.records.services.tallies import season_tallies

SHOWN = 10  # candidates listed for an ambiguous name


class LookupError_(Exception):
    """The name matched nothing, or several records equally well."""

    def __init__(self, message: str, candidates: list[Match] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Subject:
    kind: str  # driver, team, manufacturer
    id: int
    name: str
    slug: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "name": self.name, "slug": self.slug}


@dataclass(frozen=True)
class _Kind:
    label: str
    result_field: str
    exact: Callable[[str], QuerySet[Any]]  # (id, name, slug) rows whose main name has the key
    alias: Callable[[str], QuerySet[Any]]  # the same through aliases
    everyone: Callable[[], list[Candidate]]
    by_id: Callable[[int], tuple[int, str, str]]
    exact_slug: Callable[[str], tuple[int, str, str] | None]


def driver_candidates() -> list[Candidate]:
    aliases: dict[int, list[str]] = {}
    for driver_id, alias in PersonAlias.objects.filter(person__driver__isnull=False).values_list(
        "person__driver__id", "name"
    ):
        aliases.setdefault(driver_id, []).append(alias)
    return [
        Candidate(pk, name, tuple(aliases.get(pk, ())))
        for pk, name in Driver.objects.values_list("id", "person__name")
    ]


def simple_candidates(model: type[Model], alias_model: type[Model], fk: str) -> list[Candidate]:
    aliases: dict[int, list[str]] = {}
    for owner, alias in alias_model.objects.values_list(fk, "name"):  # type: ignore[attr-defined]
        aliases.setdefault(owner, []).append(alias)
    return [
        Candidate(pk, name, tuple(aliases.get(pk, ())))
        for pk, name in model.objects.values_list("id", "name")  # type: ignore[attr-defined]
    ]


KINDS = {
    "driver": _Kind(
        "driver",
        "driver_id",
        lambda key: Driver.objects.filter(person__name_key=key).values_list(
            "id", "person__name", "slug"
        ),
        lambda key: Driver.objects.filter(person__aliases__name_key=key).values_list(
            "id", "person__name", "slug"
        ),
        driver_candidates,
        lambda pk: Driver.objects.values_list("id", "person__name", "slug").get(pk=pk),
        lambda slug: (
            Driver.objects.values_list("id", "person__name", "slug").filter(slug=slug).first()
        ),
    ),
    "team": _Kind(
        "team",
        "team_id",
        lambda key: Team.objects.filter(name_key=key).values_list("id", "name", "slug"),
        lambda key: Team.objects.filter(aliases__name_key=key).values_list("id", "name", "slug"),
        lambda: simple_candidates(Team, TeamAlias, "team_id"),
        lambda pk: Team.objects.values_list("id", "name", "slug").get(pk=pk),
        lambda slug: Team.objects.values_list("id", "name", "slug").filter(slug=slug).first(),
    ),
    "manufacturer": _Kind(
        "manufacturer",
        "manufacturer_id",
        lambda key: Manufacturer.objects.filter(name_key=key).values_list("id", "name", "slug"),
        lambda key: Manufacturer.objects.filter(aliases__name_key=key).values_list(
            "id", "name", "slug"
        ),
        lambda: simple_candidates(Manufacturer, ManufacturerAlias, "manufacturer_id"),
        lambda pk: Manufacturer.objects.values_list("id", "name", "slug").get(pk=pk),
        lambda slug: (
            Manufacturer.objects.values_list("id", "name", "slug").filter(slug=slug).first()
        ),
    ),
}


SLUG = re.compile(r"(?:[^\W_A-Z]+-)+[^\W_A-Z]+")  # lowercase words joined by hyphens


def find(kind: str, query: str) -> tuple[Subject, Match | None]:
    """The one record *query* names, and how it matched when not exactly.

    Exact names and aliases are looked up by index; only when neither hits are all names ranked
    (prefix > contains > fuzzy). Raises LookupError_ with the candidates when ambiguous.
    """
    spec = KINDS[kind]
    key = name_key(query)
    if not key:
        raise LookupError_(f"give a {kind}'s name (letters or digits), not {query!r}")
    if SLUG.fullmatch(query.strip()):  # as in the page's address: one record, namesakes or not
        found = spec.exact_slug(query.strip())
        if found is not None:
            return Subject(kind, *found), None
    for lookup in (spec.exact, spec.alias):
        hits = list(dict.fromkeys(lookup(key)))
        if len(hits) == 1:
            return Subject(kind, *hits[0]), None
        if len(hits) > 1:
            matches = [Match(Candidate(pk, name), MatchKind.EXACT, 100.0) for pk, name, _ in hits]
            slugs = ", ".join(slug for _, _, slug in hits)
            raise LookupError_(
                f"{len(hits)} {kind}s are named {query!r}: give one's slug ({slugs})", matches
            )
    matches = rank(query, spec.everyone(), limit=SHOWN)
    chosen = pick(matches)
    if chosen is None:
        if not matches:
            raise LookupError_(f"no {kind} matches {query!r}")
        count = f"{len(matches)}" if len(matches) < SHOWN else f"{SHOWN} or more"
        raise LookupError_(f"{query!r} matches {count} {kind}s; be more precise", matches)
    return Subject(kind, *spec.by_id(chosen.candidate.id)), chosen


def spans(kind: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per record of *kind*: its first and last season and its series, most starts first (one
    query), to tell namesakes and near-names apart."""
    field = KINDS[kind].result_field
    found: dict[int, dict[str, Any]] = {}
    rows = (
        Result.objects.filter(**{f"{field}__in": ids})
        .values_list(field, "race__season__series__slug")
        .annotate(
            first=Min("race__season__year"), last=Max("race__season__year"), starts=Count("id")
        )
        .order_by(field, "-starts", "race__season__series__slug")
    )
    for pk, series, first, last, _ in rows:
        span = found.setdefault(pk, {"first": first, "last": last, "series": []})
        span["first"], span["last"] = min(span["first"], first), max(span["last"], last)
        span["series"].append(series)
    return found


def series_order() -> dict[str, int]:
    return dict(Series.objects.values_list("slug", "display_order"))


def career_document(subject: Subject, by: Grouping, series: str | None = None) -> dict[str, Any]:
    """The career document of PRODUCT.md: rows by series (and season or track), and a total."""
    return career_documents(subject, (by,), series)[0]


def check_series(series: str, order: dict[str, int] | None = None) -> None:
    """LookupError_ naming the series there are, unless *series* is one."""
    order = series_order() if order is None else order
    if series not in order:
        known = ", ".join(sorted(order, key=order.__getitem__)) or "none imported yet"
        raise LookupError_(f"no series {series!r} (known: {known})")


def career_documents(
    subject: Subject, groupings: tuple[Grouping, ...], series: str | None = None
) -> list[dict[str, Any]]:
    """The career document for each grouping: by track from the subject's results, read once;
    by series or season from its season tallies."""
    order = series_order()
    if series is not None:
        check_series(series, order)

    def place(slug: str) -> int:
        return order.get(slug, 1000)

    if Grouping.TRACK in groupings:
        lines = _track_lines(subject, series)
        counted = [career(lines, by, place, series) for by in groupings]
    else:
        # By series or season: the season tallies, a row per season raced.
        seasons = season_tallies(subject.kind, subject.id, series)
        counted = [career_of_seasons(seasons, by, place, series) for by in groupings]
    documents = []
    for rows, total in counted:
        documents.append(
            {
                subject.kind: subject.as_dict(),
                "rows": [row.as_dict() for row in rows],
                "total": total.as_dict(),
            }
        )
    return documents


def _track_lines(subject: Subject, series: str | None) -> list[ResultLine]:
    """The subject's results as stat lines labelled with their track, in one query."""
    column = connection.ops.quote_name(KINDS[subject.kind].result_field)
    where = f"res.{column} = %s"
    params: list[int | str] = [subject.id]
    if series is not None:
        where += " AND s.slug = %s"
        params.append(series)
    # The columns in ResultLine's order: rows become lines without unpacking.
    sql = in_every_season(
        "SELECT s.slug, se.year, r.track_id, res.start, res.finish, res.laps, res.laps_led, "
        "res.status_class, {points}, {also}",
        f"JOIN records_series s ON s.id = se.series_id WHERE {where}",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        rows = cursor.fetchall()
    labels = track_labels({row[2] for row in rows})
    return [ResultLine(slug, year, labels[track], *rest) for slug, year, track, *rest in rows]


# How a result's race joins the season (``se``) it counts in, with the points it earned there:
# its own season; and, through a combination race's link, the other series' season, with the
# points that series' own account gives (``also``: counted there, not again in a total).
OWN_SEASON = """
    JOIN records_race r ON r.id = res.race_id
    JOIN records_season se ON se.id = r.season_id
"""
LINKED_SEASON = """
    JOIN records_championshiprace cr ON cr.race_id = res.race_id AND cr.round IS NOT NULL
    JOIN records_championship c ON c.id = cr.championship_id
    JOIN records_season se ON se.id = c.season_id
    JOIN records_race r ON r.id = res.race_id
    LEFT JOIN records_resultstatement st ON st.result_id = res.id AND st.dataset = cr.dataset
"""


def in_every_season(select: str, rest: str) -> str:
    """*select* … *rest* for each season a result counts in (see OWN_SEASON), as one query
    whose parameters are given twice. *select* may use {points}, {also} and {round} (the
    race's round in that season); *rest* holds the joins after the season's and a WHERE."""
    own = select.format(points="res.points", also=0, round="r.round")
    linked = select.format(points="st.points", also=1, round="cr.round")
    return (
        f"{own} FROM records_result res {OWN_SEASON} {rest} "
        f"UNION ALL {linked} FROM records_result res {LINKED_SEASON} {rest}"
    )


def track_labels(track_ids: set[int]) -> dict[int, str]:
    """A label per track that tells apart tracks sharing a name: "Name (road course)"."""
    tracks = list(
        Track.objects.filter(id__in=track_ids).values_list("id", "name", "layout", "slug")
    )
    names = Counter(name for _, name, _, _ in tracks)
    layouts = Counter((name, layout) for _, name, layout, _ in tracks)
    labels = {}
    for pk, name, layout, slug in tracks:
        if layouts[(name, layout)] > 1:
            labels[pk] = f"{name} ({slug})"
        elif names[name] > 1:
            labels[pk] = f"{name} ({layout.replace('_', ' ')})"
        else:
            labels[pk] = name
    return labels


def subject_by_slug(kind: str, slug: str) -> Subject:
    """The driver, team or manufacturer with this slug; LookupError_ when there is none."""
    found = KINDS[kind].exact_slug(slug)
    if found is None:
        raise LookupError_(f"no {kind} with the slug {slug!r}")
    return Subject(kind, *found)
