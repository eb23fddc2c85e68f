"""Rule sets: how a series scores a race and decides a season, as data.

A rule set is a TOML file (``src/pitboard/rulesets/*.toml``, or a user's own) that names its era
and its sources. Nothing about a particular year lives in code: tables, bonuses, stage points,
conditions, tiebreakers and playoff formats all come from the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar


class RuleError(ValueError):
    """A rule set that cannot be read: names the file and the key."""


class ChampionshipKind(StrEnum):
    """The titles a season can be scored for."""

    DRIVER = "driver"
    OWNER = "owner"
    MANUFACTURER = "manufacturer"


class Ineligible(StrEnum):
    """What an ineligible car does to the others' points (see ``Eligibility``)."""

    ZERO = "zero"
    SKIP = "skip"


class Qualify(StrEnum):
    """How a playoff's field is drawn."""

    POINTS = "points"
    WINS_THEN_POINTS = "wins_then_points"
    POINTS_AND_WILDCARDS = "points_and_wildcards"
    POINTS_AND_MARGIN = "points_and_margin"


class ResetKind(StrEnum):
    """How the playoff drivers' points are reset when it starts."""

    BASE = "base"  # reset_base, plus reset_per_win per win
    RANKED = "ranked"  # reset_ranked by seed
    PLAYOFF_POINTS = "playoff_points"  # reset_base plus the playoff points earned


class Tiebreaker(StrEnum):
    """What orders drivers level on points, in the order a rule set lists them."""

    WINS = "wins"
    COUNTBACK = "countback"  # most wins, then most seconds, then thirds…
    LAST_FINISH = "last_finish"  # the better finish in the last race


Choice = TypeVar("Choice", bound=StrEnum)


def _choice(value: Any, allowed: type[Choice], where: str) -> Choice:
    """*value* as one of *allowed*; else an error naming the key, the value and the choices."""
    try:
        return allowed(value)
    except ValueError:
        choices = ", ".join(repr(c.value) for c in allowed)
        raise RuleError(f"{where} = {value!r}: not one of {choices}") from None


@dataclass(frozen=True)
class PositionPoints:
    """Points by finishing position; positions past the table get ``beyond``."""

    table: tuple[int, ...]
    beyond: int = 0

    def for_position(self, position: int) -> int:
        if position <= len(self.table):
            return self.table[position - 1]
        return self.beyond


@dataclass(frozen=True)
class Bonuses:
    win: int = 0
    pole: int = 0
    led_lap: int = 0  # for leading at least one lap
    most_laps_led: int = 0  # every driver tied for the most laps led gets it
    # For the race's fastest lap (2025 on). The results do not say who set it, so the engine
    # cannot pay it: the official points carry it, and a difference of this much is named so.
    fastest_lap: int = 0
    # Bonuses are not paid to drivers racing for the title in the finale (2014+ NASCAR).
    none_for_finalists: bool = False


@dataclass(frozen=True)
class StagePoints:
    """Points for the top finishers of each paying stage."""

    table: tuple[int, ...]
    stages: int = 2  # paying stages in a race, unless the season's facts say otherwise
    # Drivers racing for the title in the finale score their finishing position only.
    none_for_finalists: bool = False


@dataclass(frozen=True)
class Eligibility:
    """Who may score: with ``declared_series`` a driver scores only in the series he declared.

    ``ineligible``: ``zero`` (the others keep the points of their finishing positions) or
    ``skip`` (the others move up, as if the ineligible car had not been there).
    """

    declared_series: bool = False
    ineligible: Ineligible = Ineligible.ZERO
    # A driver scores once per race, for the car he started: where the record credits him with
    # two cars (a relief drive), only the better-placed one counts.
    one_car_per_driver: bool = False


@dataclass(frozen=True)
class Drops:
    """Only the best results count: ``best_of`` races, or all but the ``worst`` few."""

    best_of: int | None = None
    worst: int = 0


@dataclass(frozen=True)
class Segments:
    """A bonus for entering every race of a segment of the season (ARCA: each five races as
    run): paid after the segment's last race to each driver who entered all of its races.
    Only whole segments pay; the record's starting lists stand for the entries."""

    races: int
    points: int


@dataclass(frozen=True)
class Manufacturers:
    """How a make scores a race, from its best-placed car: by the make's rank among the makes
    (``by_rank``: Cup to 2013, 9-6-4-3), else that car's points, without its stage points where
    ``stage_points`` is false (Cup from 2017). No section: the best car's points as they are."""

    by_rank: tuple[int, ...] = ()
    stage_points: bool = True


@dataclass(frozen=True)
class Round:
    name: str
    races: int
    advance: int | None = None  # drivers going on to the next round; None: no elimination
    reset: int | None = None  # points the survivors start the round with (plus playoff points)
    carry_playoff_points: bool = True
    final: bool = False  # the highest finisher of the final race among the finalists wins


@dataclass(frozen=True)
class Playoff:
    """A season's playoff: who qualifies, how points reset, how rounds eliminate."""

    name: str
    races: int  # the season's last N races are the playoff
    field: int  # drivers in it
    qualify: Qualify
    margin: int | None = None  # points_and_margin: also anyone this close to the leader
    wildcards: int = 0
    wildcard_ranks: tuple[int, int] = (11, 20)
    win_rank_limit: int | None = None  # wins_then_points: a winner must rank this high or better
    # A driver must start every regular-season race to be in it, unless the sanctioning body
    # waives it (waivers are facts of a season, not rules).
    start_every_race: bool = False
    reset_kind: ResetKind = ResetKind.BASE
    reset_base: int = 0
    reset_per_win: int = 0
    reset_ranked: tuple[int, ...] = ()  # ranked: points by seed; the rest get reset_base
    tied_seeds_share: bool = False  # ranked: drivers tied on points get the same (better) value
    per_win_only_top: int | None = None  # wins bonus only for this many top seeds
    race_win_playoff_points: int = 0
    stage_win_playoff_points: int = 0
    regular_season_rank_points: tuple[int, ...] = ()
    rounds: tuple[Round, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    era: str
    sources: tuple[str, ...]
    positions: PositionPoints
    bonuses: Bonuses = Bonuses()
    stage_points: StagePoints | None = None
    show_up: int = 0  # for taking the green flag (weekly tracks)
    attempt: int = 0  # for entering a race without starting it
    passing: int = 0  # per position gained from start to finish
    min_laps_fraction: float = 0.0  # a car must complete this share of the laps to score
    eligibility: Eligibility = Eligibility()
    drops: Drops = Drops()
    segments: Segments | None = None
    manufacturers: Manufacturers | None = None
    tiebreakers: tuple[Tiebreaker, ...] = (Tiebreaker.WINS, Tiebreaker.COUNTBACK)
    playoff: Playoff | None = None
    notes: str = ""
    # Where the rule set is in force: (series slug, first season, last season or None).
    applies: tuple[tuple[str, int, int | None], ...] = ()

    def names(self, series: str, season: int) -> bool:
        """Whether its own sources name *season* of *series* (``applies``: from, to)."""
        return any(
            s == series and first <= season and (last is None or season <= last)
            for s, first, last in self.applies
        )


@dataclass(frozen=True)
class Era:
    """Where a rule set is in force for a series: from *first* to *last* (None: until a later
    rule set is recorded). *named* is the last season its sources name (None: they name no end);
    after it, with no later rule set recorded, its rules stand."""

    rules: RuleSet
    series: str
    first: int
    last: int | None
    named: int | None

    def extended(self, season: int) -> bool:
        """Whether *season* is past the seasons this rule set's sources name (and no later rule
        set has started)."""
        return self.named is not None and season > self.named

    def why(self, season: int) -> str:
        if self.extended(season):
            return (
                f"no rule set names {self.series} {season}: {self.rules.id} (sourced "
                f"{_span(self.first, self.named)}), the last to start before it, applies until "
                "a change is recorded"
            )
        return f"{self.rules.id} applies to {self.series} {_span(self.first, self.last)}"


def _span(first: int, last: int | None) -> str:
    if last is None:
        return f"from {first} on"
    return f"in {first}" if first == last else f"from {first} to {last}"


def _ints(values: Any, where: str) -> tuple[int, ...]:
    if not isinstance(values, list) or not all(isinstance(v, int) for v in values):
        raise RuleError(f"{where}: expected a list of whole numbers")
    return tuple(values)


def _section(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RuleError(f"{where}: [{key}] must be a table")
    return dict(value)


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    try:
        return cls(**values)
    except TypeError as exc:
        raise RuleError(f"{where}: {exc}") from exc


def parse(data: Mapping[str, Any], where: str) -> RuleSet:
    """A RuleSet from the TOML document *data* (*where* names it in errors)."""
    for key in ("id", "name", "era", "sources", "positions"):
        if key not in data:
            raise RuleError(f"{where}: missing '{key}'")
    positions = _section(data, "positions", where)
    table = _ints(positions.pop("table", None), f"{where}: positions.table")
    rules: dict[str, Any] = {
        "id": data["id"],
        "name": data["name"],
        "era": data["era"],
        "sources": tuple(data["sources"]),
        "positions": _build(PositionPoints, {"table": table, **positions}, f"{where}: positions"),
        "bonuses": _build(Bonuses, _section(data, "bonuses", where), f"{where}: bonuses"),
        "eligibility": _eligibility(_section(data, "eligibility", where), where),
        "drops": _build(Drops, _section(data, "drops", where), f"{where}: drops"),
    }
    if "stage_points" in data:
        stage = _section(data, "stage_points", where)
        stage["table"] = _ints(stage.get("table"), f"{where}: stage_points.table")
        rules["stage_points"] = _build(StagePoints, stage, f"{where}: stage_points")
    for key in ("show_up", "attempt", "passing", "min_laps_fraction", "notes"):
        if key in data:
            rules[key] = data[key]
    if "tiebreakers" in data:
        if not isinstance(data["tiebreakers"], list):
            raise RuleError(f"{where}: tiebreakers: expected a list")
        rules["tiebreakers"] = tuple(
            _choice(t, Tiebreaker, f"{where}: tiebreakers[{i}]")
            for i, t in enumerate(data["tiebreakers"])
        )
    if "segments" in data:
        rules["segments"] = _build(
            Segments, _section(data, "segments", where), f"{where}: segments"
        )
    if "manufacturers" in data:
        makes = _section(data, "manufacturers", where)
        if "by_rank" in makes:
            makes["by_rank"] = _ints(makes["by_rank"], f"{where}: manufacturers.by_rank")
        rules["manufacturers"] = _build(Manufacturers, makes, f"{where}: manufacturers")
    if "playoff" in data:
        rules["playoff"] = _playoff(_section(data, "playoff", where), f"{where}: playoff")
    applies = []
    for i, item in enumerate(data.get("applies", [])):
        try:
            applies.append((str(item["series"]), int(item["from"]), item.get("to")))
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleError(f"{where}: applies[{i}] needs series and from ({exc})") from exc
    rules["applies"] = tuple(applies)
    known = {
        "id",
        "name",
        "era",
        "sources",
        "positions",
        "bonuses",
        "eligibility",
        "drops",
        "segments",
        "manufacturers",
        "stage_points",
        "show_up",
        "attempt",
        "passing",
        "min_laps_fraction",
        "notes",
        "tiebreakers",
        "playoff",
        "applies",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}")
    return _build(RuleSet, rules, where)


def _eligibility(data: dict[str, Any], where: str) -> Eligibility:
    if "ineligible" in data:
        data["ineligible"] = _choice(
            data["ineligible"], Ineligible, f"{where}: eligibility.ineligible"
        )
    eligibility: Eligibility = _build(Eligibility, data, f"{where}: eligibility")
    return eligibility


def _playoff(data: dict[str, Any], where: str) -> Playoff:
    if "qualify" in data:
        data["qualify"] = _choice(data["qualify"], Qualify, f"{where}.qualify")
    if "reset_kind" in data:
        data["reset_kind"] = _choice(data["reset_kind"], ResetKind, f"{where}.reset_kind")
    rounds = tuple(
        _build(Round, dict(r), f"{where}: rounds[{i}]")
        for i, r in enumerate(data.pop("rounds", []))
    )
    for key in ("reset_ranked", "regular_season_rank_points", "wildcard_ranks"):
        if key in data:
            data[key] = _ints(data[key], f"{where}: {key}")
    playoff: Playoff = _build(Playoff, {**data, "rounds": rounds}, where)
    return playoff


def load(path: Path) -> RuleSet:
    """Read one rule-set file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: not valid TOML: {exc}") from exc
    return parse(data, path.name)


def load_folder(folder: Path) -> list[RuleSet]:
    """Every rule set in *folder* (``*.toml``), in file-name order."""
    return [load(path) for path in sorted(folder.glob("*.toml"))]


# The season as the official record scored it: no table of its own, every point from the record.
OFFICIAL_RECORD = RuleSet(
    id="official-record",
    name="Official race points as published",
    era="any",
    sources=("the official points of each result, as imported",),
    positions=PositionPoints(()),
    eligibility=Eligibility(one_car_per_driver=True),
)


def era(rule_sets: list[RuleSet], series: str, season: int) -> Era | None:
    """The era in force for *series* in *season*: that of the rule set that started last on or
    before it (the last one listed, if several start together). A rule set stays in force past
    the seasons it names until a later one starts, so a new season is scored by the latest rules
    without a change to the code."""
    starts = [
        (first, order, rules, last)
        for order, rules in enumerate(rule_sets)
        for s, first, last in rules.applies
        if s == series
    ]
    started = [s for s in starts if s[0] <= season]
    if not started:
        return None
    first, _, rules, named = max(started, key=lambda s: (s[0], s[1]))
    later = [s[0] for s in starts if s[0] > first]
    return Era(rules, series, first, min(later) - 1 if later else None, named)


def in_force(rule_sets: list[RuleSet], series: str, season: int) -> RuleSet | None:
    """The rule set that applies to *series* in *season* (see ``era``)."""
    found = era(rule_sets, series, season)
    return found.rules if found else None
