"""Standings: a season's race points added up, ties broken, and playoffs run, as the rules say."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pitboard.core.points import Entry, RacePoints
from pitboard.core.rules import (
    ChampionshipKind,
    Manufacturers,
    Playoff,
    Qualify,
    ResetKind,
    Round,
    RuleSet,
    Tiebreaker,
)


@dataclass(frozen=True)
class ScoredRace:
    """A race with its entries and the points each scored (computed or official)."""

    round: int
    entries: Sequence[Entry]
    points: Sequence[RacePoints]
    # Points paid after this race that are not points of the race: a segment bonus, by driver.
    after: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Penalty:
    driver: int
    after_round: int  # deducted from the standings from this round on
    points: int = 0
    playoff_points: int = 0


@dataclass(frozen=True)
class PlayoffFacts:
    """What decides a playoff field beyond the results and the rules."""

    waivers: frozenset[int] = frozenset()  # may miss races and still be in it
    non_counting_wins: frozenset[tuple[int, int]] = frozenset()  # (driver, round): not for a spot
    added: tuple[int, ...] = ()  # put in the field by the sanctioning body, seeded last


@dataclass
class Standing:
    driver: int
    points: int = 0
    wins: int = 0
    top5: int = 0
    top10: int = 0
    starts: int = 0
    position: int = 0
    seed: int | None = None
    eliminated_in: str | None = None
    playoff_points: int = 0
    finishes: Counter[int] = field(default_factory=Counter)
    race_points: list[int] = field(default_factory=list)
    last_finish: int | None = None


def _simple_key(row: Standing, tiebreakers: Sequence[str]) -> tuple[int, ...]:
    key = [-row.points]
    for rule in tiebreakers:
        if rule == Tiebreaker.WINS:
            key.append(-row.wins)
        elif rule == Tiebreaker.LAST_FINISH:
            key.append(row.last_finish or 10_000)
        elif rule != Tiebreaker.COUNTBACK:
            raise ValueError(f"unknown tiebreaker {rule!r}")
    return tuple(key)


_END = 1_000_000  # after any finishing position


def rank(rows: Sequence[Standing], tiebreakers: Sequence[str]) -> list[Standing]:
    """Rows ordered by points, then the tiebreakers; positions set from 1.

    ``countback`` (more seconds, then more thirds, …) is applied where the other keys tie: it
    comes in the rule set's order among them.
    """
    keys = {row.driver: _simple_key(row, tiebreakers) for row in rows}
    ordered = sorted(rows, key=lambda r: (keys[r.driver], r.driver))
    if Tiebreaker.COUNTBACK in tiebreakers:
        ordered = _countback(ordered, keys, tiebreakers)
    for position, row in enumerate(ordered, start=1):
        row.position = position
    return ordered


def _countback(
    ordered: list[Standing], keys: Mapping[int, tuple[int, ...]], tiebreakers: Sequence[str]
) -> list[Standing]:
    """Re-order each group of rows tied on the keys before ``countback`` by their finishes."""
    before = 1 + tiebreakers.index(Tiebreaker.COUNTBACK)  # points, then the rules listed before it
    out: list[Standing] = []
    start = 0
    while start < len(ordered):
        end = start + 1
        head = keys[ordered[start].driver][:before]
        while end < len(ordered) and keys[ordered[end].driver][:before] == head:
            end += 1
        group = ordered[start:end]
        if len(group) > 1:
            # Finishes, best first, then an end mark: comparing these in order is comparing the
            # counts of wins, then of seconds, then of thirds, and so on.
            group.sort(
                key=lambda r: (
                    (*sorted(r.finishes.elements()), _END),
                    keys[r.driver][before:],
                    r.driver,
                )
            )
        out.extend(group)
        start = end
    return out


def _add(rows: dict[int, Standing], race: ScoredRace) -> None:
    for driver, extra in race.after.items():
        rows.setdefault(driver, Standing(driver)).points += extra
    for entry, scored in zip(race.entries, race.points, strict=True):
        if not scored.eligible:
            continue
        row = rows.setdefault(entry.driver, Standing(entry.driver))
        row.points += scored.total
        row.race_points.append(scored.total)
        if entry.finish is None:
            continue
        row.starts += 1
        row.finishes[entry.finish] += 1
        row.last_finish = entry.finish
        row.wins += entry.finish == 1
        row.top5 += entry.finish <= 5
        row.top10 += entry.finish <= 10


def _drops(rows: Mapping[int, Standing], rules: RuleSet, races_held: int) -> None:
    """Keep each driver's best results; a race he missed counts as a zero (dropped first)."""
    best_of, worst = rules.drops.best_of, rules.drops.worst
    if best_of is None and not worst:
        return
    for row in rows.values():
        missed = max(0, races_held - len(row.race_points))
        kept = sorted([*row.race_points, *[0] * missed], reverse=True)
        if best_of is not None:
            kept = kept[:best_of]
        if worst:
            kept = kept[: max(0, len(kept) - worst)]
        row.points = sum(kept)


def season_standings(
    rules: RuleSet,
    races: Sequence[ScoredRace],
    *,
    after_round: int | None = None,
    penalties: Sequence[Penalty] = (),
    playoff_facts: PlayoffFacts = PlayoffFacts(),
    scheduled_races: int | None = None,
) -> list[Standing]:
    """The standings after *after_round* (default: all races given).

    *scheduled_races* is the length of the season's schedule when not all its races are given
    (a season under way): the playoff is its last races, whether run yet or not.
    """
    ordered = sorted(races, key=lambda r: r.round)
    done = [r for r in ordered if after_round is None or r.round <= after_round]
    playoff = rules.playoff
    total = scheduled_races if scheduled_races is not None else len(ordered)
    if playoff is None or total <= playoff.races:
        return _points_table(rules, done, penalties)
    regular = ordered[: total - playoff.races]
    if len(done) <= len(regular):
        return _points_table(rules, done, penalties)
    return _with_playoff(rules, playoff, regular, done[len(regular) :], penalties, playoff_facts)


def _points_table(
    rules: RuleSet, races: Sequence[ScoredRace], penalties: Sequence[Penalty]
) -> list[Standing]:
    rows: dict[int, Standing] = {}
    for race in races:
        _add(rows, race)
    _drops(rows, rules, len(races))
    last = races[-1].round if races else 0
    for penalty in penalties:
        if penalty.after_round <= last and penalty.driver in rows:
            rows[penalty.driver].points -= penalty.points
    return rank(list(rows.values()), rules.tiebreakers)


def _playoff_points(
    playoff: Playoff, races: Sequence[ScoredRace], table: Sequence[Standing], facts: PlayoffFacts
) -> Counter[int]:
    """Playoff points earned in the regular season: wins (that count), stage wins, final rank."""
    earned: Counter[int] = Counter()
    for race in races:
        for entry, scored in zip(race.entries, race.points, strict=True):
            if not scored.eligible:
                continue
            if entry.finish == 1 and (entry.driver, race.round) not in facts.non_counting_wins:
                earned[entry.driver] += playoff.race_win_playoff_points
            earned[entry.driver] += scored.stage_wins * playoff.stage_win_playoff_points
    for row, bonus in zip(table, playoff.regular_season_rank_points, strict=False):
        earned[row.driver] += bonus
    return earned


def _contenders(
    playoff: Playoff, regular: Sequence[ScoredRace], facts: PlayoffFacts
) -> tuple[set[int], Counter[int]]:
    """Who may be in the playoff, and each one's wins that count for a spot.

    A driver who scored in no regular-season race (not eligible for points in the series) may
    not; nor, where the rules say so, one who missed a start without a waiver.
    """
    scored: set[int] = set()
    started: Counter[int] = Counter()
    wins: Counter[int] = Counter()
    for race in regular:
        starters = set()
        for entry, points in zip(race.entries, race.points, strict=True):
            if entry.finish is None:
                continue
            starters.add(entry.driver)
            if points.eligible:
                scored.add(entry.driver)
                if entry.finish == 1 and (entry.driver, race.round) not in facts.non_counting_wins:
                    wins[entry.driver] += 1
        started.update(starters)
    if playoff.start_every_race:
        scored = {d for d in scored if started[d] >= len(regular) or d in facts.waivers}
    return scored, wins


def _qualifiers(
    playoff: Playoff, table: Sequence[Standing], contenders: set[int], wins: Mapping[int, int]
) -> list[int]:
    """The drivers in the playoff, in seeding order before the reset."""
    table = [r for r in table if r.driver in contenders]
    by_points = [r.driver for r in table]
    if playoff.qualify == Qualify.POINTS:
        return by_points[: playoff.field]
    if playoff.qualify == Qualify.POINTS_AND_MARGIN:
        leader = table[0].points if table else 0
        chosen = by_points[: playoff.field]
        chosen += [
            r.driver
            for r in table[playoff.field :]
            if playoff.margin is not None and leader - r.points <= playoff.margin
        ]
        return chosen
    if playoff.qualify == Qualify.POINTS_AND_WILDCARDS:
        direct = by_points[: playoff.field - playoff.wildcards]
        low, high = playoff.wildcard_ranks
        pool = [r for r in table if low <= r.position <= high]
        pool.sort(key=lambda r: (-wins[r.driver], r.position))
        winners = [r.driver for r in pool if wins[r.driver] > 0]
        wildcards = (winners + [r.driver for r in pool if r.driver not in winners])[
            : playoff.wildcards
        ]
        return direct + wildcards
    if playoff.qualify == Qualify.WINS_THEN_POINTS:
        limit = playoff.win_rank_limit
        won = sorted(
            (r for r in table if wins[r.driver] > 0 and (limit is None or r.position <= limit)),
            key=lambda r: (-wins[r.driver], r.position),
        )
        chosen = [r.driver for r in won][: playoff.field]
        chosen += [d for d in by_points if d not in chosen][: playoff.field - len(chosen)]
        return chosen
    raise ValueError(f"unknown playoff qualification {playoff.qualify!r}")


def _reset(
    playoff: Playoff,
    seeds: Sequence[int],
    rows: Mapping[int, Standing],
    earned: Counter[int],
    wins: Mapping[int, int],
) -> None:
    """The playoff drivers' points at its start. *wins*: those that count for the playoff (a
    win that does not count earns no per-win bonus either)."""
    before = [rows[d].points for d in seeds]
    for index, driver in enumerate(seeds):
        row = rows[driver]
        if playoff.reset_kind == ResetKind.RANKED:
            ranked = playoff.reset_ranked
            if playoff.tied_seeds_share:  # tied on points: the better seed's value for both
                index = before.index(before[index])
            row.points = ranked[index] if index < len(ranked) else playoff.reset_base
        elif playoff.reset_kind == ResetKind.PLAYOFF_POINTS:
            row.points = playoff.reset_base + earned[driver]
        else:
            top = playoff.per_win_only_top
            per_win = playoff.reset_per_win if top is None or index < top else 0
            row.points = playoff.reset_base + per_win * wins.get(driver, 0)


def _with_playoff(
    rules: RuleSet,
    playoff: Playoff,
    regular: Sequence[ScoredRace],
    playoff_races: Sequence[ScoredRace],
    penalties: Sequence[Penalty],
    facts: PlayoffFacts,
    snapshots: list[tuple[int, list[Standing]]] | None = None,
) -> list[Standing]:
    """The season through its playoff; with *snapshots*, also the table after each playoff race."""
    table = _points_table(rules, regular, penalties)
    rows = {r.driver: r for r in table}
    earned = _playoff_points(playoff, regular, table, facts)
    for penalty in penalties:
        if penalty.after_round <= regular[-1].round:
            earned[penalty.driver] -= penalty.playoff_points
    contenders, wins = _contenders(playoff, regular, facts)
    seeds = _qualifiers(playoff, table, contenders, wins)
    seeds += [d for d in facts.added if d in rows and d not in seeds]
    _reset(playoff, seeds, rows, earned, wins)
    # Seeds by reset points; ties by the regular season's wins, then its countback.
    seeds.sort(
        key=lambda d: (-rows[d].points, -rows[d].wins, (*sorted(rows[d].finishes.elements()), _END))
    )
    base = {d: rows[d].points for d in seeds}  # what a playoff driver falls back to when out
    at_reset = Counter({d: earned[d] for d in seeds})  # playoff points in the reset above
    since_reset = Counter[int]()  # playoff-race points of each playoff driver

    kept: dict[int, int] = {}  # an eliminated driver's playoff points as its last round began

    def fallback(driver: int) -> int:
        """Out of the playoff: the first reset, plus the playoff points earned after it and
        carried into the round that ended the run (not those of that round: the published
        tables of 2017 on agree only this way), plus the race points scored since the reset."""
        carried = kept[driver] - at_reset[driver]
        return (
            base[driver]
            + carried * (playoff.reset_kind == ResetKind.PLAYOFF_POINTS)
            + since_reset[driver]
        )

    for seed, driver in enumerate(seeds, start=1):
        rows[driver].seed = seed
    alive = list(seeds)
    rounds = playoff.rounds or (Round(playoff.name, playoff.races, None),)
    remaining = list(playoff_races)
    final_order: list[int] = []
    for index, rnd in enumerate(rounds):
        these, remaining = remaining[: rnd.races], remaining[rnd.races :]
        round_start = {d: earned[d] for d in alive}
        for number, race in enumerate(these, start=1):
            before = {d: rows[d].points for d in seeds}
            _add(rows, race)
            for penalty in penalties:
                if penalty.after_round == race.round and penalty.driver in rows:
                    rows[penalty.driver].points -= penalty.points
                    earned[penalty.driver] -= penalty.playoff_points
            for entry, scored in zip(race.entries, race.points, strict=True):
                if scored.eligible and entry.driver in base:
                    since_reset[entry.driver] += rows[entry.driver].points - before[entry.driver]
                if scored.eligible and entry.driver in alive:
                    # Playoff points are for drivers still in it: out, a win earns none.
                    earned[entry.driver] += (
                        playoff.race_win_playoff_points if entry.finish == 1 else 0
                    ) + scored.stage_wins * playoff.stage_win_playoff_points
            for driver in seeds:
                if driver not in alive:  # out: back to its base, plus what it earned since
                    rows[driver].points = fallback(driver)
            if number == rnd.races and rnd.final:
                finish = {e.driver: e.finish or 10_000 for e in race.entries}
                by_finish = sorted(alive, key=lambda d: finish.get(d, 10_000))
                # The best finisher is champion; the others rank by points, which is their
                # finishing order unless a penalty after the final took some away (Truck 2023).
                final_order = by_finish[:1] + sorted(by_finish[1:], key=lambda d: -rows[d].points)
            elif number == rnd.races and rnd.advance is not None:
                survivors = _advance(rnd, alive, these, rows)
                for driver in alive:
                    if driver not in survivors:
                        rows[driver].eliminated_in = rnd.name
                        kept[driver] = round_start[driver]
                        rows[driver].points = fallback(driver)
                alive = survivors
                if index + 1 < len(rounds) and rounds[index + 1].reset is not None:
                    nxt = rounds[index + 1]
                    for driver in alive:
                        carry = earned[driver] if nxt.carry_playoff_points else 0
                        rows[driver].points = (nxt.reset or 0) + carry
            if snapshots is not None:
                copies = {d: _copy(r) for d, r in rows.items()}
                for driver in seeds:
                    copies[driver].playoff_points = earned[driver]
                snapshots.append(
                    (race.round, _order_with_playoff(rules, copies, seeds, alive, final_order))
                )
        if len(these) < rnd.races:
            break
    for driver in seeds:
        rows[driver].playoff_points = earned[driver]
    return _order_with_playoff(rules, rows, seeds, alive, final_order)


def _copy(row: Standing) -> Standing:
    """A copy that can be ranked now: it shares the finish counter, which later races change."""
    twin = object.__new__(Standing)
    twin.__dict__.update(row.__dict__)
    return twin


def _advance(
    rnd: Round, alive: Sequence[int], races: Sequence[ScoredRace], rows: Mapping[int, Standing]
) -> list[int]:
    """Who goes on: winners of the round's races first, then the rest by points.

    A points tie for the last place goes to the better best finish in the round.
    """
    best: dict[int, int] = {}
    for race in races:
        for entry in race.entries:
            if entry.driver in alive and entry.finish is not None:
                best[entry.driver] = min(best.get(entry.driver, 10_000), entry.finish)
    winners = [d for d in alive if best.get(d) == 1]
    rest = sorted(
        (d for d in alive if d not in winners),
        key=lambda d: (-rows[d].points, best.get(d, 10_000), rows[d].seed or 0),
    )
    return (winners + rest)[: rnd.advance or len(alive)]


def _order_with_playoff(
    rules: RuleSet,
    rows: Mapping[int, Standing],
    seeds: Sequence[int],
    alive: Sequence[int],
    final_order: Sequence[int],
) -> list[Standing]:
    """Finalists by the final, then the other playoff drivers by points, then everyone else."""
    head = [rows[d] for d in final_order]
    in_playoff = rank([rows[d] for d in seeds if d not in final_order], rules.tiebreakers)
    others = rank([r for d, r in rows.items() if d not in seeds], rules.tiebreakers)
    if not final_order:
        # No final (a points chase), or not reached yet: those still alive rank first.
        living = rank([r for r in in_playoff if r.driver in alive], rules.tiebreakers)
        out = [r for r in in_playoff if r.driver not in alive]
        in_playoff = living + rank(out, rules.tiebreakers)
    ordered = head + in_playoff + others
    for position, row in enumerate(ordered, start=1):
        row.position = position
    return ordered


def standings_by_round(
    rules: RuleSet,
    races: Sequence[ScoredRace],
    *,
    penalties: Sequence[Penalty] = (),
    playoff_facts: PlayoffFacts = PlayoffFacts(),
    scheduled_races: int | None = None,
) -> list[tuple[int, list[Standing]]]:
    """The standings after every round, in one pass over the season."""
    ordered = sorted(races, key=lambda r: r.round)
    total = scheduled_races if scheduled_races is not None else len(ordered)
    playoff = rules.playoff
    playoff_from = total - playoff.races if playoff is not None and total > playoff.races else None
    regular = ordered if playoff_from is None else ordered[:playoff_from]
    rows: dict[int, Standing] = {}
    out: list[tuple[int, list[Standing]]] = []
    for race in regular:
        _add(rows, race)
        snapshot = {d: _copy(r) for d, r in rows.items()}
        _drops(snapshot, rules, len(out) + 1)
        for penalty in penalties:
            if penalty.after_round <= race.round and penalty.driver in snapshot:
                snapshot[penalty.driver].points -= penalty.points
        out.append((race.round, rank(list(snapshot.values()), rules.tiebreakers)))
    if playoff is not None and playoff_from is not None and len(ordered) > playoff_from:
        _with_playoff(
            rules, playoff, regular, ordered[playoff_from:], penalties, playoff_facts, out
        )
    return out


def with_official_points(
    scored: list[ScoredRace], embedded: int = 0
) -> tuple[list[ScoredRace], set[int]]:
    """Races whose computed points are replaced by the official ones wherever they differ;
    and the drivers that affected. A record that adds a segment bonus (*embedded* points, paid
    apart by the rules) to a race's points agrees with the rules on that race."""
    out, official_used = [], set()
    for race in scored:
        points = []
        for entry, got in zip(race.entries, race.points, strict=True):
            if (
                got.eligible
                and entry.official_points is not None
                and entry.official_points != got.total
                and not (embedded and entry.official_points == got.total + embedded)
            ):
                official_used.add(entry.driver)
                got = RacePoints(
                    entry.driver, position=entry.official_points, stage_wins=got.stage_wins
                )
            points.append(got)
        out.append(ScoredRace(race.round, race.entries, points, race.after))
    return out, official_used


def regroup(
    scored: list[ScoredRace], kind: ChampionshipKind, makes: Manufacturers | None = None
) -> tuple[list[ScoredRace], dict[int, tuple[Any, ...]]]:
    """Owners' or manufacturers' races: each car (or each make's best car) as one competitor,
    a make scoring as *makes* says (the rule set's ``[manufacturers]``).

    Returns the races and, per competitor id, what it stands for: (team, car number) or (make,).
    """
    keys: dict[tuple[Any, ...], int] = {}
    labels: dict[int, tuple[Any, ...]] = {}
    out = []
    for race in scored:
        best: dict[int, tuple[Entry, RacePoints]] = {}
        entries, points = [], []
        for entry, got in zip(race.entries, race.points, strict=True):
            if kind == ChampionshipKind.OWNER:
                key: tuple[Any, ...] = ("owner", entry.owner, entry.car)
            else:
                key = ("make", entry.make)
            if key[1] is None:
                continue
            ident = keys.setdefault(key, len(keys) + 1)
            labels[ident] = key[1:]
            scored_entry = replace(entry, driver=ident)
            scored_points = replace(got, driver=ident, eligible=True)
            if kind == ChampionshipKind.OWNER:
                entries.append(scored_entry)
                points.append(scored_points)
            elif ident not in best or (entry.finish or 10_000) < (best[ident][0].finish or 10_000):
                best[ident] = (scored_entry, scored_points)
        ranked = sorted(best.values(), key=lambda pair: pair[0].finish or 10_000)
        for rank, (entry, got) in enumerate(ranked):
            if makes is not None and makes.by_rank:
                table = makes.by_rank
                paid = table[rank] if rank < len(table) and entry.finish is not None else 0
                got = RacePoints(got.driver, position=paid)
            elif makes is not None and not makes.stage_points:
                got = replace(got, stage=0, stage_wins=0)
            entries.append(entry)
            points.append(got)
        out.append(ScoredRace(race.round, entries, points))
    return out, labels


def on_cars(
    races: Sequence[tuple[int, Sequence[Entry]]],
    labels: dict[int, tuple[Any, ...]],
    penalties: Sequence[Penalty],
) -> list[Penalty]:
    """Owner penalties, named by driver, as penalties of the cars they drove in the penalty's
    round (*labels* as ``regroup`` gives them: car id → (team, car number)). A penalty whose
    driver has no car in that round raises ValueError."""
    cars = {label: ident for ident, label in labels.items()}
    entries = dict(races)
    out = []
    for penalty in penalties:
        driven = [e for e in entries.get(penalty.after_round, ()) if e.driver == penalty.driver]
        car = cars.get((driven[0].owner, driven[0].car)) if driven else None
        if car is None:
            raise ValueError(
                f"an owner penalty names driver {penalty.driver}, who drove no car of a team "
                f"in round {penalty.after_round}"
            )
        out.append(replace(penalty, driver=car))
    return out


def moves(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], key: str = "driver"
) -> list[dict[str, Any]]:
    """Each row of the standings *after* a race with what it changed: its place before
    (``was_position``; None for a newcomer), the points gained and the places moved up."""
    was = {row[key]: row for row in before}
    out = []
    for row in after:
        old = was.get(row[key])
        out.append(
            {
                **row,
                "was_position": old["position"] if old else None,
                "gained": row["points"] - old["points"] if old else row["points"],
                "moved": old["position"] - row["position"] if old else None,
            }
        )
    return out
