"""Career statistics: starts, wins, top fives… aggregated from result lines.

Definitions (also in docs/statistics.md):
- a *start* is a result with a finishing position; entries without one did not start and count
  nowhere else;
- wins, top 5 and top 10 count finishing positions 1, ≤5 and ≤10; poles count starts from first;
- laps, laps led and points are sums (missing values count as 0);
- average start is over starts with a known starting position, average finish over all starts,
  both rounded to two decimals;
- dnf counts starts whose status class is not ``running``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from pitboard.core.status import StatusClass


class Grouping(StrEnum):
    """How a career is split into rows: always by series, then optionally by season or track."""

    SERIES = "series"
    SEASON = "season"
    TRACK = "track"


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One result as the statistics see it."""

    series: str
    season: int
    track: str
    start: int | None
    finish: int | None
    laps: int | None
    laps_led: int | None
    status_class: str
    points: int | None


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
        return asdict(self)


def aggregate(
    lines: Iterable[ResultLine],
    series: str | None = None,
    season: int | None = None,
    track: str | None = None,
) -> StatLine:
    """One stat line over *lines*, labelled with the given group."""
    out = StatLine(series=series, season=season, track=track)
    start_sum = start_count = finish_sum = 0
    for line in lines:
        out.laps += line.laps or 0
        out.laps_led += line.laps_led or 0
        out.points += line.points or 0
        finish = line.finish
        if finish is None:
            continue
        out.starts += 1
        finish_sum += finish
        if finish == 1:
            out.wins += 1
        if finish <= 5:
            out.top5 += 1
        if finish <= 10:
            out.top10 += 1
        if out.best_finish is None or finish < out.best_finish:
            out.best_finish = finish
        if line.start is not None:
            start_sum += line.start
            start_count += 1
            if line.start == 1:
                out.poles += 1
        if line.status_class != StatusClass.RUNNING:
            out.dnf += 1
    if start_count:
        out.avg_start = round(start_sum / start_count, 2)
    if out.starts:
        out.avg_finish = round(finish_sum / out.starts, 2)
    return out


def career(
    lines: Sequence[ResultLine], by: Grouping, series_order: Callable[[str], int] = lambda slug: 0
) -> list[StatLine]:
    """Stat lines of a career split by series and, with *by*, by season or track.

    Rows come in series order (as *series_order* ranks the slugs), then season or track name.
    """
    groups: dict[tuple[str, int | None, str | None], list[ResultLine]] = {}
    for line in lines:
        key = (
            line.series,
            line.season if by is Grouping.SEASON else None,
            line.track if by is Grouping.TRACK else None,
        )
        groups.setdefault(key, []).append(line)

    def order(key: tuple[str, int | None, str | None]) -> tuple[int, str, int, str]:
        series, season, track = key
        return (series_order(series), series, season or 0, track or "")

    return [aggregate(groups[key], *key) for key in sorted(groups, key=order)]
