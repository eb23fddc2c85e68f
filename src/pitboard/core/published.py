"""A season's final standings against a published table (a sanctioning body's, a newspaper's).

The published table names its drivers as the source writes them; they are matched to the
computed table by name, ignoring case, accents, punctuation and spacing ("A. J." is "AJ"), and
where that finds nobody, by the name without a generational suffix if only one driver of the
table has it ("Johnny Benson" is the table's "Johnny Benson Jr.").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pitboard.core.identity import SUFFIXES
from pitboard.core.names import name_key

COLUMNS = ("series", "season", "position", "driver", "points")


class PublishedError(ValueError):
    """A published table that cannot be read: the file, line and field are named."""


@dataclass(frozen=True)
class PublishedRow:
    series: str
    season: int
    position: int
    driver: str
    points: int
    source: str = ""


@dataclass(frozen=True)
class Difference:
    """A published row the computed table does not reproduce."""

    position: int
    driver: str
    points: int  # published
    ours_position: int | None  # where the computed table has that driver (None: not at all)
    ours_points: int | None
    ours_at_position: str | None  # who the computed table has at that position instead


def _key(name: str) -> str:
    return name_key(name).replace(" ", "")


def _bare(name: str) -> str:
    """The key of *name* without its generational suffix."""
    return "".join(w for w in name_key(name).split() if w not in SUFFIXES)


def read_table(path: Path) -> list[PublishedRow]:
    """The rows of a published-standings CSV (COLUMNS, and an optional ``source_url``)."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise PublishedError(f"{path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise PublishedError(f"{path}, line 1: no column {missing[0]!r}")
        rows = []
        for line, record in enumerate(reader, start=2):
            numbers = {}
            for field in ("season", "position", "points"):
                value = (record[field] or "").strip()
                try:
                    numbers[field] = int(value)
                except ValueError:
                    raise PublishedError(
                        f"{path}, line {line}, field {field!r}: {value!r} is not a whole number"
                    ) from None
            driver = (record["driver"] or "").strip()
            if not _key(driver):
                raise PublishedError(f"{path}, line {line}, field 'driver': empty")
            rows.append(
                PublishedRow(
                    (record["series"] or "").strip(),
                    numbers["season"],
                    numbers["position"],
                    driver,
                    numbers["points"],
                    (record.get("source_url") or "").strip(),
                )
            )
    return rows


def compare(
    published: Iterable[PublishedRow], ours: Sequence[tuple[int, str, int]]
) -> list[Difference]:
    """The published rows that *ours* (position, driver, points per row) does not reproduce:
    another driver at that position, or other points."""
    by_position = {position: (driver, points) for position, driver, points in ours}
    by_driver = {_key(driver): (position, driver, points) for position, driver, points in ours}
    bare: dict[str, list[tuple[int, str, int]]] = {}
    for line in ours:
        bare.setdefault(_bare(line[1]), []).append(line)
    out = []
    for row in sorted(published, key=lambda r: r.position):
        found = by_driver.get(_key(row.driver))
        if found is None and len(bare.get(_bare(row.driver), [])) == 1:
            found = bare[_bare(row.driver)][0]
        if found is not None and found[0] == row.position and found[2] == row.points:
            continue
        at = by_position.get(row.position)
        out.append(
            Difference(
                row.position,
                row.driver,
                row.points,
                found[0] if found else None,
                found[2] if found else None,
                at[0] if at is not None and (found is None or at[0] != found[1]) else None,
            )
        )
    return out
