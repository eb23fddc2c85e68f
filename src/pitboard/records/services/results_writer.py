"""Writing a batch of race results: seasons, tracks, people, races and results, as upserts.

Every importer hands its rows here as one DataFrame with the columns below; this module finds or
creates what they name and writes each row as the source's statement of a result (see
``statements``). Natural keys: a race is (series, season, round); a result is (race, driver,
entry), where entry numbers a driver's rows within one race by finish, then car, then start (a
driver credited once is entry 1 in every source). The caller holds the transaction.

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

from pitboard.core.identity import Evidence
from pitboard.core.names import name_key
from pitboard.core.status import implied
from pitboard.records.models import (
    Championship,
    ChampionshipRace,
    Race,
    Result,
    Season,
    Series,
    Source,
    SourceKey,
)
from pitboard.records.services import bulk, statements
from pitboard.records.services.identity import (
    Resolution,
    TrackSeen,
    keyed,
    resolve_drivers,
    resolve_manufacturers,
    resolve_teams,
    resolve_tracks,
)
from pitboard.records.services.statements import RACE_FIELDS, RACES, RESULT_FIELDS, RESULTS

# The writer frame's columns that fill RESULT_FIELDS, in that order.
FRAME_FIELDS = tuple(
    {"car_number": "car", "status_text": "status"}.get(f, f) for f in RESULT_FIELDS
)
TEXT_FRAME_FIELDS = ("car", "sponsor", "status", "status_class")


@dataclass
class WriteOutcome:
    """What a batch did: result rows by fate, records created, rows that could not be placed.

    Fates of this source's statements: inserted (of which joined: on a result another source
    already held), updated, unchanged, removed (no longer in the file, pruned), kept (no longer in
    the file, kept because the import does not prune or had rejected rows).
    """

    results: Counter[str] = field(default_factory=Counter)
    created: Counter[str] = field(default_factory=Counter)
    races_updated: int = 0
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, col, why, value
    seasons_changed: set[tuple[str, int]] = field(default_factory=set)  # (series, year)
    stale_races: set[int] = field(default_factory=set)  # races with results the file dropped
    stated: set[int] = field(default_factory=set)  # the results this batch stated
    race_ids: set[int] = field(default_factory=set)  # the races this batch named

    def add(self, other: WriteOutcome) -> None:
        """Add a chunk's or a settlement's outcome to the file's."""
        self.results.update(other.results)
        self.created.update(other.created)
        self.races_updated += other.races_updated
        self.rejected += other.rejected
        self.seasons_changed |= other.seasons_changed
        self.stale_races |= other.stale_races
        self.stated |= other.stated
        self.race_ids |= other.race_ids
        self.reviews += other.reviews

    reviews: int = 0  # new driver keys that may be people already known: queued for review


def write_results(
    frame: pd.DataFrame,
    series: Mapping[str, Series],
    source: Source,
    progress: Callable[[int], None] | None = None,
    *,
    run_id: int | None = None,
) -> WriteOutcome:
    """Write *frame*'s results as *source*'s statements; other sources' are never touched.
    What the source no longer lists in these races is settled once they are written whole
    (``settle_missing``)."""
    out = WriteOutcome()
    frame = frame.copy()
    season_ids = _seasons(frame, series, source, out)
    frame["season_id"] = _lookup(frame, ["series", "season"], season_ids)

    drivers = _drivers(frame, source, run_id)
    out.reviews = drivers[1].reviews
    frame = _attach(frame, "driver_id", "driver", drivers, out, "drivers")
    frame = _attach(frame, "track_id", "track", _tracks(frame, source, run_id), out, "tracks")
    frame = _attach(frame, "team_id", "team", _teams(frame, source, run_id), out, "teams")
    frame = _attach(
        frame, "manufacturer_id", "make", _makes(frame, source, run_id), out, "manufacturers"
    )

    race_ids = _races(frame, source, run_id, out)
    frame["race_id"] = _lookup(frame, ["season_id", "round"], race_ids)
    changed = _results(frame, source, run_id, out, progress)
    touched = frame.loc[frame["race_id"].isin(list(changed)), ["series", "season"]]
    touched = touched.drop_duplicates()
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


def _drivers(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
    named = _named(frame["driver"])
    names = _first_names(named, frame["driver"])

    def evidence(keys: list[str]) -> dict[str, Evidence]:
        """What the file says of these keys' drivers: seasons, series, cars, teams."""
        asked = set(keys)
        wanted = {k: i for i, k in enumerate(named.keys) if k in asked}
        rows = frame.assign(_code=named.codes)
        rows = rows[rows["_code"].isin(list(wanted.values()))]
        teams = [name_key(t) if t else None for t in py_list(rows["team"])]
        sets: dict[int, tuple[set[int], set[str], set[str], set[str]]] = {}
        for code, season, slug, car, team in zip(
            rows["_code"],
            py_list(rows["season"]),
            py_list(rows["series"]),
            py_list(rows["car"]),
            teams,
            strict=True,
        ):
            seasons, series, cars, team_keys = sets.setdefault(code, (set(), set(), set(), set()))
            seasons.add(int(season))
            series.add(slug)
            if car:
                cars.add(car)
            if team:
                team_keys.add(team)
        empty: tuple[set[int], set[str], set[str], set[str]] = (set(), set(), set(), set())
        out = {}
        for key, code in wanted.items():
            seasons, series, cars, team_keys = sets.get(code, empty)
            out[key] = Evidence(
                names[key],
                frozenset(seasons),
                frozenset(series),
                frozenset(cars),
                frozenset(team_keys),
            )
        return out

    return named, resolve_drivers(names, evidence, source, run_id)


def _tracks(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
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
    return named, keyed(
        source.dataset,
        SourceKey.Kind.TRACK,
        {k: f"{k[0]}|{k[1]}" for k in seen},
        lambda rest: resolve_tracks({k: seen[k] for k in rest}, source),
        {k: v.name for k, v in seen.items()},
        run_id,
    )


def _teams(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
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


def _makes(frame: pd.DataFrame, source: Source, run_id: int | None) -> tuple[_Named, Resolution]:
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
    frame: pd.DataFrame, source: Source, run_id: int | None, out: WriteOutcome
) -> dict[tuple[int, int], int]:
    """The race ids of the frame's (season, round), with this source's statement of each."""
    first = frame.drop_duplicates(["season_id", "round"])
    wanted = {
        (sid, rnd): ((track, name or None, date, laps, length, surface or None), row)
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
    ids: dict[tuple[int, int], int] = {}
    for chunk in _chunks(season_ids):
        ids.update(
            {
                (sid, rnd): pk
                for pk, sid, rnd in Race.objects.filter(season_id__in=chunk).values_list(
                    "id", "season_id", "round"
                )
            }
        )
    new_keys = [k for k in wanted if k not in ids]
    if new_keys:
        created = bulk.insert_with_ids(
            Race._meta.db_table,
            ("season_id", "round", *RACE_FIELDS, "source_id", "source_row"),
            [(*k, *RACES.fill(list(wanted[k][0])), source.pk, wanted[k][1]) for k in new_keys],
            ("season_id", "round"),
        )
        championships: dict[int, int] = {}
        for chunk in _chunks(season_ids):
            championships.update(
                Championship.objects.filter(
                    season_id__in=chunk, kind=Championship.Kind.DRIVER
                ).values_list("season_id", "id")
            )
        bulk.insert_rows(
            ChampionshipRace._meta.db_table,
            ("championship_id", "race_id"),
            [(championships[k[0]], created[k]) for k in new_keys if k[0] in championships],
        )
        out.created["races"] += len(new_keys)
        ids.update(created)
    done = statements.write(
        RACES,
        source.dataset,
        source.pk,
        run_id,
        {ids[k]: value for k, value in wanted.items()},
        fresh=created.values() if new_keys else (),
    )
    out.races_updated = len(done.changed_owners)
    return {k: ids[k] for k in wanted}


def _chunks(ids: list[Any], size: int = 900) -> Any:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _money_column(column: pd.Series) -> list[Decimal | None]:
    return [None if v is None else statements.money(v) for v in py_list(column)]


def _stages_column(column: pd.Series) -> list[str | None]:
    """Stage finishes as the JSON text the database keeps."""
    return [None if v is None else json.dumps(list(v)) for v in py_list(column)]


def _results(
    frame: pd.DataFrame,
    source: Source,
    run_id: int | None,
    out: WriteOutcome,
    progress: Callable[[int], None] | None,
) -> set[int]:
    """Write this source's statement of each result; returns the ids of the races whose shown
    results changed."""
    # A driver's rows within one race are numbered by what they say (finish, car, start), not
    # by where they stand in the file, so a reordered file matches what is stored.
    ordered = frame.sort_values(["finish", "car", "start"], na_position="last", kind="stable")
    frame = frame.assign(
        entry=ordered.groupby(["race_id", "driver_id"], sort=False).cumcount() + 1,
    )
    # The frame's columns in RESULT_FIELDS order, as plain Python values; "" is "not stated".
    columns = [
        _stages_column(frame[c])
        if c == "stage_finishes"
        else _money_column(frame[c])
        if c == "prize_money"
        else _text_column(frame[c])
        if c in TEXT_FRAME_FIELDS
        else py_list(frame[c])
        for c in FRAME_FIELDS
    ]
    values = list(zip(*columns, strict=True))
    # The shown values of a new result: what the source said, with "" for text it left out and
    # the status class it implies (running, or did not start without a finish).
    shown_columns = list(columns)
    for name in ("car", "sponsor", "status"):
        shown_columns[FRAME_FIELDS.index(name)] = [
            v or "" for v in columns[FRAME_FIELDS.index(name)]
        ]
    status = FRAME_FIELDS.index("status_class")
    finish = columns[FRAME_FIELDS.index("finish")]
    shown_columns[status] = [
        given if given is not None else implied(done).value
        for given, done in zip(columns[status], finish, strict=True)
    ]
    shown = list(zip(*shown_columns, strict=True))
    keys = list(zip(*(py_list(frame[c]) for c in ("race_id", "driver_id", "entry")), strict=True))
    rows = py_list(frame["row"])

    race_ids = sorted({k[0] for k in keys})
    existing: dict[tuple[int, int, int], int] = {}
    table = Result._meta.db_table
    for chunk in _chunks(race_ids):
        marks = ", ".join(["%s"] * len(chunk))
        for pk, race, driver, ent in bulk.select_rows(
            f"SELECT id, race_id, driver_id, entry FROM {table} WHERE race_id IN ({marks})",
            chunk,
        ):
            existing[(race, driver, ent)] = pk
    new = [
        (*key, *value, source.pk, row)
        for key, value, row in zip(keys, shown, rows, strict=True)
        if key not in existing
    ]
    created: dict[Any, int] = {}
    if new:
        created = bulk.insert_with_ids(
            table,
            ("race_id", "driver_id", "entry", *RESULT_FIELDS, "source_id", "source_row"),
            new,
            ("race_id", "driver_id", "entry"),
        )
        existing.update(created)
    stated = {
        existing[key]: (value, row) for key, value, row in zip(keys, values, rows, strict=True)
    }
    done = statements.write(
        RESULTS, source.dataset, source.pk, run_id, stated, fresh=created.values()
    )
    if progress:
        progress(len(keys))
    out.results.update(done.counts)
    out.stated = set(stated)
    out.race_ids = set(race_ids)
    race_of = {existing[key]: key[0] for key in keys}
    return {race_of[o] for o in done.changed_owners | set(created.values())}


def settle_missing(
    source: Source, run_id: int | None, race_ids: set[int], stated: set[int], *, prune: bool
) -> WriteOutcome:
    """Once a batch holding whole races is written: this source's results of those races that
    it no longer lists are kept and counted, or removed with *prune*; other sources' are never
    touched."""
    out = WriteOutcome()
    keys: dict[int, tuple[int, int, int]] = {}
    table = Result._meta.db_table
    for chunk in _chunks(sorted(race_ids)):
        marks = ", ".join(["%s"] * len(chunk))
        for pk, race, driver, entry in bulk.select_rows(
            f"SELECT id, race_id, driver_id, entry FROM {table} WHERE race_id IN ({marks})",
            chunk,
        ):
            keys[pk] = (race, driver, entry)
    done = statements.missing(RESULTS, source.dataset, run_id, keys, stated, prune=prune, keys=keys)
    out.results.update(done.counts)
    out.stale_races = {keys[o][0] for o in done.stale}
    changed_races = {keys[o][0] for o in done.changed_owners | done.removed_owners}
    out.seasons_changed = {
        (slug, year)
        for chunk in _chunks(sorted(changed_races))
        for slug, year in Race.objects.filter(pk__in=chunk).values_list(
            "season__series__slug", "season__year"
        )
    }
    return out


def _text_column(column: pd.Series) -> list[Any]:
    return [v if v else None for v in py_list(column)]
