"""The names in a results frame (drivers, tracks, teams, makes) resolved to records.

Each distinct name is resolved once, however many rows give it: by the source's own key first,
then as ``identity`` decides. Rows whose name cannot be resolved are rejected with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pitboard.core.identity import Evidence
from pitboard.core.names import name_key
from pitboard.records.models import Source, SourceKey
from pitboard.records.services.identity import (
    Resolution,
    TrackSeen,
    keyed,
    resolve_drivers,
    resolve_manufacturers,
    resolve_teams,
    resolve_tracks,
)

if TYPE_CHECKING:
    from pitboard.records.services.results_writer import WriteOutcome


def py_list(column: pd.Series) -> list[Any]:
    """Plain Python values of a column (int, float, str, date…), None where missing."""
    return column.to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]


def first_rows(frame: pd.DataFrame, columns: list[str]) -> list[int]:
    """The positions of the first row of each distinct (columns) value, in order."""
    first: dict[tuple[Any, ...], int] = {}
    for position, key in enumerate(zip(*(py_list(frame[c]) for c in columns), strict=True)):
        first.setdefault(key, position)
    return list(first.values())


@dataclass
class _Named:
    """The names of one column: a code per row, and per distinct value its key."""

    codes: np.ndarray  # index into keys; -1 where the row names nothing
    keys: list[Any]
    first: np.ndarray  # per distinct value, the position of the first row naming it

    def per_row(self, values: list[Any]) -> np.ndarray:
        """Per row, the value given for its key (None where it names nothing)."""
        return np.array([*values, None], dtype=object)[self.codes]


def _named(column: pd.Series, key: Callable[[Any], Any] = name_key) -> _Named:
    codes, uniques = pd.factorize(column)
    return _coded(codes, [key(u) for u in uniques])


def _coded(codes: np.ndarray, keys: list[Any]) -> _Named:
    first = np.unique(codes[codes >= 0], return_index=True)[1] if keys else codes[:0]
    positions = np.flatnonzero(codes >= 0)[first] if keys else first
    return _Named(codes, keys, positions)


def _first_names(named: _Named, column: pd.Series) -> dict[Any, str]:
    """Key → the first way the name is written."""
    names: dict[Any, str] = {}
    values = column.to_numpy()
    for key, position in zip(named.keys, named.first, strict=True):
        if _usable(key):
            names.setdefault(key, values[position])
    return names


def drivers(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
    """A source with its own driver ids gives them as ``driver_key``; else the name is the key."""
    if "driver_key" in frame:
        named = _named(frame["driver_key"], key=lambda k: k)
    else:
        named = _named(frame["driver"])
    names = _first_names(named, frame["driver"])

    def evidence(keys: list[str]) -> dict[str, Evidence]:
        """What the file says of these keys' drivers: seasons, series, cars, teams."""
        position = {k: i for i, k in enumerate(keys)}
        # every spelling of a key counts: codes → the position of their key in *keys*
        of_code = np.array([*(position.get(k, -1) for k in named.keys), -1], dtype=np.int64)[
            named.codes
        ]
        # Plain Python over the rows: a file's few hundred cost less than a groupby's set-up.
        found: dict[int, tuple[set[int], set[Any], set[Any], set[Any]]] = {}
        team_keys: dict[str, str] = {}
        columns = (py_list(frame[c]) for c in ("season", "series", "car", "team"))
        for at, year, series, car, team in zip(of_code.tolist(), *columns, strict=True):
            if at < 0:
                continue
            seasons, slugs, cars, teams = found.setdefault(at, (set(), set(), set(), set()))
            if year is not None:
                seasons.add(int(year))
            if series:
                slugs.add(series)
            if car:
                cars.add(car)
            if team:
                if team not in team_keys:
                    team_keys[team] = name_key(team)
                if team_keys[team]:
                    teams.add(team_keys[team])
        out: dict[str, Evidence] = {}
        for key, i in position.items():
            if key in names:
                seasons, slugs, cars, teams = found.get(i, (set(), set(), set(), set()))
                out[key] = Evidence(
                    names[key],
                    frozenset(seasons),
                    frozenset(slugs),
                    frozenset(cars),
                    frozenset(teams),
                )
        return out

    return named, resolve_drivers(names, evidence, source, run_id)


def tracks(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
    # (track, layout) pairs, coded from each column's codes: far cheaper than a MultiIndex.
    track_codes, track_names = pd.factorize(frame["track"])
    layout_codes, layouts = pd.factorize(frame["layout"].astype(str))
    width = max(len(layouts), 1)
    pair_codes, pairs = pd.factorize(
        pd.Series(track_codes * width + layout_codes).where(track_codes >= 0)
    )
    named = _coded(
        pair_codes,
        [(name_key(track_names[int(p) // width]), layouts[int(p) % width]) for p in pairs],
    )
    # Per track, what its latest race (by season and round; missing ones last) says of it.
    names, surfaces, lengths, seasons, rounds = (
        py_list(frame[c]) for c in ("track", "surface", "length", "season", "round")
    )
    latest: dict[int, tuple[tuple[Any, ...], int]] = {}
    for i, code in enumerate(named.codes.tolist()):
        when = tuple((v is None, 0 if v is None else v) for v in (seasons[i], rounds[i]))
        if code >= 0 and (code not in latest or when >= latest[code][0]):
            latest[code] = (when, i)
    seen = {
        key: TrackSeen(
            str(names[latest[code][1]]),
            str(surfaces[latest[code][1]] or ""),
            _float(lengths[latest[code][1]]),
        )
        for code, key in enumerate(named.keys)
        if _usable(key)
    }
    return named, keyed(
        source.dataset,
        SourceKey.Kind.TRACK,
        {k: f"{k[0]}|{k[1]}" for k in seen},
        lambda rest: resolve_tracks({k: seen[k] for k in rest}, source),
        {k: v.name for k, v in seen.items()},
        run_id,
    )


def teams(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
    named = _named(frame["team"])
    names, kinds = frame["team"].to_numpy(), frame["team_kind"].to_numpy()
    teams: dict[str, tuple[str, str]] = {}
    for key, position in zip(named.keys, named.first, strict=True):
        if _usable(key):
            teams.setdefault(key, (names[position], kinds[position]))
    return named, keyed(
        source.dataset,
        SourceKey.Kind.TEAM,
        {k: k for k in teams},
        lambda rest: resolve_teams({k: teams[k] for k in rest}, source),
        {k: v[0] for k, v in teams.items()},
        run_id,
    )


def makes(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
    named = _named(frame["make"])
    names = _first_names(named, frame["make"])
    return named, keyed(
        source.dataset,
        SourceKey.Kind.MANUFACTURER,
        {k: k for k in names},
        lambda rest: resolve_manufacturers({k: names[k] for k in rest}, source),
        names,
        run_id,
    )


def attach(
    frame: pd.DataFrame,
    column: str,
    named_column: str,
    resolved: tuple[_Named, Resolution],
    out: WriteOutcome,
    label: str,
) -> pd.DataFrame:
    """Put the resolved ids in *column*; rows whose name is ambiguous or empty are rejected."""
    named, res = resolved
    out.created[label] += res.created
    ids = pd.array(named.per_row([res.ids.get(k) for k in named.keys]), dtype="Int64")
    reasons = [
        "name matches several records; add an alias to tell them apart"
        if k in res.ambiguous
        else "name has no letter or digit"
        if not _usable(k)
        else None
        for k in named.keys
    ]
    why = named.per_row(reasons)
    bad = pd.notna(why)
    if bad.any():
        for row, value, reason in zip(
            frame.loc[bad, "row"], frame.loc[bad, named_column], why[bad], strict=True
        ):
            out.rejected.append((int(row), named_column, reason, str(value)))
        frame, ids = frame.loc[~bad], ids[~bad]
    frame[column] = ids
    return frame


def _usable(key: Any) -> bool:
    """A name key that can name something: a plain key, or a (key, layout) pair, not empty."""
    return bool(key[0] if isinstance(key, tuple) else key)


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
