"""Career statistics: starts, wins, top fives… aggregated from result lines.

Definitions (also in docs/statistics.md):
- a *start* is a result with a finishing position; an entry without one did not start;
- wins, top 5 and top 10 count finishing positions 1, ≤5 and ≤10; poles count starts from first;
- laps, laps led and points are sums over every result (missing values count as 0);
- average start is over starts with a known starting position, average finish over all starts,
  both rounded to two decimals;
- dnf counts results (entries, started or not) whose status class is not ``running``, as the
  interface contract of PRODUCT.md defines it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, NamedTuple

from pitboard.core.status import StatusClass


class Grouping(StrEnum):
    """How a career is split into rows: always by series, then optionally by season or track."""

    SERIES = "series"
    SEASON = "season"
    TRACK = "track"


class ResultLine(NamedTuple):
    """One result as the statistics see it (a tuple: cheap to make by the thousand)."""

    series: str
    season: int
    track: str
    start: int | None
    finish: int | None
    laps: int | None
    laps_led: int | None
    status_class: str
    points: int | None
    # The same start again, for the other series of a combination race: it counts in that
    # series' rows, not a second time in a total.
    also: bool = False


@dataclass(slots=True)
class StatLine:
    series: str | None
    season: int | None
    track: str | None
    starts: int = 0
    wins: int = 0
    top5: int = 0
    top10: int = 0
    poles: int = 0
    laps: int = 0
    laps_led: int = 0
    avg_start: float | None = None
    avg_finish: float | None = None
    best_finish: int | None = None
    dnf: int = 0
    points: int = 0

    def as_dict(self) -> dict[str, Any]:
        # Flat fields only: a plain read, not dataclasses.asdict's recursive deep copy.
        return {name: getattr(self, name) for name in STAT_FIELDS}


STAT_FIELDS = tuple(f.name for f in fields(StatLine))


@dataclass(slots=True)
class Tally:
    """Running sums of a group, from which its stat line is read (and totals are merged)."""

    starts: int = 0
    wins: int = 0
    top5: int = 0
    top10: int = 0
    poles: int = 0
    laps: int = 0
    laps_led: int = 0
    dnf: int = 0
    points: int = 0
    start_sum: int = 0
    start_count: int = 0
    finish_sum: int = 0
    best: int | None = None
    entries: int = 0  # results, started or not

    @classmethod
    def of(cls, lines: list[ResultLine]) -> Tally:
        """The sums of a group of results, column by column (C-speed builtins, no per-line
        Python loop: a long career is counted thousands of times a minute by the API)."""
        tally = cls()
        if not lines:
            return tally
        tally.entries = len(lines)
        _, _, _, start, finish, laps, laps_led, status, points, _ = zip(*lines, strict=True)
        tally.laps = sum(filter(None, laps))
        tally.laps_led = sum(filter(None, laps_led))
        tally.points = sum(filter(None, points))
        tally.dnf = len(status) - status.count(RUNNING)
        finishes = [f for f in finish if f is not None]
        tally.starts = len(finishes)
        tally.finish_sum = sum(finishes)
        tally.wins = finishes.count(1)
        tally.top5 = sum(1 for f in finishes if f <= 5)
        tally.top10 = sum(1 for f in finishes if f <= 10)
        tally.best = min(finishes, default=None)
        known = [s for s, f in zip(start, finish, strict=True) if f is not None and s is not None]
        tally.start_sum = sum(known)
        tally.start_count = len(known)
        tally.poles = known.count(1)
        return tally

    def merge(self, other: Tally) -> None:
        # Field by field, spelled out: a career merges a tally per season raced, per request.
        self.starts += other.starts
        self.wins += other.wins
        self.top5 += other.top5
        self.top10 += other.top10
        self.poles += other.poles
        self.laps += other.laps
        self.laps_led += other.laps_led
        self.dnf += other.dnf
        self.points += other.points
        self.start_sum += other.start_sum
        self.start_count += other.start_count
        self.finish_sum += other.finish_sum
        self.entries += other.entries
        if other.best is not None and (self.best is None or other.best < self.best):
            self.best = other.best

    def line(self, series: str | None, season: int | None, track: str | None) -> StatLine:
        return StatLine(
            series,
            season,
            track,
            self.starts,
            self.wins,
            self.top5,
            self.top10,
            self.poles,
            self.laps,
            self.laps_led,
            round(self.start_sum / self.start_count, 2) if self.start_count else None,
            round(self.finish_sum / self.starts, 2) if self.starts else None,
            self.best,
            self.dnf,
            self.points,
        )


RUNNING = StatusClass.RUNNING.value
Key = tuple[str, int | None, str | None]


def _tallies(lines: Iterable[ResultLine], by: Grouping) -> dict[Key, Tally]:
    groups: dict[Key, list[ResultLine]] = {}
    season = by is Grouping.SEASON
    track = by is Grouping.TRACK
    for line in lines:
        key = (line[0], line[1] if season else None, line[2] if track else None)
        group = groups.get(key)
        if group is None:
            groups[key] = [line]
        else:
            group.append(line)
    return {key: Tally.of(group) for key, group in groups.items()}


def _rows(
    tallies: dict[Key, Tally], series_order: Callable[[str], int]
) -> tuple[list[StatLine], Tally]:
    """The stat lines of the groups in order (series, then season or track), and their sum."""

    def order(key: Key) -> tuple[int, str, int, str]:
        series, season, track = key
        return (series_order(series), series, season or 0, track or "")

    total = Tally()
    rows = []
    for key in sorted(tallies, key=order):
        rows.append(tallies[key].line(*key))
        total.merge(tallies[key])
    return rows, total


def career(
    lines: Iterable[ResultLine],
    by: Grouping,
    series_order: Callable[[str], int] = lambda slug: 0,
    total_series: str | None = None,
) -> tuple[list[StatLine], StatLine]:
    """Stat lines of a career split by series and, with *by*, by season or track; and the total.

    Rows come in series order (as *series_order* ranks the slugs), then season or track name.
    """
    lines = list(lines)
    rows, total = _rows(_tallies(lines, by), series_order)
    if total_series is None and any(line.also for line in lines):
        # Every series together: each start once.
        total = Tally.of([line for line in lines if not line.also])
    return rows, total.line(total_series, None, None)


def finishing_tally(finishes: Sequence[int | None]) -> Tally:
    """The sums a list of finishes (None: no finish) gives on its own: entries, starts, wins,
    top fives and tens, best finish and the sum behind the average finish. Nothing of laps,
    starting positions or status."""
    done = [f for f in finishes if f is not None]
    return Tally(
        starts=len(done),
        wins=done.count(1),
        top5=sum(1 for f in done if f <= 5),
        top10=sum(1 for f in done if f <= 10),
        finish_sum=sum(done),
        best=min(done, default=None),
        entries=len(finishes),
    )


class SeasonCount(NamedTuple):
    """A subject's tally of one season it raced in."""

    series: str
    season: int
    also: bool  # counted through a combination race of another series
    tally: Tally
    place: int | None = None  # a driver's final place in the season's standings, if any
    # A driver's own starts of the season in race order, as (track id, finish or None).
    finishes: tuple[tuple[int, int | None], ...] = ()
    season_id: int = 0  # the season's id in the record, for reading its results
    series_rank: int = 0  # the series' place in the order of series


def career_of_seasons(
    seasons: Iterable[SeasonCount],
    by: Grouping,
    series_order: Callable[[str], int] = lambda slug: 0,
    total_series: str | None = None,
) -> tuple[list[StatLine], StatLine]:
    """The same as ``career`` from the tallies of each season raced, by series or by season
    (not by track)."""
    if by is Grouping.TRACK:
        raise ValueError("season tallies cannot be split by track")
    seasons = list(seasons)
    groups: dict[Key, Tally] = {}
    for counted in seasons:
        key = (counted.series, counted.season if by is Grouping.SEASON else None, None)
        groups.setdefault(key, Tally()).merge(counted.tally)
    rows, total = _rows(groups, series_order)
    if total_series is None and any(counted.also for counted in seasons):
        total = Tally()
        for counted in seasons:
            if not counted.also:
                total.merge(counted.tally)
    return rows, total.line(total_series, None, None)


def best_of(rows: Iterable[StatLine], min_starts: int, limit: int) -> list[StatLine]:
    """The rows where a career went best: most wins, then best average finish, among rows
    with at least *min_starts* starts (the "best tracks" of a driver page)."""
    kept = [row for row in rows if row.starts >= min_starts and row.avg_finish is not None]
    kept.sort(key=lambda row: (-row.wins, row.avg_finish or 0.0, row.track or ""))
    return kept[:limit]
