"""Several sources, one shown value: precedence per field, and the disagreements between them.

Plain functions over tuples: a statement is (dataset, values), where values line up with a list
of field names and ``None`` means the dataset did not state that field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

Statement = tuple[str, Sequence[Any]]


@dataclass(frozen=True)
class Precedence:
    """The order in which datasets are believed, with per-field exceptions."""

    order: tuple[str, ...]
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def rank(self, dataset: str, name: str) -> tuple[int, str]:
        """Lower ranks first; unlisted datasets come after every listed one, by name."""
        order = self.fields.get(name, self.order)
        return (order.index(dataset), "") if dataset in order else (len(order), dataset)


def shipped_precedence() -> Precedence:
    data = tomllib.loads(files("pitboard.data").joinpath("precedence.toml").read_text())
    return Precedence(
        tuple(data["order"]), {k: tuple(v) for k, v in data.get("fields", {}).items()}
    )


def coalesce(new: Sequence[Any], old: Sequence[Any] | None) -> tuple[Any, ...]:
    """A source's new statement over its old one: what it no longer states is kept."""
    if old is None:
        return tuple(new)
    return tuple(o if n is None else n for n, o in zip(new, old, strict=True))


# A series' own account of a race another series holds (a combination race) is stated under
# "<dataset>/<series>": its points are that series' championship points, never the race's.
PER_CHAMPIONSHIP = frozenset({"points", "stage_points"})


def own_account(dataset: str) -> bool:
    """Whether *dataset* is one series' own account of a combination race."""
    return "/" in dataset


def _speaks_for(dataset: str, name: str) -> bool:
    """Whether *dataset*'s value of field *name* is one for the shown row (not a series' own
    points of a combination race)."""
    return not (name in PER_CHAMPIONSHIP and own_account(dataset))


def merge(
    names: Sequence[str], statements: Sequence[Statement], precedence: Precedence
) -> tuple[list[Any], list[str | None]]:
    """The shown values, field by field, and the dataset each came from (None: nobody said).
    A series' own account of a combination race gives no shown points (PER_CHAMPIONSHIP)."""
    if len(statements) == 1 and not own_account(statements[0][0]):
        dataset, values = statements[0]
        return list(values), [None if v is None else dataset for v in values]
    shown: list[Any] = []
    by: list[str | None] = []
    for i, name in enumerate(names):
        stated = [
            (precedence.rank(ds, name), ds, vals[i])
            for ds, vals in statements
            if _speaks_for(ds, name)
        ]
        stated = [s for s in stated if s[2] is not None]
        if stated:
            _, dataset, value = min(stated, key=lambda s: s[0])
            shown.append(value)
            by.append(dataset)
        else:
            shown.append(None)
            by.append(None)
    return shown, by


@dataclass(frozen=True)
class Conflict:
    """One field on which sources disagree: every value with its dataset, the shown one first."""

    field: str
    values: tuple[tuple[str, Any], ...]


def conflicts(
    names: Sequence[str],
    statements: Sequence[Statement],
    precedence: Precedence,
    ignore: frozenset[str] = frozenset(),
) -> list[Conflict]:
    """The fields whose stated values differ between datasets. Each series' own points of a
    combination race differ by design: they are not compared (PER_CHAMPIONSHIP)."""
    found = []
    for i, name in enumerate(names):
        if name in ignore:
            continue
        stated = sorted(
            (
                (ds, vals[i])
                for ds, vals in statements
                if vals[i] is not None and _speaks_for(ds, name)
            ),
            key=lambda s: precedence.rank(s[0], name),
        )
        if len({_comparable(v) for _, v in stated}) > 1:
            found.append(Conflict(name, tuple(stated)))
    return found


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
