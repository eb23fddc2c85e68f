"""The names in a results frame (drivers, tracks, teams, makes) resolved to records.

Each distinct name is resolved once, however many rows give it: by the source's own key first,
then as ``identity`` decides. Rows whose name cannot be resolved are rejected with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pitboard.core.identity import Evidence
from pitboard.core.names import name_key
from pitboard.records.models import Source, SourceKey
from pitboard.records.services.identity import (
    DriverBatch,
    Resolution,
    TrackSeen,
    keyed,
    resolve_drivers,
    resolve_manufacturers,
    resolve_teams,
    resolve_tracks,
    source_keys,
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


def drivers(
    frame: pd.DataFrame, sources: Sequence[Source], run_id: int | None
) -> tuple[_Named, Resolution]:
    """A source with its own driver ids gives them as ``driver_key``; else the name is the key.

    A frame of several files (*sources*, in file order; its ``source_id`` column says whose each
    row is) resolves its new keys a file at a time, as if each were written alone: each file's
    new keys are scored on what that file says of them, against the drivers known before and
    what the earlier files said of theirs."""
    if "driver_key" in frame:
        named = _named(frame["driver_key"], key=lambda k: k)
    else:
        named = _named(frame["driver"])
    names = _first_names(named, frame["driver"])
    codes = named.codes.tolist()
    columns = [py_list(frame[c]) for c in ("season", "series", "car", "team")]
    team_keys: dict[str, str] = {}

    def evidence_of(rows: Iterable[int]) -> dict[int, Evidence]:
        """Per key code, what *rows* (positions) say of its driver: seasons, series, cars,
        teams. Plain Python: a file's few hundred rows cost less than a groupby's set-up."""
        found: dict[int, tuple[set[int], set[Any], set[Any], set[Any]]] = {}
        for i in rows:
            code = codes[i]
            if code < 0:
                continue
            year, series, car, team = (column[i] for column in columns)
            seasons, slugs, cars, teams = found.setdefault(code, (set(), set(), set(), set()))
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
        return {
            code: Evidence(
                names.get(named.keys[code], ""),
                frozenset(seasons),
                frozenset(slugs),
                frozenset(cars),
                frozenset(teams),
            )
            for code, (seasons, slugs, cars, teams) in found.items()
        }

    position = {k: i for i, k in enumerate(named.keys)}

    def by_key(found: Mapping[int, Evidence], keys: list[str]) -> dict[str, Evidence]:
        return {k: found.get(position[k]) or Evidence(names[k]) for k in keys}

    if len(sources) == 1:
        every = range(len(codes))
        return named, resolve_drivers(
            names, lambda keys: by_key(evidence_of(every), keys), sources[0], run_id
        )
    by_source: dict[int, list[int]] = {}
    for i, sid in enumerate(py_list(frame["source_id"])):
        by_source.setdefault(sid, []).append(i)
    res = Resolution(ids=dict(source_keys(sources[0].dataset, SourceKey.Kind.DRIVER, list(names))))
    batch = DriverBatch()
    for source in sources:
        rows = by_source.get(source.pk, [])
        seen = evidence_of(rows)
        new: dict[str, str] = {}
        for i in rows:
            key = named.keys[codes[i]] if codes[i] >= 0 else None
            if isinstance(key, str) and key in names and key not in res.ids and key not in new:
                new[key] = names[key]
        if new:
            found = resolve_drivers(new, partial(by_key, seen), source, run_id, batch)
            res.ids.update(found.ids)
            res.made.update(found.made)
            res.reviews += found.reviews
        for code, said in seen.items():
            driver = res.ids.get(named.keys[code])
            if driver is not None:
                earlier = batch.pending.get(driver)
                batch.pending[driver] = earlier.merged(said) if earlier else said
    return named, res


def _origin(named: _Named, frame: pd.DataFrame) -> dict[Any, int] | None:
    """Per key, the source of the first row that names it: where a frame holds several files,
    a record they create comes from the file that named it first."""
    if "source_id" not in frame or frame["source_id"].nunique() < 2:
        return None
    sources = frame["source_id"].to_numpy()
    origin: dict[Any, int] = {}
    for key, position in zip(named.keys, named.first.tolist(), strict=True):
        origin.setdefault(key, int(sources[position]))  # keys of two spellings: the first's
    return origin


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
    # Per track, what its latest race (by season and round; missing ones last) says of it: of
    # the first file to name it, where the frame holds several (as if each were written alone).
    names, surfaces, lengths, seasons, rounds = (
        py_list(frame[c]) for c in ("track", "surface", "length", "season", "round")
    )
    origin = _origin(named, frame)
    files = py_list(frame["source_id"]) if origin else [None] * len(frame)
    first_file = [files[p] for p in named.first.tolist()]
    latest: dict[int, tuple[tuple[Any, ...], int]] = {}
    for i, code in enumerate(named.codes.tolist()):
        if code < 0 or files[i] != first_file[code]:
            continue
        when = tuple((v is None, 0 if v is None else v) for v in (seasons[i], rounds[i]))
        if code not in latest or when >= latest[code][0]:
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
        lambda rest: resolve_tracks({k: seen[k] for k in rest}, source, origin),
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
        lambda rest: resolve_teams({k: teams[k] for k in rest}, source, _origin(named, frame)),
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
        lambda rest: resolve_manufacturers(
            {k: names[k] for k in rest}, source, _origin(named, frame)
        ),
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
    for source_id, count in res.made.items():
        out.made(label, source_id, count)
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
        for sid, row, value, reason in zip(
            frame.loc[bad, "source_id"],
            frame.loc[bad, "row"],
            frame.loc[bad, named_column],
            why[bad],
            strict=True,
        ):
            out.rejected.append((int(sid), int(row), named_column, reason, str(value)))
        frame, ids = frame.loc[~bad], ids[~bad]
    frame[column] = ids
    return frame


def _usable(key: Any) -> bool:
    """A name key that can name something: a plain key, or a (key, layout) pair, not empty."""
    return bool(key[0] if isinstance(key, tuple) else key)


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
