"""Scoring one race under a rule set: points per entry, with the parts they are made of."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pitboard.core.rules import Ineligible, RuleSet
from pitboard.core.status import StatusClass


@dataclass(frozen=True, slots=True)
class Entry:
    """One car in one race, as the points engine sees it."""

    driver: int
    finish: int | None  # None: did not start
    start: int | None = None
    laps: int | None = None
    laps_led: int = 0
    status_class: str = StatusClass.RUNNING.value
    stage_finishes: tuple[int | None, ...] = ()
    official_points: int | None = None
    owner: int | None = None  # the team, for the owners' championship (with the car number)
    make: int | None = None
    car: str = ""


@dataclass(frozen=True, slots=True)
class RacePoints:
    """What one entry scored, part by part."""

    driver: int
    position: int = 0
    bonus: int = 0
    stage: int = 0
    other: int = 0  # show-up, attempt, passing
    eligible: bool = True
    stage_wins: int = 0

    @property
    def total(self) -> int:
        return self.position + self.bonus + self.stage + self.other


def score_race(
    rules: RuleSet,
    entries: Sequence[Entry],
    *,
    eligible: Callable[[int], bool] = lambda driver: True,
    paying_stages: int | None = None,
    scheduled_laps: int | None = None,
    finalists: frozenset[int] = frozenset(),
) -> list[RacePoints]:
    """The points of every entry of one race, in the order given.

    *eligible* tells whether a driver may score in this series; *paying_stages* overrides the
    rule set's number of paying stages for this race; *finalists* are the drivers racing for the
    title in a finale where bonuses are not paid to them.
    """
    most_led = max((e.laps_led or 0 for e in entries), default=0)
    skip = rules.eligibility.ineligible == Ineligible.SKIP
    # With "skip", the others' positions close up over the ineligible cars.
    ineligible_ahead = _ineligible_ahead(entries, eligible) if skip else {}
    stages = rules.stage_points
    counted = _counted_cars(entries) if rules.eligibility.one_car_per_driver else None
    stage_count = paying_stages if paying_stages is not None else (stages.stages if stages else 0)
    out = []
    for index, entry in enumerate(entries):
        if not eligible(entry.driver) or (counted is not None and index not in counted):
            out.append(RacePoints(entry.driver, eligible=False))
            continue
        if entry.finish is None:
            out.append(RacePoints(entry.driver, other=rules.attempt))
            continue
        if (
            rules.min_laps_fraction
            and scheduled_laps
            and (entry.laps or 0) < rules.min_laps_fraction * scheduled_laps
        ):
            out.append(RacePoints(entry.driver))
            continue
        position = rules.positions.for_position(
            entry.finish - ineligible_ahead.get(entry.driver, 0)
        )
        bonus = 0
        bonuses = rules.bonuses
        if not (bonuses.none_for_finalists and entry.driver in finalists):
            if entry.finish == 1:
                bonus += bonuses.win
            if entry.start == 1:
                bonus += bonuses.pole
            if (entry.laps_led or 0) > 0:
                bonus += bonuses.led_lap
                if entry.laps_led == most_led:
                    bonus += bonuses.most_laps_led
        stage = stage_wins = 0
        if stages and not (stages.none_for_finalists and entry.driver in finalists):
            for place in entry.stage_finishes[:stage_count]:
                if place is not None and 1 <= place <= len(stages.table):
                    stage += stages.table[place - 1]
                    stage_wins += place == 1
        other = rules.show_up
        if rules.passing and entry.start:
            other += rules.passing * max(0, entry.start - entry.finish)
        out.append(RacePoints(entry.driver, position, bonus, stage, other, True, stage_wins))
    return out


def _counted_cars(entries: Sequence[Entry]) -> set[int]:
    """Per driver, the index of the one entry that scores: the best-placed of his cars."""
    best: dict[int, int] = {}
    for index, entry in enumerate(entries):
        current = best.get(entry.driver)
        if current is None or (entry.finish or 10_000) < (entries[current].finish or 10_000):
            best[entry.driver] = index
    return set(best.values())


def _ineligible_ahead(entries: Sequence[Entry], eligible: Callable[[int], bool]) -> dict[int, int]:
    """Per eligible driver, how many ineligible cars finished ahead."""
    finishers = sorted((e for e in entries if e.finish is not None), key=lambda e: e.finish or 0)
    ahead, out = 0, {}
    for entry in finishers:
        if eligible(entry.driver):
            out[entry.driver] = ahead
        else:
            ahead += 1
    return out


def mismatch_cause(rules: RuleSet, entry: Entry, got: RacePoints) -> str:
    """Why the official points of *entry* differ from the rules' (named, never guessed away)."""
    want = entry.official_points or 0
    diff = want - got.total
    if want == 0 and got.total > 0:
        return "zero in the official record"
    if rules.segments is not None and diff == rules.segments.points:
        return "segment bonus in the race's points"
    if rules.bonuses.fastest_lap and diff == rules.bonuses.fastest_lap:
        return "fastest-lap point (the results do not say who set the fastest lap)"
    stages = rules.stage_points
    if stages and 0 < diff <= max(stages.table, default=0):
        return "missing stage data"  # a stage the record has no positions for paid this
    if entry.finish is not None and got.eligible:
        extra = got.total - rules.positions.for_position(entry.finish)
        for other in (entry.finish - 2, entry.finish - 1, entry.finish + 1, entry.finish + 2):
            if other >= 1 and rules.positions.for_position(other) + extra == want:
                return "paid for another position"
    bonuses = rules.bonuses
    laps_led = {bonuses.led_lap, bonuses.most_laps_led, bonuses.led_lap + bonuses.most_laps_led}
    if abs(diff) in laps_led - {0} and (
        entry.laps_led > 0 or diff > 0  # lost a bonus it shows laps for, or got one it doesn't
    ):
        return "laps-led bonus given to another driver"
    if diff <= -10:
        return "penalty"
    return "other difference (a typo in the record?)"
