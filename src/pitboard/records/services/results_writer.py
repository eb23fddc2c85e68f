"""Writing a batch of race results: seasons, tracks, people, races and results, as upserts.

Every importer hands its rows here as one DataFrame with the columns below; this module finds or
creates what they name and writes only what changed. Natural keys: a race is (series, season,
round); a result is (race, driver, entry), where entry numbers a driver's rows within one race in
the order of the source. The caller holds the transaction.

Frame columns: row, series, season, round, race_name, race_date, track, layout, surface, length,
scheduled_laps, car, driver, team, team_kind, make, sponsor, start, finish, laps, laps_led,
status, status_class, stage_finishes, points, stage_points, rating, prize_money.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from pitboard.core.names import name_key
from pitboard.records.models import (
    Championship,
    ChampionshipRace,
    Race,
    Result,
    Season,
    Series,
    Source,
)
from pitboard.records.services import bulk
from pitboard.records.services.identity import (
    Resolution,
    TrackSeen,
    resolve_drivers,
    resolve_manufacturers,
    resolve_teams,
    resolve_tracks,
)

RESULT_FIELDS = (
    "car_number",
    "team_id",
    "manufacturer_id",
    "sponsor",
    "start",
    "finish",
    "laps",
    "laps_led",
    "status_text",
    "status_class",
    "stage_finishes",
    "points",
    "stage_points",
    "rating",
    "prize_money",
)
# The writer frame's columns that fill RESULT_FIELDS, in that order.
FRAME_FIELDS = tuple(
    {"car_number": "car", "status_text": "status"}.get(f, f) for f in RESULT_FIELDS
)
RACE_FIELDS = ("track_id", "name", "date", "scheduled_laps", "length_miles", "surface")


@dataclass
class WriteOutcome:
    """What a batch did: result rows by fate, records created, rows that could not be placed.

    Fates: inserted, updated, unchanged, removed (no longer in the source), kept (no longer in
    the source, but kept because the batch had rejected rows).
    """

    results: Counter[str] = field(default_factory=Counter)
    created: Counter[str] = field(default_factory=Counter)
    races_updated: int = 0
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, col, why, value
    seasons_changed: set[tuple[str, int]] = field(default_factory=set)  # (series, year)


def write_results(
    frame: pd.DataFrame,
    series: Mapping[str, Series],
    source: Source | None,
    progress: Callable[[int], None] | None = None,
    *,
    remove_missing: bool = True,
) -> WriteOutcome:
    """Write *frame*'s results. Results of its races that it no longer lists are removed, unless
    *remove_missing* is false or a row was rejected here (a rejected row may be the missing one).
    """
    out = WriteOutcome()
    frame = frame.copy()
    season_ids = _seasons(frame, series, source, out)
    frame["season_id"] = _lookup(frame, ["series", "season"], season_ids)

    frame = _attach(frame, "driver_id", "driver", _drivers(frame, source), out, "drivers")
    frame = _attach(frame, "track_id", "track", _tracks(frame, source), out, "tracks")
    frame = _attach(frame, "team_id", "team", _teams(frame, source), out, "teams")
    frame = _attach(frame, "manufacturer_id", "make", _makes(frame, source), out, "manufacturers")

    race_ids = _races(frame, source, out)
    frame["race_id"] = _lookup(frame, ["season_id", "round"], race_ids)
    changed = _results(frame, source, out, progress, remove_missing and not out.rejected)
    touched = frame[frame["race_id"].isin(list(changed))]
    out.seasons_changed = {
        (series_slug, int(year))
        for series_slug, year in zip(touched["series"], touched["season"], strict=True)
    }
    return out


def _seasons(
    frame: pd.DataFrame, series: Mapping[str, Series], source: Source | None, out: WriteOutcome
) -> dict[tuple[str, int], int]:
    pairs = frame[["series", "season"]].drop_duplicates()
    wanted = {(s, int(y)) for s, y in zip(pairs["series"], pairs["season"], strict=True)}
    by_id = {series[s].pk: s for s, _ in wanted}
    existing = {
        (by_id[sid], year): pk
        for pk, sid, year in Season.objects.filter(series_id__in=by_id).values_list(
            "id", "series_id", "year"
        )
    }
    new = sorted(wanted - set(existing))
    if new:
        created = Season.objects.bulk_create(
            [Season(series=series[s], year=y, source=source) for s, y in new]
        )
        Championship.objects.bulk_create(
            [Championship(season=season, kind=Championship.Kind.DRIVER) for season in created]
        )
        existing.update({key: season.pk for key, season in zip(new, created, strict=True)})
        out.created["seasons"] += len(new)
    return existing


def _lookup(frame: pd.DataFrame, columns: list[str], ids: Mapping[tuple[Any, ...], int]) -> Any:
    """Per row, the id of its (columns) key."""
    keys = pd.DataFrame(list(ids), columns=columns).astype(frame[columns].dtypes.to_dict())
    keys["_id"] = list(ids.values())
    return frame[columns].merge(keys, how="left", on=columns)["_id"].to_numpy()


def py_list(column: pd.Series) -> list[Any]:
    """Plain Python values of a column (int, float, str, date…), None where missing."""
    return column.astype(object).where(column.notna(), None).tolist()


@dataclass
class _Named:
    """The names of one column: a code per row, and per distinct value its key."""

    codes: np.ndarray  # index into keys; -1 where the row names nothing
    keys: list[Any]
    first: np.ndarray  # per distinct value, the position of the first row naming it

    def per_row(self, values: list[Any]) -> np.ndarray:
        """Per row, the value given for its key (None where it names nothing)."""
        return np.array([*values, None], dtype=object)[self.codes]


def _named(column: pd.Series | pd.Index, key: Callable[[Any], Any] = name_key) -> _Named:
    codes, uniques = pd.factorize(column)
    first = np.unique(codes[codes >= 0], return_index=True)[1] if len(uniques) else codes[:0]
    positions = np.flatnonzero(codes >= 0)[first] if len(uniques) else first
    return _Named(codes, [key(u) for u in uniques], positions)


def _first_names(named: _Named, column: pd.Series) -> dict[Any, str]:
    """Key → the first way the name is written."""
    names: dict[Any, str] = {}
    values = column.to_numpy()
    for key, position in zip(named.keys, named.first, strict=True):
        if _usable(key):
            names.setdefault(key, values[position])
    return names


def _drivers(frame: pd.DataFrame, source: Source | None) -> tuple[_Named, Resolution]:
    named = _named(frame["driver"])
    return named, resolve_drivers(_first_names(named, frame["driver"]), source)


def _tracks(frame: pd.DataFrame, source: Source | None) -> tuple[_Named, Resolution]:
    pairs = pd.MultiIndex.from_arrays([frame["track"], frame["layout"].astype(str)])
    named = _named(pairs, lambda pair: (name_key(pair[0]), pair[1]))
    latest = frame.assign(_code=named.codes).sort_values(["season", "round"])
    latest = latest.drop_duplicates("_code", keep="last").set_index("_code")
    seen = {
        key: TrackSeen(
            str(latest.at[code, "track"]),
            str(latest.at[code, "surface"] or ""),
            _float(latest.at[code, "length"]),
        )
        for code, key in enumerate(named.keys)
        if _usable(key)
    }
    return named, resolve_tracks(seen, source)


def _teams(frame: pd.DataFrame, source: Source | None) -> tuple[_Named, Resolution]:
    named = _named(frame["team"])
    names, kinds = frame["team"].to_numpy(), frame["team_kind"].to_numpy()
    teams: dict[str, tuple[str, str]] = {}
    for key, position in zip(named.keys, named.first, strict=True):
        if _usable(key):
            teams.setdefault(key, (names[position], kinds[position]))
    return named, resolve_teams(teams, source)


def _makes(frame: pd.DataFrame, source: Source | None) -> tuple[_Named, Resolution]:
    named = _named(frame["make"])
    return named, resolve_manufacturers(_first_names(named, frame["make"]), source)


def _attach(
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


def _races(
    frame: pd.DataFrame, source: Source | None, out: WriteOutcome
) -> dict[tuple[int, int], int]:
    first = frame.drop_duplicates(["season_id", "round"])
    wanted = {
        (sid, rnd): (track, name or "", date, laps, length, surface or "", row)
        for sid, rnd, track, name, date, laps, length, surface, row in zip(
            *(
                py_list(first[c])
                for c in (
                    "season_id",
                    "round",
                    "track_id",
                    "race_name",
                    "race_date",
                    "scheduled_laps",
                    "length",
                    "surface",
                    "row",
                )
            ),
            strict=True,
        )
    }
    season_ids = sorted({sid for sid, _ in wanted})
    existing: dict[tuple[int, int], tuple[int, tuple[Any, ...]]] = {}
    for pk, sid, rnd, *values in Race.objects.filter(season_id__in=season_ids).values_list(
        "id", "season_id", "round", *RACE_FIELDS
    ):
        existing[(sid, rnd)] = (pk, tuple(values))
    new_keys = [k for k in wanted if k not in existing]
    changed = [
        (*wanted[k][:-1], source.pk if source else None, wanted[k][-1], existing[k][0])
        for k in wanted
        if k in existing and existing[k][1] != wanted[k][:-1]
    ]
    if new_keys:
        source_id = source.pk if source else None
        created = bulk.insert_with_ids(
            Race._meta.db_table,
            (
                "season_id",
                "round",
                "track_id",
                "name",
                "date",
                "scheduled_laps",
                "length_miles",
                "surface",
                "source_id",
                "source_row",
            ),
            [(*k, *wanted[k][:-1], source_id, wanted[k][-1]) for k in new_keys],
            ("season_id", "round"),
        )
        championships = dict(
            Championship.objects.filter(
                season_id__in=season_ids, kind=Championship.Kind.DRIVER
            ).values_list("season_id", "id")
        )
        bulk.insert_rows(
            ChampionshipRace._meta.db_table,
            ("championship_id", "race_id"),
            [(championships[k[0]], created[k]) for k in new_keys if k[0] in championships],
        )
        out.created["races"] += len(new_keys)
        existing.update({k: (created[k], ()) for k in new_keys})
    bulk.update_rows(Race._meta.db_table, (*RACE_FIELDS, "source_id", "source_row"), changed)
    out.races_updated = len(changed)
    return {k: existing[k][0] for k in wanted}


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _money_column(column: pd.Series) -> list[Decimal | None]:
    return [None if v is None else _money(v) for v in py_list(column)]


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _stages_column(column: pd.Series) -> list[str | None]:
    """Stage finishes as the JSON text the database keeps."""
    return [None if v is None else json.dumps(list(v)) for v in py_list(column)]


STAGES = RESULT_FIELDS.index("stage_finishes")
MONEY = RESULT_FIELDS.index("prize_money")


def _stored(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A result as read from the database, in the form the frame gives (JSON text, Decimal)."""
    stages, money = values[STAGES], values[MONEY]
    if (stages is None or isinstance(stages, str)) and money is None:
        return values
    row = list(values)
    if stages is not None and not isinstance(stages, str):
        row[STAGES] = json.dumps(stages)
    if money is not None:
        row[MONEY] = _money(money)
    return tuple(row)


def _results(
    frame: pd.DataFrame,
    source: Source | None,
    out: WriteOutcome,
    progress: Callable[[int], None] | None,
    remove_missing: bool,
) -> set[int]:
    """Write the results; returns the ids of the races whose results changed."""
    # A driver's rows within one race are numbered by what they say (finish, car, start), not
    # by where they stand in the file, so a reordered file matches what is stored.
    ordered = frame.sort_values(["finish", "car", "start"], na_position="last", kind="stable")
    frame = frame.assign(
        entry=ordered.groupby(["race_id", "driver_id"], sort=False).cumcount() + 1,
        car=frame["car"].fillna(""),
        sponsor=frame["sponsor"].fillna(""),
        status=frame["status"].fillna(""),
    )
    # The frame's columns in RESULT_FIELDS order, as plain Python values.
    columns = [
        _stages_column(frame[c])
        if c == "stage_finishes"
        else _money_column(frame[c])
        if c == "prize_money"
        else py_list(frame[c])
        for c in FRAME_FIELDS
    ]
    values = list(zip(*columns, strict=True))
    keys = list(zip(*(py_list(frame[c]) for c in ("race_id", "driver_id", "entry")), strict=True))
    rows = py_list(frame["row"])

    race_ids = sorted({k[0] for k in keys})
    existing: dict[tuple[int, int, int], tuple[int, tuple[Any, ...]]] = {}
    table = Result._meta.db_table
    for start in range(0, len(race_ids), 900):
        chunk = race_ids[start : start + 900]
        marks = ", ".join(["%s"] * len(chunk))
        for pk, race, driver, ent, *stored in bulk.select_rows(
            f"SELECT id, race_id, driver_id, entry, {bulk.quoted(RESULT_FIELDS)} "
            f"FROM {table} WHERE race_id IN ({marks})",
            chunk,
        ):
            existing[(race, driver, ent)] = (pk, _stored(tuple(stored)))

    source_id = source.pk if source else None
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    updated_races: set[int] = set()
    unchanged = 0
    for key, value, row in zip(keys, values, rows, strict=True):
        before = existing.pop(key, None)
        if before is None:
            inserts.append((*key, *value, source_id, row))
        elif before[1] == value:
            unchanged += 1
        else:
            updates.append((*value, source_id, row, before[0]))
            updated_races.add(key[0])
    if progress and unchanged:
        progress(unchanged)
    bulk.insert_rows(
        table,
        ("race_id", "driver_id", "entry", *RESULT_FIELDS, "source_id", "source_row"),
        inserts,
        progress,
    )
    bulk.update_rows(table, (*RESULT_FIELDS, "source_id", "source_row"), updates)
    if progress and updates:
        progress(len(updates))
    out.results["inserted"] += len(inserts)
    out.results["updated"] += len(updates)
    out.results["unchanged"] += unchanged
    # Rows of these races that the source no longer lists: the source corrected itself.
    changed = {row[0] for row in inserts}
    if remove_missing:
        bulk.delete_ids(table, [pk for pk, _ in existing.values()])
        out.results["removed"] += len(existing)
        changed |= {key[0] for key in existing}
    else:
        out.results["kept"] += len(existing)
    return changed | updated_races
