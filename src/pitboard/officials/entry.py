"""Race night: an official's finishing order for one race, checked, previewed and published.

The rows are pitboard's generic results format (docs/results-format.md), written through
the same import as a file of it, as the dataset ``entry``: a publish replaces that race's
earlier entries (the rows it no longer lists go); every other source's statements stay, a
results file's included; and the run records who sent it, through what, why, and the rows
as sent. Either every row is good and the race is written, or nothing is (one message per
bad row). The same rows twice change nothing. Correcting a race that has results already
needs a reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from pitboard.core.standings import moves
from pitboard.importers.base import Audit, FileReport, run_import
from pitboard.importers.files import InputFile
from pitboard.importers.problems import FileError
from pitboard.importers.results_format import COLUMNS, ResultsFormatImporter
from pitboard.importers.table import header_key
from pitboard.officials.services import may_enter
from pitboard.records.models import ChampionshipRace, Race
from pitboard.records.services.points import PointsError
from pitboard.records.services.standings import stored_standings

MAX_ROWS = 500  # more cars than any race has had
MAX_TEXT = 200_000  # characters of pasted text
# The columns of a pasted line without a header, in this order (as many as it gives).
BARE = ("finish", "car", "driver", "start", "laps", "laps_led", "status", "points")
KNOWN = {header_key(n) for c in COLUMNS for n in (c.name, *c.aliases)}


class Forbidden(Exception):
    """The account may not enter this series' races."""


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # from 1; None: the whole entry
    column: str | None
    problem: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "problem": self.problem,
            "value": self.value,
        }

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row else "",
                f"column '{self.column}'" if self.column else "",
            )
            if part
        )
        shown = f" (value {self.value!r})" if self.value else ""
        return f"{where + ': ' if where else ''}{self.problem}{shown}"


class EntryError(Exception):
    """Why nothing was written: one problem per bad row (or one for the whole entry)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class Published:
    run: int | None  # the change made; None in a preview or where nothing changed
    changed: bool
    counts: dict[str, int]
    race: dict[str, Any]
    created: dict[str, int] = field(default_factory=dict)
    standings: list[dict[str, Any]] = field(default_factory=list)  # a preview's: with changes
    results: list[dict[str, Any]] = field(default_factory=list)  # a preview's finishing order

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "changed": self.changed,
            **self.counts,
            "created": self.created,
            "race": self.race,
        }


def rows_from_text(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Pasted lines (CSV, or tab-separated as a spreadsheet copies them) as rows, with the line
    each came from. A first line naming no column of the format is a row: the columns are
    then ``BARE``'s, in order."""
    if len(text) > MAX_TEXT:
        raise EntryError([RowProblem(None, None, f"at most {MAX_TEXT:,} characters")])
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise EntryError([RowProblem(None, None, "no rows: paste the finishing order")])
    tab = "\t" in lines[0][1]
    parsed = [
        (n, next(csv.reader(io.StringIO(line), delimiter="\t" if tab else ",")))
        for n, line in lines
    ]
    first = [c.strip() for c in parsed[0][1]]
    if any(header_key(c) in KNOWN for c in first if c):
        header, body = first, parsed[1:]
    else:
        header, body = list(BARE), parsed
    rows, where = [], []
    for n, cells in body:
        if len(cells) > len(header):
            raise EntryError(
                [
                    RowProblem(
                        None, None, f"line {n} has {len(cells)} values for {len(header)} columns"
                    )
                ]
            )
        rows.append({h: c.strip() for h, c in zip(header, cells, strict=False) if c.strip()})
        where.append(n)
    if not rows:
        raise EntryError([RowProblem(None, None, "a header and no rows")])
    return rows, where


def publish(
    user: Any,
    series: str,
    season: int,
    rnd: int,
    rows: list[dict[str, Any]],
    *,
    channel: str,
    reason: str = "",
    given: Any = None,
    preview: bool = False,
    race: dict[str, str] | None = None,
) -> Published:
    """Write *rows* as the results of *series* *season* round *rnd* (all or nothing), or with
    *preview* show what that would do to the race and the standings and write nothing. *race*:
    the race's facts (track, date, race_name) for the rows that leave them out."""
    if not may_enter(user, series):
        raise Forbidden(f"{user} may not enter results of {series}")
    _not_combined(series, season, rnd)
    filled, problems = _filled(series, season, rnd, rows, race or {})
    had_results = Race.objects.filter(
        season__series__slug=series, season__year=season, round=rnd, results__isnull=False
    ).exists()
    try:
        before = stored_standings(series, season)["standings"] if preview else []
    except PointsError:
        before = []
    audit = Audit(user.pk, channel, reason.strip(), given if given is not None else rows)
    try:
        with transaction.atomic():
            report, rejected = _run(series, season, rnd, filled, audit)
            if problems or rejected:
                raise EntryError(sorted(problems + rejected, key=lambda p: p.row or 0))
            changed = bool(report.changed)
            if changed and had_results and not reason.strip() and not preview:
                raise EntryError(
                    [
                        RowProblem(
                            None,
                            "reason",
                            "this race has results already: say why you correct them",
                        )
                    ]
                )
            out = Published(
                None if preview else report.run_id,
                changed,
                {k: getattr(report, k) for k in ("inserted", "updated", "removed", "unchanged")},
                {
                    "series": series,
                    "season": season,
                    "round": rnd,
                    "url": f"/races/{series}/{season}/{rnd}/",
                },
                {k: v for k, v in report.created.items() if v},
            )
            if preview:
                out.results = _order(series, season, rnd)
                out.standings = _compared(before, series, season)
                raise _Rollback(out)
            if not changed:
                # Rows the record holds already: not even the attempt is kept.
                out.run = None
                raise _Rollback(out)
    except _Rollback as done:
        return done.published
    return out


def _not_combined(series: str, season: int, rnd: int) -> None:
    """A round that another series' race stands for (a combination race) is entered there."""
    link = (
        ChampionshipRace.objects.filter(
            championship__season__series__slug=series,
            championship__season__year=season,
            round=rnd,
        )
        .exclude(race__season__series__slug=series)
        .values_list("race__season__series__slug", "race__season__year", "race__round")
        .first()
    )
    if link is not None:
        host, year, at = link
        raise EntryError(
            [
                RowProblem(
                    None,
                    "round",
                    f"round {rnd} of {series} {season} is {host} {year} round {at}, run with "
                    f"{host} (a combination race): its results are entered there",
                )
            ]
        )


class _Rollback(Exception):
    def __init__(self, published: Published) -> None:
        self.published = published


def _filled(
    series: str, season: int, rnd: int, rows: list[dict[str, Any]], facts: dict[str, str]
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """The rows with the race named by the address (a row naming another race is a problem),
    the race's *facts* where a row leaves them out, and, where a row leaves the track out, the
    track of the race already held or the one the other rows name."""
    if not rows:
        raise EntryError([RowProblem(None, None, "no rows: send the finishing order")])
    if len(rows) > MAX_ROWS:
        raise EntryError([RowProblem(None, None, f"at most {MAX_ROWS} rows")])
    if not all(isinstance(row, dict) for row in rows):
        bad = next(n for n, row in enumerate(rows, 1) if not isinstance(row, dict))
        raise EntryError([RowProblem(bad, None, "not an object of column: value")])
    held = (
        Race.objects.filter(season__series__slug=series, season__year=season, round=rnd)
        .values_list("track__name", flat=True)
        .first()
    )
    named = {str(row["track"]).strip() for row in rows if str(row.get("track") or "").strip()}
    track = facts.get("track") or held or (named.pop() if len(named) == 1 else None)
    problems: list[RowProblem] = []
    if not track and not named:
        raise EntryError(
            [
                RowProblem(
                    None, "track", f"round {rnd} is a new race of {series} {season}: name its track"
                )
            ]
        )
    out = []
    wanted = {"series": series, "season": season, "round": rnd}
    for n, given in enumerate(rows, 1):
        row = {str(k): v for k, v in given.items()}
        for key, value in wanted.items():
            stated = row.get(key)
            if stated not in (None, "") and str(stated).strip() != str(value):
                problems.append(RowProblem(n, key, f"this entry is for {key} {value}", str(stated)))
        row.update(wanted)
        for key, value in facts.items():
            if value and not str(row.get(key) or "").strip():
                row[key] = value
        if not str(row.get("track") or "").strip() and track:
            row["track"] = track
        out.append(row)
    return out, problems


def _run(
    series: str, season: int, rnd: int, rows: list[dict[str, Any]], audit: Audit
) -> tuple[FileReport, list[RowProblem]]:
    body = json.dumps(rows, sort_keys=True, default=str).encode()
    with tempfile.TemporaryDirectory(prefix="pitboard-entry-") as folder:
        path = Path(folder) / f"{series}-{season}-{rnd}.json"
        path.write_bytes(body)
        item = InputFile(
            path.name,
            f"entry:{series}/{season}/{rnd}",
            path,
            hashlib.sha256(body).hexdigest(),
        )
        reports, _ = run_import(
            _Entry(item), item.uri, rejects_dir=Path(folder), prune=True, audit=audit, bulk=False
        )
    (report,) = reports
    if report.status == "failed":
        raise EntryError([RowProblem(None, None, _unfiled(report.error or "not written"))])
    return report, [
        RowProblem(p.where.row, p.where.column, p.reason, p.value) for p in report.rejected
    ]


def _unfiled(message: str) -> str:
    """An importer's message without the temporary file's name."""
    head, _, rest = message.partition(": ")
    return rest if head.endswith(".json") else message


class _Entry(ResultsFormatImporter):
    """The generic format's importer over one entry's rows, as officials' own dataset."""

    name = "entry"
    dataset = "entry"

    def __init__(self, item: InputFile) -> None:
        self.item = item

    def inputs(self, target: str) -> Iterator[InputFile | FileError]:
        yield self.item


def _order(series: str, season: int, rnd: int) -> list[dict[str, Any]]:
    from pitboard.records.services.schedule import race_page

    return list(race_page(series, season, rnd)["results"])


def _compared(before: list[dict[str, Any]], series: str, season: int) -> list[dict[str, Any]]:
    """The standings after the entry, each row with its place and points before it."""
    try:
        after = stored_standings(series, season)["standings"]
    except PointsError:
        return []
    return moves(before, after)
