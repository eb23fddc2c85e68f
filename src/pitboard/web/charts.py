"""Charts as inline SVG, drawn on the server: no script, no CDN, readable by screen readers.

Each chart is an ``<svg role="img">`` with a title and a description that says what it shows in
words; the pages put the same numbers in a table beside it. Pure functions of plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
CHAR = 7.0  # the width of a character of chart text, in viewBox units (a generous average)
LABEL_GAP = 4 * CHAR + 12  # the least distance between two year labels
PALETTE = (
    "#d1495b",
    "#00798c",
    "#edae49",
    "#30638e",
    "#6a4c93",
    "#3a7d44",
    "#e07a5f",
    "#8d99ae",
    "#b56576",
    "#2b2d42",
)


@dataclass(frozen=True)
class Frame:
    """The plotting area inside the axes."""

    width: int
    height: int
    left: int = 48
    right: int = 12
    top: int = 12
    bottom: int = 40

    @property
    def inner_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> int:
        return self.height - self.top - self.bottom


def _open(frame: Frame, title: str, description: str, ident: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(str(text))}</text>'


def _axis_titles(frame: Frame, x_title: str, y_title: str) -> list[str]:
    """The titles of both axes: under the plot, and turned along the left edge."""
    middle = frame.top + frame.inner_height / 2
    return [
        _text(frame.left + frame.inner_width / 2, frame.height - 4, x_title),
        f'<text transform="translate(12 {middle:.0f}) rotate(-90)" text-anchor="middle">'
        f"{escape(y_title)}</text>",
    ]


def _ticks(low: int, high: int, wanted: int = 8) -> list[int]:
    """Round tick values from *low* to *high*."""
    span = max(1, high - low)
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        step = candidate
        if span / candidate <= wanted:
            break
    first = -(-low // step) * step
    return list(range(first, high + 1, step))


def _fit(text: str, chars: int) -> str:
    """*text* cut to *chars* characters with an ellipsis, so that it never runs off the chart
    (the full text is in the chart's table and titles)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def finishes(
    points: Sequence[tuple[int, int]], worst: int, title: str, ident: str = "finishes"
) -> str:
    """Finishing position race by race: *points* are (season, finish) in race order.

    Position 1 is at the top; the x axis counts the driver's starts, with the seasons marked.
    """
    frame = Frame(WIDTH, 260)
    count = len(points)
    worst = max(worst, 1)
    wins = sum(1 for _, f in points if f == 1)
    description = (
        f"{count} starts from {points[0][0]} to {points[-1][0]}: {wins} wins, best finish "
        f"{min(f for _, f in points)}, worst {max(f for _, f in points)}."
        if points
        else "No starts."
    )
    out = _open(frame, title, description, ident)

    def x(i: int) -> float:
        return frame.left + (i + 0.5) * frame.inner_width / max(count, 1)

    def y(finish: int) -> float:
        return frame.top + (finish - 1) * frame.inner_height / max(worst - 1, 1)

    out.append('<g class="grid">')
    for tick in _ticks(1, worst, 6):
        out.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        out.append(_text(frame.left - 6, y(tick) + 4, str(tick), "end"))
    out.append("</g>")
    seasons = [
        (i, season) for i, (season, _) in enumerate(points) if i == 0 or points[i - 1][0] != season
    ]
    out.append('<g class="axis">')
    labelled = -LABEL_GAP  # a season's label only where it clears the one before
    for i, season in seasons:
        if x(i) - labelled >= LABEL_GAP:
            labelled = x(i)
            out.append(
                f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{frame.top}" '
                f'y2="{frame.height - frame.bottom}" class="season"/>'
            )
            out.append(_text(x(i), frame.height - frame.bottom + 14, str(season)))
    out.append("</g>")
    radius = 2.5 if count < 400 else 1.6
    # One dot a start (a long career has over a thousand), x(i) worked out inline; the rest of
    # a dot (its y, size and class) depends on the finish alone, so it is written once a finish.
    step = frame.inner_width / max(count, 1)
    x0 = frame.left + step / 2
    rest = {
        finish: f'" cy="{y(finish):.1f}" r="{radius}" class="{"win" if finish == 1 else "dot"}"/>'
        for finish in {finish for _, finish in points}
    }
    out += [
        '<circle cx="%.1f' % (x0 + i * step) + rest[finish] for i, (_, finish) in enumerate(points)
    ]
    out += _axis_titles(frame, "Starts, by season", "Finishing position")
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Reported:
    """A season known only from reporting: drawn outlined, its sources in the tooltip."""

    text: str


@dataclass(frozen=True)
class Mark:
    """An injury or a milestone, marked in its season under the ladder."""

    season: int
    kind: str  # injury, milestone
    text: str


_MARK_SYMBOL = {"injury": "✚", "milestone": "★"}


def ladder(
    rows: Sequence[tuple[str, Mapping[int, int | Reported]]],
    title: str,
    ident: str = "ladder",
    marks: Sequence[Mark] = (),
) -> str:
    """Seasons by series: one row per series, one cell per season raced, darker for more
    starts. *rows* are (series label, {season: starts}); a season known only from reporting
    (``Reported``) is drawn outlined. *marks* (injuries, milestones) go on a row of their own."""
    seasons = sorted({s for _, cells in rows for s in cells} | {m.season for m in marks})
    if not seasons:
        return ""
    first, last = seasons[0], seasons[-1]
    labels = [label for label, _ in rows] + (["Injuries, milestones"] if marks else [])
    label_width = int(min(max(len(label) for label in labels) * CHAR + 16, WIDTH * 0.4))
    frame = Frame(WIDTH, 10 + 28 * len(labels) + 64, left=label_width, bottom=54, top=10)
    years = last - first + 1
    cell = frame.inner_width / years
    counted = [n for _, cells in rows for n in cells.values() if isinstance(n, int)]
    most = max(counted, default=1) or 1
    description = "; ".join(
        f"{label}: {len(cells)} seasons, {min(cells)}–{max(cells)}"
        for label, cells in rows
        if cells
    )
    out = _open(frame, title, description, ident)
    for r, (label, cells) in enumerate(rows):
        top = frame.top + 28 * r
        out.append(_text(label_width - 8, top + 17, _clip(label, label_width), "end"))
        for season, starts in sorted(cells.items()):
            x = frame.left + (season - first) * cell
            if isinstance(starts, Reported):
                out.append(
                    f'<rect x="{x + 1:.1f}" y="{top + 5}" width="{max(cell - 3, 1):.1f}" '
                    f'height="18" class="cell reported"><title>{escape(label)} {season}: '
                    f"{escape(starts.text)}</title></rect>"
                )
                continue
            shade = 0.25 + 0.75 * starts / most
            out.append(
                f'<rect x="{x:.1f}" y="{top + 4}" '
                f'width="{max(cell - 1, 1):.1f}" height="20" class="cell" '
                f'fill-opacity="{shade:.2f}"><title>{escape(label)} {season}: {starts} starts'
                "</title></rect>"
            )
    if marks:
        top = frame.top + 28 * len(rows)
        out.append(_text(label_width - 8, top + 17, labels[-1], "end"))
        by_season: dict[int, list[Mark]] = {}
        for mark in marks:
            by_season.setdefault(mark.season, []).append(mark)
        for season, found in sorted(by_season.items()):
            symbols = "".join(_MARK_SYMBOL.get(m.kind, "•") for m in found)
            tip = "; ".join(f"{m.kind}: {m.text}" for m in found)
            x = frame.left + (season - first + 0.5) * cell
            out.append(
                f'<text x="{x:.1f}" y="{top + 18}" text-anchor="middle" class="mark">'
                f"<title>{escape(str(season))}: {escape(tip)}</title>{symbols}</text>"
            )
    axis_y = frame.top + 28 * len(labels) + 14
    wanted = max(2, int(frame.inner_width // LABEL_GAP))
    for tick in _ticks(first, last, wanted):
        out.append(_text(frame.left + (tick - first + 0.5) * cell, axis_y, str(tick)))
    out.append(_text(frame.left + frame.inner_width / 2, axis_y + 18, "Season"))
    # The shading's legend: how dark a season is says how many starts it held.
    legend_y = frame.height - 14
    out.append(_text(frame.left, legend_y + 4, "Starts in a season:", "start"))
    key_x = frame.left + 19 * CHAR
    keys = sorted({1, max(1, most // 2), most}) if counted else []
    for n, starts in enumerate(keys):
        shade = 0.25 + 0.75 * starts / most
        box_x = key_x + n * 70
        out.append(
            f'<rect x="{box_x:.1f}" y="{legend_y - 6}" width="14" height="12" class="cell" '
            f'fill-opacity="{shade:.2f}"/>'
        )
        out.append(_text(box_x + 18, legend_y + 4, str(starts), "start"))
    if any(isinstance(n, Reported) for _, cells in rows for n in cells.values()):
        # Under the row labels, where the plot leaves room: outlined is reported only.
        out.append(f'<rect x="8" y="{legend_y - 6}" width="14" height="12" class="cell reported"/>')
        out.append(_text(26, legend_y + 4, "reported, no results", "start"))
    out.append("</svg>")
    return "\n".join(out)


def _clip(label: str, width: float) -> str:
    """A label cut to the room it has (the tooltip and the table keep the whole of it)."""
    room = int((width - 16) / CHAR)
    return label if len(label) <= room else label[: max(room - 1, 1)].rstrip(" ,") + "…"


def progression(
    rounds: int,
    lines: Sequence[tuple[str, Sequence[int | None]]],
    title: str,
    ident: str = "progression",
) -> str:
    """Points after every round, one line per driver (*lines* are (name, points by round))."""
    if rounds == 0 or not lines:
        return ""
    frame = Frame(WIDTH, 320, bottom=40, right=180)
    values = [p for _, pts in lines for p in pts if p is not None]
    low, high = min(0, *values), max(1, *values)

    def x(rnd: int) -> float:
        return frame.left + (rnd - 1) * frame.inner_width / max(rounds - 1, 1)

    def y(value: float) -> float:
        return frame.top + (high - value) * frame.inner_height / max(high - low, 1)

    leader = lines[0]
    description = (
        f"Points of the top {len(lines)} after each of {rounds} rounds; "
        f"{leader[0]} finished first with {leader[1][-1]} points."
    )
    out = _open(frame, title, description, ident)
    out.append('<g class="grid">')
    for tick in _ticks(low, high, 6):
        out.append(
            f'<line x1="{frame.left}" x2="{frame.left + frame.inner_width}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        out.append(_text(frame.left - 6, y(tick) + 4, str(tick), "end"))
    out.append("</g>")
    for tick in _ticks(1, rounds, 12):
        out.append(_text(x(tick), frame.top + frame.inner_height + 16, str(tick)))
    for i, (name, pts) in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        # Not by hue alone: the lines of the 6th to 10th are dashed, in the legend too.
        dash = ' stroke-dasharray="6 3"' if i % 10 >= 5 else ""
        path = " ".join(f"{x(r + 1):.1f},{y(p):.1f}" for r, p in enumerate(pts) if p is not None)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
            f"<title>{escape(name)}</title></polyline>"
        )
        legend_y = frame.top + 8 + i * 18
        legend_x = frame.left + frame.inner_width + 10
        out.append(
            f'<line x1="{legend_x}" x2="{legend_x + 18}" y1="{legend_y - 3}" '
            f'y2="{legend_y - 3}" stroke="{colour}" stroke-width="3"{dash}/>'
        )
        out.append(_text(legend_x + 22, legend_y + 1, f"{i + 1}. {_fit(name, 20)}", "start"))
    out += _axis_titles(frame, "Round", "Points")
    out.append("</svg>")
    return "\n".join(out)
