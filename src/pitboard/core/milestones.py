"""Milestones of a driver's career, found in his results: first start, first top ten, first top
five, first win, first pole, career-best finish, and every tenth win, per series and over the
whole career.

Within a series the order of races is certain (season, then round). Across series it is not
always: two series may race on the same day, and a race without a date can only be placed in
its season. A career-wide milestone is taken at the earliest race by (season, date, order of
series, round), and the other qualifying races that may have come first (same season, and the
same day or a date unknown) are named beside it as ties, not silently ordered.

A start counted by two series (a combination race) counts in each series, and once in the
career: career-wide milestones read only each result's own series.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

WIN_STEP = 10  # every tenth win is a milestone: the 10th, the 20th…

Kind = Literal[
    "first_start",
    "first_top10",
    "first_top5",
    "first_win",
    "first_pole",
    "career_best",
    "win_number",
]
KINDS: tuple[Kind, ...] = get_args(Kind)  # in the order a race's milestones are listed


@dataclass(frozen=True)
class Start:
    """One result of the driver, as counted in one series (its own, or a series that counts
    the race as a combination race: *own* false)."""

    result_id: int
    race_id: int
    series: str
    series_rank: int  # the series' place in the order of series
    season: int
    round: int  # the race's round in *series*
    date: date | None
    start: int | None
    finish: int | None  # None: no finish (did not start)
    own: bool = True

    @property
    def started(self) -> bool:
        return self.finish is not None


@dataclass(frozen=True)
class Milestone:
    kind: Kind
    series: str | None  # None: career-wide
    at: Start
    value: int  # the finish; for win_number, the number of the win
    ties: tuple[Start, ...] = ()  # other races that may have come first (career-wide only)


# The firsts: kind → the test a start passes, and the value noted (the finish).
_FIRSTS: dict[Kind, tuple[Callable[[Start], bool], Callable[[Start], int]]] = {
    "first_start": (lambda s: s.started, lambda s: s.finish or 0),
    "first_top10": (lambda s: s.started and (s.finish or 0) <= 10, lambda s: s.finish or 0),
    "first_top5": (lambda s: s.started and (s.finish or 0) <= 5, lambda s: s.finish or 0),
    "first_win": (lambda s: s.finish == 1, lambda s: 1),
    "first_pole": (lambda s: s.started and s.start == 1, lambda s: s.finish or 0),
}


def race_order(
    season: int, day: date | None, series_rank: int, series: str, rnd: int
) -> tuple[int, date, int, str, int]:
    """A race's place in time: certain within a series (season, round); across series, by
    date where known (an unknown date sorts last in its season), then the order of series."""
    return (season, day or date.max, series_rank, series, rnd)


def _order(s: Start) -> tuple[tuple[int, date, int, str, int], int]:
    """A total order of starts: their races', then the result (two rows in one race)."""
    return (race_order(s.season, s.date, s.series_rank, s.series, s.round), s.result_id)


def _may_precede(other: Start, chosen: Start) -> bool:
    """Whether *other*, placed after *chosen* by ``_order``, may in fact have come first: a
    race of another series in the same season, on the same day or with a date unknown."""
    if other.series == chosen.series or other.season != chosen.season:
        return False
    if other.race_id == chosen.race_id:
        return False
    return other.date is None or chosen.date is None or other.date == chosen.date


def _in_scope(starts: Sequence[Start], series: str | None) -> list[Start]:
    if series is None:
        return sorted((s for s in starts if s.own), key=_order)
    return sorted((s for s in starts if s.series == series), key=_order)


def _ties(chosen: Start, qualifying: Iterable[Start]) -> tuple[Start, ...]:
    return tuple(s for s in qualifying if s is not chosen and _may_precede(s, chosen))


def milestones(starts: Sequence[Start]) -> list[Milestone]:
    """Every milestone of a career: per series (in the order of series), then career-wide
    (series None); each scope's in time order."""
    series = sorted({(s.series_rank, s.series) for s in starts})
    found: list[Milestone] = []
    for scope in [name for _, name in series] + [None]:
        found += _scope_milestones(_in_scope(starts, scope), scope)
    return found


def _scope_milestones(ordered: list[Start], scope: str | None) -> list[Milestone]:
    career = scope is None
    out: list[Milestone] = []
    for kind, (passes, value) in _FIRSTS.items():
        qualifying = [s for s in ordered if passes(s)]
        if qualifying:
            first = qualifying[0]
            ties = _ties(first, qualifying) if career else ()
            out.append(Milestone(kind, scope, first, value(first), ties))
    finished = [s for s in ordered if s.started]
    if finished:
        best = min(s.finish or 0 for s in finished)
        reached = [s for s in finished if s.finish == best]
        ties = _ties(reached[0], reached) if career else ()
        out.append(Milestone("career_best", scope, reached[0], best, ties))
    wins = [s for s in ordered if s.finish == 1]
    for n in range(WIN_STEP, len(wins) + 1, WIN_STEP):
        chosen = wins[n - 1]
        # Career-wide, the tenth win is uncertain where a win it could swap places with lies
        # on the other side of it.
        ties = _ties(chosen, wins) if career else ()
        out.append(Milestone("win_number", scope, chosen, n, ties))
    out.sort(key=lambda m: (_order(m.at), KINDS.index(m.kind)))
    return out
