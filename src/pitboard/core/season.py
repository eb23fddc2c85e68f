"""Scoring a whole season: its races under a rule set, with the facts the results do not carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pitboard.core.points import Entry, score_race
from pitboard.core.rules import ChampionshipKind, Ineligible, RuleSet, Segments
from pitboard.core.standings import (
    Penalty,
    PlayoffFacts,
    ScoredRace,
    season_standings,
    with_official_points,
)


@dataclass
class SeasonFacts:
    """What the results do not say: who may not score, penalties, races paying extra stages."""

    ineligible: set[int] = field(default_factory=set)
    ineligible_rounds: dict[int, set[int]] = field(default_factory=dict)  # round → no points
    penalties: list[Penalty] = field(default_factory=list)
    paying_stages: dict[int, int] = field(default_factory=dict)  # round → stages
    playoff: PlayoffFacts = field(default_factory=PlayoffFacts)
    # Rounds where the others moved up over the cars that could not score (paid by their rank
    # among the drivers scoring points), whatever the rule set says.
    close_up_rounds: set[int] = field(default_factory=set)
    # The season's schedule, when not all its races are in the record yet (a season under way):
    # a playoff is the last races of the schedule, not of what has been run.
    scheduled_races: int | None = None
    # Penalties of owner points, named by the driver of the car in the penalty's round (the
    # car's points are docked, whoever drives it later).
    owner_penalties: list[Penalty] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def for_cars(self) -> SeasonFacts:
        """The facts of an owners' or makes' title: a car's points are its own, whatever its
        driver's eligibility, penalties or playoff field; the races' own facts still hold, and
        so do the owner penalties (``owner_penalties``, for ``on_cars`` to place)."""
        return SeasonFacts(
            paying_stages=self.paying_stages,
            scheduled_races=self.scheduled_races,
            owner_penalties=self.owner_penalties,
            sources=self.sources,
        )

    def no_points(self, round_: int) -> set[int]:
        """The drivers who score nothing in this round."""
        return self.ineligible | self.ineligible_rounds.get(round_, set())


def score_season(
    rules: RuleSet,
    races: Sequence[tuple[int, Sequence[Entry]]],
    facts: SeasonFacts,
    *,
    official_fallback: bool = False,
) -> list[ScoredRace]:
    """Every race of a season scored: (round, entries) pairs in round order.

    With *official_fallback*, who races the final for the title is decided on the official race
    points wherever the rules cannot reproduce them (as the standings are), not on the rules'.
    """
    scored: list[ScoredRace] = []
    playoff = rules.playoff
    scheduled = facts.scheduled_races or len(races)
    final_round = races[-1][0] if races and scheduled == len(races) else None
    spare_finalists = rules.bonuses.none_for_finalists or (
        rules.stage_points is not None and rules.stage_points.none_for_finalists
    )
    has_final = playoff is not None and bool(playoff.rounds) and playoff.rounds[-1].final
    for rnd, entries in races:
        finalists: frozenset[int] = frozenset()
        if spare_finalists and has_final and rnd == final_round:
            embedded = rules.segments.points if rules.segments else 0
            before = with_official_points(scored, embedded)[0] if official_fallback else scored
            finalists = _finalists(rules, before, facts, scheduled)
        race_rules = rules
        if rnd in facts.close_up_rounds:
            race_rules = replace(
                rules, eligibility=replace(rules.eligibility, ineligible=Ineligible.SKIP)
            )
        excluded = facts.no_points(rnd)
        points = score_race(
            race_rules,
            entries,
            eligible=lambda driver, excluded=excluded: driver not in excluded,  # type: ignore[misc]
            paying_stages=facts.paying_stages.get(rnd),
            finalists=finalists,
        )
        scored.append(ScoredRace(rnd, entries, points))
    if rules.segments is not None:
        scored = _segment_bonus(rules.segments, scored, facts)
    return scored


def _segment_bonus(
    segments: Segments, scored: list[ScoredRace], facts: SeasonFacts
) -> list[ScoredRace]:
    """Each whole segment's bonus, paid after its last race to the drivers who entered (and
    could score in) every one of its races."""
    out = list(scored)
    for first in range(0, len(scored) - segments.races + 1, segments.races):
        part = scored[first : first + segments.races]
        entered = set.intersection(
            *(
                {p.driver for p in race.points if p.eligible} - facts.no_points(race.round)
                for race in part
            )
        )
        last = first + segments.races - 1
        out[last] = replace(out[last], after=dict.fromkeys(sorted(entered), segments.points))
    return out


def _finalists(
    rules: RuleSet, before: list[ScoredRace], facts: SeasonFacts, total_races: int
) -> frozenset[int]:
    """The drivers still in the playoff when the final starts."""
    placeholder = ScoredRace(total_races * 1000, [], [])  # the final, not run yet
    table = season_standings(
        rules,
        [*before, placeholder],
        penalties=facts.penalties,
        playoff_facts=facts.playoff,
        scheduled_races=total_races,
    )
    return frozenset(r.driver for r in table if r.seed is not None and r.eliminated_in is None)


def for_championship(rules: RuleSet, kind: ChampionshipKind) -> RuleSet:
    """The rules of the drivers', owners' or manufacturers' title: makes have no playoff."""
    return replace(rules, playoff=None) if kind == ChampionshipKind.MANUFACTURER else rules
