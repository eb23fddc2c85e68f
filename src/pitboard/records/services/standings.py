"""Standings documents (PRODUCT.md's contract): rules-computed, official where they differ."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pitboard.core.standings import regroup, season_standings, with_official_points
from pitboard.records.services.points import (
    PointsError,
    Season,
    SeasonFacts,
    load_season,
    rules_for,
    score_season,
    season_facts,
)

KINDS = ("driver", "owner", "manufacturer")


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
    if kind not in KINDS:
        raise PointsError(f"no standings of kind {kind!r} ({', '.join(KINDS)})")
    season: Season = load_season(series, year)
    rules = rules_for(season, rules_name)
    facts = season_facts(series, year, season.driver_ids)
    # Owners and makes score whatever their drivers' eligibility: a car's points are its own.
    scored = score_season(season, rules, facts if kind == "driver" else SeasonFacts())
    official_used: set[int] = set()
    if rules_name is None and kind == "driver":
        scored, official_used = with_official_points(scored)
    labels = dict(season.names)
    if kind != "driver":
        scored, labels = regroup(scored, kind)
    if kind == "manufacturer":
        rules = replace(rules, playoff=None)  # makes have no playoff
    last_round = season.races[-1][0]
    if after_round is not None and not 1 <= after_round <= last_round:
        raise PointsError(f"{series} {year} has rounds 1 to {last_round}")
    table = season_standings(
        rules,
        scored,
        after_round=after_round,
        penalties=facts.penalties if kind == "driver" else (),
        scheduled_races=facts.scheduled_races,
    )
    names = labels if kind == "driver" else _owner_labels(labels, kind)
    return {
        "series": series,
        "season": year,
        "after_round": after_round if after_round is not None else last_round,
        "kind": kind,
        "rules": rules.id,
        "standings": [
            {
                "position": row.position,
                kind: names.get(row.driver, str(row.driver)),
                "points": row.points,
                "wins": row.wins,
                "top5": row.top5,
                "top10": row.top10,
                "starts": row.starts,
                "playoff": {"seed": row.seed, "eliminated_in": row.eliminated_in},
                "source": "official" if row.driver in official_used else "rules",
            }
            for row in table
        ],
    }


def _owner_labels(labels: dict[int, str], kind: str) -> dict[int, str]:
    from pitboard.records.models import Manufacturer, Team

    if kind == "manufacturer":
        makes = dict(Manufacturer.objects.values_list("id", "name"))
        return {k: makes.get(int(v), v) for k, v in labels.items()}
    teams = dict(Team.objects.values_list("id", "name"))
    out = {}
    for ident, label in labels.items():
        team, _, car = label.partition(":")
        out[ident] = f"{teams.get(int(team), team)} #{car}"
    return out


def round_on(series: str, year: int, on_date: date) -> int:
    """The last round of a season run on or before *on_date*."""
    from pitboard.records.models import Race

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


def refresh_stored(series: str, year: int) -> int:
    """Recompute and store a season's drivers' standings after every round; rows written.

    Only that season is touched. A season that cannot be scored (no rule set and no official
    points) keeps no stored standings.
    """
    from django.db import transaction

    from pitboard.core.standings import standings_by_round
    from pitboard.records.models import Season as SeasonRecord
    from pitboard.records.models import StandingRow
    from pitboard.records.services import bulk

    record = SeasonRecord.objects.get(series__slug=series, year=year)
    with transaction.atomic():
        StandingRow.objects.filter(season=record).delete()
        SeasonRecord.objects.filter(pk=record.pk).update(standings_stale=False)
        try:
            season = load_season(series, year)
            rules = rules_for(season)
        except PointsError:
            return 0
        facts = season_facts(series, year, season.driver_ids)
        scored, official_used = with_official_points(score_season(season, rules, facts))
        rows = [
            (
                record.pk,
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
                "official" if row.driver in official_used else "rules",
                rules.id,
            )
            for rnd, table in standings_by_round(
                rules, scored, penalties=facts.penalties, scheduled_races=facts.scheduled_races
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
    return len(rows)


def mark_stale(seasons: set[tuple[str, int]]) -> None:
    """Note that these seasons' stored standings no longer follow their results."""
    from django.db.models import Q

    from pitboard.records.models import Season as SeasonRecord

    if not seasons:
        return
    query = Q()
    for slug, year in seasons:
        query |= Q(series__slug=slug, year=year)
    SeasonRecord.objects.filter(query).update(standings_stale=True)


def refresh_stale() -> list[tuple[str, int, int]]:
    """Recompute the stored standings of every stale season: (series, year, rows) each."""
    from pitboard.records.models import Season as SeasonRecord

    stale = SeasonRecord.objects.filter(standings_stale=True).values_list("series__slug", "year")
    return [(slug, year, refresh_stored(slug, year)) for slug, year in list(stale)]


def stored_standings(series: str, year: int, after_round: int | None = None) -> dict[str, Any]:
    """The stored drivers' standings (recomputed first if the season is stale)."""
    from pitboard.records.models import Season as SeasonRecord
    from pitboard.records.models import StandingRow

    record = SeasonRecord.objects.filter(series__slug=series, year=year).first()
    if record is None:
        raise PointsError(f"no season {series} {year}")
    if record.standings_stale:
        refresh_stored(series, year)
    rows = StandingRow.objects.filter(season=record)
    last = rows.order_by("-after_round").values_list("after_round", flat=True).first()
    if last is None:
        raise PointsError(f"{series} {year} has no standings (no rule set, no official points)")
    wanted = last if after_round is None else after_round
    table = rows.filter(after_round=wanted).select_related("driver__person")
    return {
        "series": series,
        "season": year,
        "after_round": wanted,
        "standings": [
            {
                "position": row.position,
                "driver": row.driver.person.name,
                "points": row.points,
                "wins": row.wins,
                "top5": row.top5,
                "top10": row.top10,
                "starts": row.starts,
                "playoff": {"seed": row.seed, "eliminated_in": row.eliminated_in or None},
                "source": row.source,
            }
            for row in table
        ],
    }
