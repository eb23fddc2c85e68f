"""Standings documents (PRODUCT.md's contract): rules-computed, official where they differ."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from datetime import date
from itertools import groupby
from typing import Any

from django.db import transaction

from pitboard.core.published import PublishedRow, compare
from pitboard.core.rules import OFFICIAL_RECORD, ChampionshipKind, RuleSet
from pitboard.core.season import SeasonFacts, for_championship, score_season
from pitboard.core.standings import (
    ScoredRace,
    on_cars,
    regroup,
    season_standings,
    standings_by_round,
    with_official_points,
)
from pitboard.records.models import Manufacturer, Race, StandingRow, Team
from pitboard.records.models import Season as SeasonRecord
from pitboard.records.services import bulk, milestones, tallies, versions
from pitboard.records.services.points import (
    PointsError,
    load_season,
    rules_for,
    rules_why,
    season_facts,
)


@dataclass
class _Scored:
    """A season scored for one championship, ready to be ranked."""

    rules: RuleSet
    facts: SeasonFacts
    races: list[ScoredRace]
    names: dict[int, str]  # competitor id → name
    official_used: set[int]  # competitors whose points come partly from the official record
    last_round: int


def _scored(
    series: str, year: int, kind: ChampionshipKind, rules_name: str | None = None
) -> _Scored:
    season = load_season(series, year)
    rules = rules_for(season, rules_name)
    facts = season_facts(series, year, season.driver_ids)
    if kind != ChampionshipKind.DRIVER:
        facts = facts.for_cars()
    races = score_season(rules, season.races, facts, official_fallback=rules_name is None)
    official_used: set[int] = set()
    if rules_name is None and kind == ChampionshipKind.DRIVER:
        embedded = rules.segments.points if rules.segments else 0
        races, official_used = with_official_points(races, embedded)
    names = dict(season.names)
    if kind != ChampionshipKind.DRIVER:
        races, keys = regroup(races, kind, rules.manufacturers)
        names = _competitor_names(keys, kind)
        if kind == ChampionshipKind.OWNER and facts.owner_penalties:
            try:
                docked = on_cars(season.races, keys, facts.owner_penalties)
            except ValueError as exc:
                raise PointsError(f"{series} {year}: {exc}") from exc
            facts = replace(facts, penalties=docked)
    return _Scored(
        for_championship(rules, kind), facts, races, names, official_used, season.races[-1][0]
    )


def _document_row(row: Any, kind: str, name: str, source: str) -> dict[str, Any]:
    """One line of a standings document, from a core Standing or a stored StandingRow."""
    return {
        "position": row.position,
        kind: name,
        "points": row.points,
        "wins": row.wins,
        "top5": row.top5,
        "top10": row.top10,
        "starts": row.starts,
        "playoff": {"seed": row.seed, "eliminated_in": row.eliminated_in or None},
        "source": source,
    }


def standings_document(
    series: str,
    year: int,
    *,
    after_round: int | None = None,
    on_date: date | None = None,
    kind: str = "driver",
    rules_name: str | None = None,
) -> dict[str, Any]:
    if on_date is not None:
        after_round = round_on(series, year, on_date)
    try:
        wanted = ChampionshipKind(kind)
    except ValueError:
        kinds = ", ".join(ChampionshipKind)
        raise PointsError(f"no standings of kind {kind!r} ({kinds})") from None
    season = _scored(series, year, wanted, rules_name)
    if kind != ChampionshipKind.DRIVER and season.rules.id == OFFICIAL_RECORD.id:
        raise PointsError(
            f"{series} {year} has no {kind} standings: no rule set applies, and the record's "
            "official points are the drivers'"
        )
    if after_round is not None and not 1 <= after_round <= season.last_round:
        raise PointsError(f"{series} {year} has rounds 1 to {season.last_round}")
    table = season_standings(
        season.rules,
        season.races,
        after_round=after_round,
        penalties=season.facts.penalties,
        playoff_facts=season.facts.playoff,
        scheduled_races=season.facts.scheduled_races,
    )
    return {
        "series": series,
        "season": year,
        "after_round": after_round if after_round is not None else season.last_round,
        "kind": kind,
        "rules": season.rules.id,
        "rules_why": rules_why(series, year, rules_name),
        "standings": [
            _document_row(
                row,
                kind,
                season.names.get(row.driver, str(row.driver)),
                "official" if row.driver in season.official_used else "rules",
            )
            for row in table
        ],
    }


def _competitor_names(keys: dict[int, tuple[Any, ...]], kind: ChampionshipKind) -> dict[int, str]:
    if kind == ChampionshipKind.MANUFACTURER:
        makes = dict(Manufacturer.objects.values_list("id", "name"))
        return {ident: makes.get(key[0], str(key[0])) for ident, key in keys.items()}
    teams = dict(Team.objects.values_list("id", "name"))
    return {ident: f"{teams.get(team, team)} #{car}" for ident, (team, car) in keys.items()}


def round_on(series: str, year: int, on_date: date) -> int:
    """The last round of a season run on or before *on_date*."""
    races = list(
        Race.objects.filter(season__series__slug=series, season__year=year).values_list(
            "round", "date"
        )
    )
    if not races:
        raise PointsError(f"no races of {series} in {year}")
    dated = [(rnd, day) for rnd, day in races if day is not None]
    if len(dated) < len(races):
        raise PointsError(f"race dates of {series} {year} are not known; use --after-round")
    before = [rnd for rnd, day in dated if day <= on_date]
    if not before:
        raise PointsError(f"no race of {series} {year} was run by {on_date.isoformat()}")
    return max(before)


def _store(season_id: int, series: str, year: int) -> int:
    """Recompute and store a season's drivers' standings after every round (and each driver's
    final place on his tally); rows written. A season that cannot be scored (no rule set and no
    official points) keeps no stored standings."""
    StandingRow.objects.filter(season_id=season_id).delete()
    SeasonRecord.objects.filter(pk=season_id).update(standings_stale=False)
    try:
        season = _scored(series, year, ChampionshipKind.DRIVER)
    except PointsError:
        return 0
    rows = [
        (
            season_id,
            rnd,
            row.position,
            row.driver,
            row.points,
            row.wins,
            row.top5,
            row.top10,
            row.starts,
            row.seed,
            row.eliminated_in or "",
            "official" if row.driver in season.official_used else "rules",
            season.rules.id,
        )
        for rnd, table in standings_by_round(
            season.rules,
            season.races,
            penalties=season.facts.penalties,
            playoff_facts=season.facts.playoff,
            scheduled_races=season.facts.scheduled_races,
        )
        for row in table
    ]
    bulk.insert_rows(
        StandingRow._meta.db_table,
        (
            "season_id",
            "after_round",
            "position",
            "driver_id",
            "points",
            "wins",
            "top5",
            "top10",
            "starts",
            "seed",
            "eliminated_in",
            "source",
            "rules",
        ),
        rows,
    )
    if rows:
        tallies.store_places(season_id, max(row[1] for row in rows))
    return len(rows)


def mark_stale(seasons: set[tuple[str, int]]) -> None:
    """Note that these seasons' stored standings and tallies no longer follow their results
    (nor those of the seasons that count their races as combination races): they are computed
    again as soon as the writing transaction commits, never by a page view."""
    if not seasons:
        return
    versions.bump()
    years: dict[str, list[int]] = {}
    for slug, year in seasons:
        years.setdefault(slug, []).append(year)
    ids: set[int] = set()
    # One statement per series and few hundred years: any number of seasons fits SQLite's limits.
    for slug, wanted in years.items():
        wanted.sort()
        for start in range(0, len(wanted), 500):
            ids.update(
                SeasonRecord.objects.filter(
                    series__slug=slug, year__in=wanted[start : start + 500]
                ).values_list("pk", flat=True)
            )
    mark_seasons_stale(ids)


def mark_seasons_stale(season_ids: Iterable[int]) -> None:
    """Mark these seasons, and those linked to their races, stale; they are computed again when
    the writing transaction commits (at once outside one), or once at the end of a run that
    defers it (``refresh_deferred``)."""
    for chunk in bulk.chunks(sorted(tallies.with_linked(season_ids))):
        SeasonRecord.objects.filter(pk__in=chunk).update(standings_stale=True)
    if not _deferred.get():
        transaction.on_commit(refresh_stale)


_deferred: ContextVar[bool] = ContextVar("refresh_deferred", default=False)


@contextmanager
def refresh_deferred() -> Iterator[None]:
    """Within this block, seasons marked stale wait to be computed until the caller runs
    ``refresh_stale`` (an import, after its last file: a driver of many files' seasons has his
    career's milestones found once, not once a file). Left stale if the caller stops first:
    the next ``pitboard`` command computes them, never a page view."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def refresh_stale(series: str | None = None) -> list[tuple[str, int, int]]:
    """Recompute the stored standings, tallies and milestones of every stale season (of one
    series, if given): (series, year, standings rows) each."""
    stale = SeasonRecord.objects.filter(standings_stale=True)
    if series is not None:
        stale = stale.filter(series__slug=series)
    seasons = list(stale.values_list("pk", "series__slug", "year"))
    if not seasons:
        return []
    with transaction.atomic():
        tallies.refresh(pk for pk, _, _ in seasons)
        milestones.refresh(pk for pk, _, _ in seasons)
        return [(slug, year, _store(pk, slug, year)) for pk, slug, year in seasons]


def stored_standings(
    series: str, year: int, after_round: int | None = None, *, with_slugs: bool = False
) -> dict[str, Any]:
    """The stored drivers' standings: the same document as standings_document. *with_slugs*
    adds each driver's slug, for links."""
    record = SeasonRecord.objects.filter(series__slug=series, year=year).first()
    if record is None:
        if not SeasonRecord.objects.filter(series__slug=series).exists():
            raise PointsError(f"no series {series!r}")
        raise PointsError(f"no season {series} {year}")
    rows = StandingRow.objects.filter(season=record)
    last = rows.order_by("-after_round").values_list("after_round", "rules").first()
    if last is None:
        raise PointsError(f"{series} {year} has no standings (no rule set, no official points)")
    if after_round is not None and not 1 <= after_round <= last[0]:
        raise PointsError(f"{series} {year} has rounds 1 to {last[0]}")
    wanted = last[0] if after_round is None else after_round
    table = rows.filter(after_round=wanted).select_related("driver__person")
    standings = []
    for row in table:
        line = _document_row(row, "driver", row.driver.person.name, row.source)
        if with_slugs:
            line["slug"] = row.driver.slug
        standings.append(line)
    return {
        "series": series,
        "season": year,
        "after_round": wanted,
        "kind": ChampionshipKind.DRIVER.value,
        "rules": last[1],
        "rules_why": rules_why(series, year),
        "standings": standings,
    }


def standings_for(
    series: str,
    year: int,
    *,
    after_round: int | None = None,
    on_date: date | None = None,
    kind: str = "driver",
    with_slugs: bool = False,
) -> dict[str, Any]:
    """One championship's standings document, after a round or as they stood on a date (the
    last round run by then): the drivers' from the stored tables (kept current as results
    change), the owners' and makes' computed on demand."""
    if after_round is not None and on_date is not None:
        raise ValueError("give a round or a date, not both")
    if on_date is not None:
        after_round = round_on(series, year, on_date)
    if kind == ChampionshipKind.DRIVER:
        return stored_standings(series, year, after_round, with_slugs=with_slugs)
    return standings_document(series, year, after_round=after_round, kind=kind)


def what_if(
    series: str,
    year: int,
    rules_name: str,
    *,
    after_round: int | None = None,
    on_date: date | None = None,
    kind: str = "driver",
    with_slugs: bool = False,
) -> dict[str, Any]:
    """The standings re-scored under *rules_name*, each row beside the real one: its place and
    points in the standings as they are (``real``; None for a competitor the real table does
    not rank) and the places gained (``change``: positive when the other rules rank it
    higher). The document says which rules it is compared with (``compared_with``)."""
    other = standings_document(
        series, year, after_round=after_round, on_date=on_date, kind=kind, rules_name=rules_name
    )
    real = standings_for(
        series, year, after_round=other["after_round"], kind=kind, with_slugs=with_slugs
    )
    found = {row[kind]: row for row in real["standings"]}
    rows = []
    for row in other["standings"]:
        was = found.get(row[kind])
        rows.append(
            {
                **row,
                **({"slug": was.get("slug") if was else None} if with_slugs else {}),
                "real": {"position": was["position"], "points": was["points"]} if was else None,
                "change": was["position"] - row["position"] if was else None,
            }
        )
    return {**other, "compared_with": real["rules"], "standings": rows}


def check_published(rows: list[PublishedRow], kind: str = "driver") -> dict[str, Any]:
    """Each season's final standings of *kind* against a published table's rows of it: the
    rows it reproduces (competitor and points at that position) and the ones it does not."""
    seasons = []
    ordered = sorted(rows, key=lambda r: (r.series, r.season, r.position))
    for (series, year), group in groupby(ordered, key=lambda r: (r.series, r.season)):
        published = list(group)
        entry: dict[str, Any] = {"series": series, "season": year, "compared": len(published)}
        try:
            table = standings_for(series, year, kind=kind)
        except PointsError as exc:
            seasons.append({**entry, "matched": 0, "error": str(exc), "differences": []})
            continue
        ours = [(r["position"], r[kind], r["points"]) for r in table["standings"]]
        differences = compare(published, ours)
        seasons.append(
            {
                **entry,
                "rules": table["rules"],
                "matched": len(published) - len(differences),
                "differences": [asdict(d) for d in differences],
            }
        )
    return {
        "kind": kind,
        "compared": sum(s["compared"] for s in seasons),
        "matched": sum(s["matched"] for s in seasons),
        "seasons": seasons,
    }
