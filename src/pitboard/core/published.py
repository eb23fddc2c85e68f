"""A season's final standings against a published table (a sanctioning body's, a newspaper's).

The published table names its drivers (or owners, or makes) as the source writes them; they are
matched to the computed table by name, ignoring case, accents, punctuation and spacing ("A. J."
is "AJ"), and where that finds nobody, by the name without a generational suffix if only one
competitor of the table has it ("Johnny Benson" is the table's "Johnny Benson Jr.").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pitboard.core.identity import SUFFIXES
from pitboard.core.names import name_key

COLUMNS = ("series", "season", "position", "points")
NAMES = ("driver", "owner", "manufacturer")  # the competitor's column: one of these


class PublishedError(ValueError):
    """A published table that cannot be read: the file, line and field are named."""


@dataclass(frozen=True)
class PublishedRow:
    series: str
    season: int
    position: int
    name: str  # the driver, owner or make, as the table writes it
    points: int | None  # None: the source gives the position only
    source: str = ""


@dataclass(frozen=True)
class Difference:
    """A published row the computed table does not reproduce."""

    position: int
    name: str
    points: int | None  # published (None: the position only)
    ours_position: int | None  # where the computed table has it (None: not at all)
    ours_points: int | None
    ours_at_position: str | None  # who the computed table has there instead


def _key(name: str) -> str:
    return name_key(name).replace(" ", "")


def _bare(name: str) -> str:
    """The key of *name* without its generational suffix."""
    return "".join(w for w in name_key(name).split() if w not in SUFFIXES)


def read_table(path: Path) -> list[PublishedRow]:
    """The rows of a published-standings CSV: COLUMNS, the competitor in a column named for
    the championship (NAMES), and an optional ``source_url``. An empty ``points`` is a row
    whose source gives the position only: the competitor at it is checked, not the points."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise PublishedError(f"{path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or ()
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise PublishedError(f"{path}, line 1: no column {missing[0]!r}")
        named = [c for c in NAMES if c in header]
        if len(named) != 1:
            raise PublishedError(f"{path}, line 1: one column of {', '.join(NAMES)} names who")
        (who,) = named
        rows = []
        for line, record in enumerate(reader, start=2):
            numbers: dict[str, int] = {}
            for field in ("season", "position", "points"):
                value = (record[field] or "").strip()
                if field == "points" and not value:
                    continue  # a source that gives the position only
                try:
                    numbers[field] = int(value)
                except ValueError:
                    raise PublishedError(
                        f"{path}, line {line}, field {field!r}: {value!r} is not a whole number"
                    ) from None
            name = (record[who] or "").strip()
            if not _key(name):
                raise PublishedError(f"{path}, line {line}, field {who!r}: empty")
            rows.append(
                PublishedRow(
                    (record["series"] or "").strip(),
                    numbers["season"],
                    numbers["position"],
                    name,
                    numbers.get("points"),
                    (record.get("source_url") or "").strip(),
                )
            )
    return rows


def compare(
    published: Iterable[PublishedRow], ours: Sequence[tuple[int, str, int]]
) -> list[Difference]:
    """The published rows that *ours* (position, name, points per row) does not reproduce:
    another competitor at that position, or other points (where the row gives points)."""
    by_position = {position: (name, points) for position, name, points in ours}
    by_name = {_key(name): (position, name, points) for position, name, points in ours}
    bare: dict[str, list[tuple[int, str, int]]] = {}
    for line in ours:
        bare.setdefault(_bare(line[1]), []).append(line)
    out = []
    for row in sorted(published, key=lambda r: r.position):
        found = by_name.get(_key(row.name))
        if found is None and len(bare.get(_bare(row.name), [])) == 1:
            found = bare[_bare(row.name)][0]
        if (
            found is not None
            and found[0] == row.position
            and row.points in (None, found[2])  # a position-only row: the name at it
        ):
            continue
        at = by_position.get(row.position)
        out.append(
            Difference(
                row.position,
                row.name,
                row.points,
                found[0] if found else None,
                found[2] if found else None,
                at[0] if at is not None and (found is None or at[0] != found[1]) else None,
            )
        )
    return out
