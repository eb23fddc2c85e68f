"""Writing a batch of race results: seasons, tracks, people, races and results, as upserts.

Every importer hands its rows here as one DataFrame with the columns below; this module finds or
creates what they name and writes each row as the source's statement of a result (see
``statements``). Natural keys: a race is (series, season, round); a result is (race, driver,
entry), where entry numbers a driver's rows within one race by finish, then car, then start (a
driver credited once is entry 1 in every source). The caller holds the transaction.

Frame columns: row, series, season, round, race_name, race_date, track, layout, surface, length,
scheduled_laps, car, driver, team, team_kind, make, sponsor, start, finish, laps, laps_led,
status, status_class, stage_finishes, points, stage_points, rating, prize_money; and, where the
source gives them, the race facts car_count, cautions, lead_changes, average_speed, pole_speed,
and the driver's nationality (the source's own word for it: "canada", "new_zealand").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from pitboard.core.countries import read_nationality
from pitboard.core.identity import may_be_one_person
from pitboard.core.provenance import PER_CHAMPIONSHIP, own_account
from pitboard.core.rules import ChampionshipKind
from pitboard.records.models import (
    Championship,
    ChampionshipRace,
    Driver,
    PersonStatement,
    Race,
    Result,
    Season,
    Series,
    Source,
    SourceKey,
)
from pitboard.records.services import bulk, naming, statements
from pitboard.records.services.naming import first_rows, py_list
from pitboard.records.services.statements import (
    PEOPLE,
    RACE_FACTS,
    RACE_FIELDS,
    RACES,
    RESULT_FIELDS,
    RESULTS,
)

# The writer frame's columns that fill RESULT_FIELDS, in that order.
FRAME_FIELDS = tuple(
    {"car_number": "car", "status_text": "status"}.get(f, f) for f in RESULT_FIELDS
)
TEXT_FRAME_FIELDS = ("car", "sponsor", "status", "status_class")


# What a write may create, each counted in a file's report (0 where it created none).
CREATED = ("drivers", "manufacturers", "nationalities", "races", "seasons", "teams", "tracks")


@dataclass
class WriteOutcome:
    """What a batch did: result rows by fate, records created, rows that could not be placed.

    Fates of this source's statements: inserted (of which joined: on a result another source
    already held), updated, unchanged, removed (no longer in the file, pruned), kept (no longer in
    the file, kept because the import does not prune or had rejected rows).
    """

    results: Counter[str] = field(default_factory=Counter)
    created_by: dict[int | None, Counter[str]] = field(default_factory=dict)  # by source
    races_updated: int = 0
    # A batch of several files: per source, its results' fates and its races_updated.
    by_source: dict[int, Counter[str]] = field(default_factory=dict)
    # source, row, column, why, value
    rejected: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    remarks: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    seasons_changed: set[tuple[str, int]] = field(default_factory=set)  # (series, year)
    stale_races: set[int] = field(default_factory=set)  # races with results the file dropped
    stated: set[int] = field(default_factory=set)  # the results this batch stated
    # every result of the batch's races, stated or not: id → (race, driver, entry)
    known: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    reviews: int = 0  # new driver keys that may be people already known: queued for review
    # combination races another series holds: (source, first row, "series year round" held)
    combined: list[tuple[int, int, str]] = field(default_factory=list)
    # combination-race rows put on the result of the same car under another driver key, by source
    same_cars: Counter[int] = field(default_factory=Counter)
    # a series' own accounts of combination races (dataset → known, stated, as above): settled
    # like the source's own (settle_missing with that dataset)
    accounts: dict[str, tuple[dict[int, tuple[int, int, int]], set[int]]] = field(
        default_factory=dict
    )
    race_sources: dict[int, int] = field(default_factory=dict)  # race → the source of its rows

    def count(self, source_id: int, counts: Mapping[str, int]) -> None:
        """Add a source's counts to the batch's and to that source's own."""
        self.results.update(counts)
        self.by_source.setdefault(source_id, Counter()).update(counts)

    @property
    def created(self) -> Counter[str]:
        """Records created, by kind."""
        total: Counter[str] = Counter()
        for made in self.created_by.values():
            total.update(made)
        return total

    def made(self, label: str, source_id: int | None, count: int = 1) -> None:
        """Count *count* records of kind *label* created, introduced by *source_id*'s rows."""
        self.created_by.setdefault(source_id, Counter())[label] += count

    def split(self, source_ids: list[int]) -> list[WriteOutcome]:
        """A batch's outcome for each of its sources: its results' fates, the records it
        created, its races updated, and what it settles (the results of its races)."""
        out = {}
        for source_id in source_ids:
            results = Counter(self.by_source.get(source_id, {}))
            out[source_id] = WriteOutcome(
                results=results,
                created_by={source_id: Counter(self.created_by.get(source_id, {}))},
                races_updated=results.pop("races_updated", 0),
            )

        def share(known: dict[int, tuple[int, int, int]], stated: set[int], dataset: str) -> None:
            for owner, key in known.items():
                mine = out[self.race_sources[key[0]]]
                if dataset:
                    mine.accounts.setdefault(dataset, ({}, set()))[0][owner] = key
                else:
                    mine.known[owner] = key
            for owner in stated:
                mine = out[self.race_sources[known[owner][0]]]
                (mine.accounts[dataset][1] if dataset else mine.stated).add(owner)

        share(self.known, self.stated, "")
        for dataset, (known, stated) in self.accounts.items():
            share(known, stated, dataset)
        return [out[source_id] for source_id in source_ids]

    def add(self, other: WriteOutcome) -> None:
        """Add a chunk's or a settlement's outcome to the file's."""
        self.results.update(other.results)
        for source_id, counts in other.by_source.items():
            self.by_source.setdefault(source_id, Counter()).update(counts)
        for origin, made in other.created_by.items():
            self.created_by.setdefault(origin, Counter()).update(made)
        self.races_updated += other.races_updated
        self.rejected += other.rejected
        self.remarks += other.remarks
        self.seasons_changed |= other.seasons_changed
        self.stale_races |= other.stale_races
        self.reviews += other.reviews
        self.combined += other.combined
        self.same_cars.update(other.same_cars)


def write_results(
    frame: pd.DataFrame,
    series: Mapping[str, Series],
    source: Source | Sequence[Source],
    progress: Callable[[int], None] | None = None,
    *,
    run_id: int | None = None,
    combinations: bool = False,
) -> WriteOutcome:
    """Write *frame*'s results as *source*'s statements; other sources' are never touched.
    What the source no longer lists in these races is settled once they are written whole
    (``settle_missing``).

    Several sources (files of one dataset, in file order) are written as one batch: the frame's
    ``source_id`` column says whose each row is, each statement cites its own file and row, and
    the outcome counts each source's results apart (``by_source``). Their races must differ.

    With *combinations*, a race that another series of the same year already holds (same name,
    track and mostly the same drivers) is that race, run once for two championships: it is
    linked to this season's championship at this round, and this file's rows of it are stated
    under ``<dataset>/<series>``, so that each series keeps its own points of it.
    """
    out = WriteOutcome()
    sources = [source] if isinstance(source, Source) else list(source)
    source = sources[0]
    frame = frame.copy()
    if len(sources) == 1:
        frame["source_id"] = source.pk
    season_ids = _seasons(frame, series, out)
    frame["season_id"] = _lookup(frame, ["series", "season"], season_ids)

    drivers = naming.drivers(frame, sources, run_id)
    out.reviews = drivers[1].reviews
    frame = naming.attach(frame, "driver_id", "driver", drivers, out, "drivers")
    if "nationality" in frame:
        _nationalities(frame, source.dataset, run_id, out)
    frame = naming.attach(
        frame, "track_id", "track", naming.tracks(frame, source, run_id), out, "tracks"
    )
    frame = naming.attach(
        frame, "team_id", "team", naming.teams(frame, source, run_id), out, "teams"
    )
    frame = naming.attach(
        frame, "manufacturer_id", "make", naming.makes(frame, source, run_id), out, "manufacturers"
    )

    race_ids, guests = _races(frame, source.dataset, run_id, out, combinations)
    frame["race_id"] = _lookup(frame, ["season_id", "round"], race_ids)
    shared = frame["race_id"].isin(list(guests))
    changed = set()
    if not shared.all():
        changed = _results(frame[~shared], source.dataset, run_id, out, progress)
    for race, dataset in guests.items():
        # This series' account of a race another series holds: statements of its own, which
        # only this file settles (the holder's file settles the holder's).
        guest = WriteOutcome()
        rows = _same_cars(frame[frame["race_id"] == race], race, out)
        if _results(rows, dataset, run_id, guest, progress):
            changed.add(race)
            out.seasons_changed |= set(
                Race.objects.filter(pk=race).values_list("season__series__slug", "season__year")
            )
        for source_id, counts in guest.by_source.items():
            out.count(source_id, counts)
        known, stated = out.accounts.setdefault(dataset, ({}, set()))
        known.update(guest.known)
        stated |= guest.stated
    touched = frame.loc[frame["race_id"].isin(list(changed)), ["series", "season"]]
    touched = touched.drop_duplicates()
    out.seasons_changed |= {
        (series_slug, int(year))
        for series_slug, year in zip(touched["series"], touched["season"], strict=True)
    }
    return out


def _nationalities(
    frame: pd.DataFrame, dataset: str, run_id: int | None, out: WriteOutcome
) -> None:
    """The nationality the frame gives each driver, stated as the source's statement about the
    person. A dataset's first statement stands: a later file saying otherwise is reported."""
    columns = (py_list(frame[c]) for c in ("source_id", "row", "driver_id", "nationality"))
    given: dict[tuple[Any, Any], tuple[int, int]] = {}  # (driver, word) → its first row
    for source_id, row, driver, word in zip(*columns, strict=True):
        if word is not None:
            given.setdefault((driver, word), (source_id, row))
    # (driver, source) → (code, row): each file's first word for a driver; a later file's, like a
    # stored statement, is weighed below (the dataset's first statement stands)
    said: dict[tuple[int, int], tuple[str, int]] = {}
    for (driver, word), (source_id, row) in given.items():
        reading = read_nationality(str(word))
        if reading.problem:
            out.remarks.append((source_id, row, "nationality", reading.problem, str(word)))
        elif reading.code:
            first = said.setdefault((driver, source_id), (reading.code, row))
            if first[0] != reading.code:
                why = f"nationality {reading.code} here, {first[0]} on line {first[1]}: "
                out.remarks.append(
                    (source_id, row, "nationality", why + "the first stands", str(word))
                )
    if not said:
        return
    drivers = list({driver for driver, _ in said})
    people = dict(Driver.objects.filter(pk__in=drivers).values_list("id", "person_id"))
    held = dict(
        PersonStatement.objects.filter(
            dataset=dataset, person_id__in=list(people.values())
        ).values_list("person_id", "nationality")
    )
    stated: dict[int, str] = {}  # person → the code this batch states
    by_source: dict[int, dict[int, tuple[tuple[Any, ...], int | None]]] = {}
    for (driver, source_id), (code, row) in said.items():
        person = people[driver]
        earlier = held.get(person) or stated.get(person)
        if earlier is None:
            stated[person] = code
            by_source.setdefault(source_id, {})[person] = ((code,), row)
        elif earlier != code:
            why = f"nationality {code} here; {dataset} stated {earlier} before, which stands"
            out.remarks.append((source_id, row, "nationality", why, code))
    for source_id, statements_of in by_source.items():
        done = statements.write(PEOPLE, dataset, source_id, run_id, statements_of)
        out.made("nationalities", source_id, done.counts["inserted"])


def _seasons(
    frame: pd.DataFrame, series: Mapping[str, Series], out: WriteOutcome
) -> dict[tuple[str, int], int]:
    """The season ids of the frame's (series, year); a new season cites the file that named it
    first."""
    columns = (py_list(frame[c]) for c in ("series", "season", "source_id"))
    first: dict[tuple[str, int], int] = {}
    for s, y, source_id in zip(*columns, strict=True):
        first.setdefault((s, int(y)), source_id)
    wanted = set(first)
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
            [Season(series=series[s], year=y, source_id=first[s, y]) for s, y in new]
        )
        Championship.objects.bulk_create(
            [Championship(season=season, kind=ChampionshipKind.DRIVER) for season in created]
        )
        existing.update({key: season.pk for key, season in zip(new, created, strict=True)})
        for key in new:
            out.made("seasons", first[key])
    return existing


def _lookup(frame: pd.DataFrame, columns: list[str], ids: Mapping[tuple[Any, ...], int]) -> Any:
    """Per row, the id of its (columns) key. A dict over plain values: a merge of two frames
    costs more to set up than a file's few hundred rows take to look up."""
    keys = zip(*(py_list(frame[c]) for c in columns), strict=True)
    return pd.array([ids.get(k) for k in keys], dtype="Int64")


def _races(
    frame: pd.DataFrame, dataset: str, run_id: int | None, out: WriteOutcome, combinations: bool
) -> tuple[dict[tuple[int, int], int], dict[int, str]]:
    """The race ids of the frame's (season, round), with this source's statement of each; and
    the combination races held by another series, with the dataset this file states them as."""
    # Each race's first row, read as plain values (cheaper than taking those rows of the frame).
    first = first_rows(frame, ["season_id", "round"])

    def at_first(column: str) -> list[Any]:
        values = py_list(frame[column])
        return [values[p] for p in first]

    columns = (
        *("season_id", "round", "track_id", "race_name", "race_date", "scheduled_laps"),
        *("length", "surface", "row"),
    )
    every = _race_facts(frame)
    facts = [every[p] for p in first]
    wanted = {
        (sid, rnd): ((track, name or None, date, laps, length, surface or None, *told), row)
        for sid, rnd, track, name, date, laps, length, surface, row, told in zip(
            *(at_first(c) for c in columns), facts, strict=True
        )
    }
    # The file each race comes from (a batch of several files holds each race in one).
    cited = dict(zip(wanted, at_first("source_id"), strict=True))
    season_ids = sorted({sid for sid, _ in wanted})
    ids: dict[tuple[int, int], int] = {}
    for chunk in bulk.chunks(season_ids):
        ids.update(
            {
                (sid, rnd): pk
                for pk, sid, rnd in Race.objects.filter(season_id__in=chunk).values_list(
                    "id", "season_id", "round"
                )
            }
        )
    # Per season of the frame, the dataset its rows of another series' race are stated under.
    datasets = {
        sid: f"{dataset}/{slug}"
        for sid, slug in zip(at_first("season_id"), at_first("series"), strict=True)
    }
    hosts: dict[tuple[int, int], int] = {}
    if combinations:
        new = [k for k in wanted if k not in ids]
        hosts = _combination_hosts(frame, new, wanted, cited, datasets, run_id, out)
        ids.update(hosts)
    new_keys = [k for k in wanted if k not in ids]
    if new_keys:
        created = bulk.insert_with_ids(
            Race._meta.db_table,
            ("season_id", "round", *RACE_FIELDS, "source_id", "source_row"),
            [(*k, *RACES.fill(list(wanted[k][0])), cited[k], wanted[k][1]) for k in new_keys],
            ("season_id", "round"),
        )
        championships: dict[int, int] = {}
        for chunk in bulk.chunks(season_ids):
            championships.update(
                Championship.objects.filter(
                    season_id__in=chunk, kind=ChampionshipKind.DRIVER
                ).values_list("season_id", "id")
            )
        bulk.insert_rows(
            ChampionshipRace._meta.db_table,
            ("championship_id", "race_id", "dataset"),
            [(championships[k[0]], created[k], "") for k in new_keys if k[0] in championships],
        )
        for key in new_keys:
            out.made("races", cited[key])
        ids.update(created)
    fresh = set(created.values()) if new_keys else set()
    by_source: dict[int, dict[int, tuple[tuple[Any, ...], int | None]]] = {}
    for k, value in wanted.items():
        out.race_sources[ids[k]] = cited[k]
        if k not in hosts:
            by_source.setdefault(cited[k], {})[ids[k]] = value
    for source_id, stated in by_source.items():
        done = statements.write(
            RACES, dataset, source_id, run_id, stated, fresh=fresh.intersection(stated)
        )
        out.races_updated += len(done.changed_owners)
        out.by_source.setdefault(source_id, Counter())["races_updated"] += len(done.changed_owners)
        # A race's facts changed (its name, its date): its season's pages show them.
        for chunk in bulk.chunks(sorted(done.changed_owners)):
            out.seasons_changed |= set(
                Race.objects.filter(pk__in=chunk).values_list(
                    "season__series__slug", "season__year"
                )
            )
    return {k: ids[k] for k in wanted}, {race: datasets[k[0]] for k, race in hosts.items()}


def _race_facts(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Per row, the RACE_FACTS the frame gives (cautions, speeds…); None where it has no column
    for one (the writer frame's race-fact columns are optional)."""
    columns = [py_list(frame[c]) if c in frame.columns else [None] * len(frame) for c in RACE_FACTS]
    return list(zip(*columns, strict=True)) if len(frame) else []


# A race another series holds is the same race when at least this share of the larger field
# is in both (the 26 combination races of the shared files share 31 of 32 drivers or more;
# races that only share a name and a track share none).
SHARED_FIELD = 0.8


def _combination_hosts(
    frame: pd.DataFrame,
    keys: list[tuple[int, int]],
    wanted: Mapping[tuple[int, int], tuple[tuple[Any, ...], int]],
    cited: Mapping[tuple[int, int], int],
    datasets: Mapping[int, str],
    run_id: int | None,
    out: WriteOutcome,
) -> dict[tuple[int, int], int]:
    """Of the new (season, round) *keys*, those another series' season of the same year holds
    already: linked before, or found now by name, track and field, and linked."""
    if not keys:
        return {}
    season_ids = sorted({sid for sid, _ in keys})
    championships = dict(
        Championship.objects.filter(
            season_id__in=season_ids, kind=ChampionshipKind.DRIVER
        ).values_list("season_id", "id")
    )
    hosts = {
        (sid, rnd): (race, f"{slug} {year} round {held}")
        for sid, rnd, race, slug, year, held in ChampionshipRace.objects.filter(
            championship__season_id__in=season_ids, round__isnull=False
        ).values_list(
            "championship__season_id",
            "round",
            "race_id",
            "race__season__series__slug",
            "race__season__year",
            "race__round",
        )
    }
    found = {k: hosts[k][0] for k in keys if k in hosts}
    out.combined += [(cited[k], wanted[k][1], hosts[k][1]) for k in keys if k in hosts]
    named = [k for k in keys if k not in found and k[0] in championships and wanted[k][0][1]]
    if not named:
        return found
    seasons = {
        pk: (series, year)
        for pk, series, year in Season.objects.filter(pk__in=season_ids).values_list(
            "id", "series_id", "year"
        )
    }
    candidates = list(
        Race.objects.filter(
            season__year__in={seasons[sid][1] for sid, _ in named},
            name__in={wanted[k][0][1] for k in named},
        ).values_list(
            "id",
            "season__series_id",
            "season__series__slug",
            "season__year",
            "track_id",
            "name",
            "date",
            "round",
        )
    )
    if not candidates:
        return found
    fields: dict[int, set[int]] = {}
    for race, driver in Result.objects.filter(race_id__in=[c[0] for c in candidates]).values_list(
        "race_id", "driver_id"
    ):
        fields.setdefault(race, set()).add(driver)
    drivers = frame.groupby(["season_id", "round"])["driver_id"].agg(set).to_dict()
    links = []
    for key in named:
        series, year = seasons[key[0]]
        track, name, when = wanted[key][0][:3]
        mine = drivers.get(key, set())
        for race, other, slug, held_in, at, called, day, rnd in candidates:
            # The same track, or the same day where the two series name the track differently.
            place = at == track or (when is not None and day == when)
            if other == series or (held_in, called) != (year, name) or not place:
                continue
            theirs = fields.get(race, set())
            if len(mine & theirs) >= SHARED_FIELD * max(len(mine), len(theirs), 1):
                found[key] = race
                links.append((championships[key[0]], race, key[1], datasets[key[0]], run_id))
                out.combined.append((cited[key], wanted[key][1], f"{slug} {year} round {rnd}"))
                break
    bulk.insert_rows(
        ChampionshipRace._meta.db_table,
        ("championship_id", "race_id", "round", "dataset", "run_id"),
        links,
    )
    return found


def _same_cars(rows: pd.DataFrame, race: int, out: WriteOutcome) -> pd.DataFrame:
    """A combination race's rows from another series' file, each on the result of the car it
    describes: where the file's driver is not one the race holds, the car of the same finishing
    position (and number, where both give one) is that driver's. Such pairs are counted: two
    keys of one person that identity did not join."""
    held: dict[int, list[tuple[int, str]]] = {}
    for finish, car, driver in Result.objects.filter(
        race_id=race, finish__isnull=False
    ).values_list("finish", "car_number", "driver_id"):
        if finish is not None:
            held.setdefault(finish, []).append((driver, car))
    present = {d for cars in held.values() for d, _ in cars}
    drivers = []
    columns = (py_list(rows[c]) for c in ("driver_id", "finish", "car", "source_id"))
    for driver, finish, car, source_id in zip(*columns, strict=True):
        same = [d for d, c in held.get(finish, []) if not car or not c or c == car]
        if driver not in present and finish is not None and len(same) == 1:
            out.same_cars[source_id] += 1
            driver = same[0]
        drivers.append(driver)
    return rows.assign(driver_id=drivers)


def _money_column(column: pd.Series) -> list[Decimal | None]:
    return [None if v is None else statements.money(v) for v in py_list(column)]


def _stages_column(column: pd.Series) -> list[str | None]:
    """Stage finishes as the JSON text the database keeps."""
    return [None if v is None else json.dumps(list(v)) for v in py_list(column)]


def _results(
    frame: pd.DataFrame,
    dataset: str,
    run_id: int | None,
    out: WriteOutcome,
    progress: Callable[[int], None] | None,
) -> set[int]:
    """Write each row's source's statement of its result, as *dataset*'s; returns the ids of the
    races whose shown results changed."""
    # A driver's rows within one race are numbered by what they say (finish, car, start), not
    # by where they stand in the file, so a reordered file matches what is stored.
    frame = frame.assign(entry=_entries(frame))
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
    shown_columns = statements.fill_columns(
        RESULTS,
        [
            # A series' own account of a combination race: its points are not the race's.
            [None] * len(frame) if own_account(dataset) and f in PER_CHAMPIONSHIP else column
            for f, column in zip(RESULT_FIELDS, columns, strict=True)
        ],
    )
    shown = list(zip(*shown_columns, strict=True))
    keys = list(zip(*(py_list(frame[c]) for c in ("race_id", "driver_id", "entry")), strict=True))
    rows = py_list(frame["row"])
    cited = py_list(frame["source_id"])

    race_ids = sorted({k[0] for k in keys})
    existing: dict[tuple[int, int, int], int] = {}
    table = Result._meta.db_table
    for chunk in bulk.chunks(race_ids):
        marks = ", ".join(["%s"] * len(chunk))
        for pk, race, driver, ent in bulk.select_rows(
            f"SELECT id, race_id, driver_id, entry FROM {table} WHERE race_id IN ({marks})",
            chunk,
        ):
            existing[(race, driver, ent)] = pk
    new = [
        (*key, *value, source_id, row)
        for key, value, source_id, row in zip(keys, shown, cited, rows, strict=True)
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
    by_source: dict[int, dict[int, tuple[tuple[Any, ...], int | None]]] = {}
    for key, value, source_id, row in zip(keys, values, cited, rows, strict=True):
        by_source.setdefault(source_id, {})[existing[key]] = (value, row)
    # A new shown row holds its statement, to be copied from it; not a series' own account of a
    # combination race, whose points the shown row leaves out.
    fresh = set() if own_account(dataset) else set(created.values())
    changed: set[int] = set()
    for source_id, stated in by_source.items():
        done = statements.write(
            RESULTS, dataset, source_id, run_id, stated, fresh=fresh.intersection(stated)
        )
        out.count(source_id, done.counts)
        out.stated |= set(stated)
        changed |= done.changed_owners
    if progress:
        progress(len(keys))
    out.known = {pk: key for key, pk in existing.items()}
    race_of = {existing[key]: key[0] for key in keys}
    return {race_of[o] for o in changed | set(created.values())}


def _entries(frame: pd.DataFrame) -> list[int]:
    """Per row, its place among its driver's rows of the race, ordered by finish, car and
    start (missing values last, ties in file order)."""
    order: dict[str, Any] = {}
    for column in ("finish", "car", "start"):
        values = frame[column]
        order[f"{column}_missing"] = values.isna().to_numpy()
        order[column] = values.fillna("" if column == "car" else 0).to_numpy()
    ranked = pd.DataFrame(order).sort_values(list(order), kind="stable")
    keys = frame[["race_id", "driver_id"]].iloc[ranked.index.to_numpy()]
    counted = keys.groupby(["race_id", "driver_id"], sort=False).cumcount().to_numpy() + 1
    entries = np.empty(len(frame), dtype=np.int64)
    entries[ranked.index.to_numpy()] = counted
    return entries.tolist()


def settle_missing(
    source: Source,
    run_id: int | None,
    known: dict[int, tuple[int, int, int]],
    stated: set[int],
    *,
    prune: bool,
    dataset: str | None = None,
) -> WriteOutcome:
    """Once a batch holding whole races is written: this source's results of those races
    (*known*: every result of them, id → key) that it no longer lists are kept and counted, or
    removed with *prune*; other sources' are never touched. *dataset*: a series' own account
    of combination races, which the file states under its own dataset."""
    out = WriteOutcome()
    done = statements.missing(
        RESULTS, dataset or source.dataset, run_id, known, stated, prune=prune, keys=known
    )
    out.count(source.pk, done.counts)
    out.stale_races = {known[o][0] for o in done.stale}
    changed_races = {known[o][0] for o in done.changed_owners | done.removed_owners}
    out.seasons_changed = {
        (slug, year)
        for chunk in bulk.chunks(sorted(changed_races))
        for slug, year in Race.objects.filter(pk__in=chunk).values_list(
            "season__series__slug", "season__year"
        )
    }
    return out


def _text_column(column: pd.Series) -> list[Any]:
    return [v if v else None for v in py_list(column)]


@dataclass
class RaceFacts:
    """What a schedule-only file did to races another source holds."""

    stated: int = 0  # races that carry this source's statement
    changed: int = 0  # races whose shown facts changed
    # The (series, season) of those races: a changed date can reorder a career's milestones.
    seasons: set[tuple[str, int]] = field(default_factory=set)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (row, why) not stated


def write_race_facts(
    frame: pd.DataFrame, series: Mapping[str, Series], source: Source, run_id: int | None
) -> RaceFacts:
    """State *source*'s facts (date, length, surface) of races already held, never creating one.

    *frame* has a row per race: ``row, series, season, round, race_date, length, surface,
    winner``. A race is matched by series, season and round, and checked by its winner: where
    the stored winner is another driver, the rounds may be numbered differently, so nothing is
    stated and the row is reported.
    """
    out = RaceFacts()
    seasons = {
        (slug, year): pk
        for pk, slug, year in Season.objects.filter(
            series__in=[series[s] for s in set(frame["series"])]
        ).values_list("id", "series__slug", "year")
    }
    races = {
        (sid, rnd): pk
        for chunk in bulk.chunks(sorted(seasons.values()))
        for pk, sid, rnd in Race.objects.filter(season_id__in=chunk).values_list(
            "id", "season_id", "round"
        )
    }
    # Every name a race's winner is known by: the shown one and each source's.
    won: dict[int, set[int]] = {}
    names: dict[int, set[str]] = {}
    for chunk in bulk.chunks(sorted(races.values())):
        for race, driver, name in Result.objects.filter(race_id__in=chunk, finish=1).values_list(
            "race_id", "driver_id", "driver__person__name"
        ):
            won.setdefault(race, set()).add(driver)
            names.setdefault(driver, set()).add(name)
    for chunk in bulk.chunks(sorted(names)):
        for driver, name in SourceKey.objects.filter(
            kind=SourceKey.Kind.DRIVER, object_id__in=chunk
        ).values_list("object_id", "name"):
            names[driver].add(name)
    winners = {race: {n for d in drivers for n in names[d]} for race, drivers in won.items()}
    stated: dict[int, tuple[tuple[Any, ...], int | None]] = {}
    for row, slug, year, rnd, when, length, surface, winner, told in zip(
        *(
            py_list(frame[c])
            for c in (
                *("row", "series", "season", "round"),
                *("race_date", "length", "surface", "winner"),
            )
        ),
        _race_facts(frame),
        strict=True,
    ):
        race = races.get((seasons.get((slug, int(year)), 0), int(rnd)), 0)
        if not race:
            out.unknown.append((row, f"no {slug} {year} race {rnd} in the database"))
            continue
        held = winners.get(race, set())
        if winner and held and not any(may_be_one_person(str(winner), n) for n in held):
            shown = ", ".join(sorted(held))
            out.unknown.append((row, f"winner {winner} here, {shown} in the database"))
            continue
        stated[race] = ((None, None, when, None, length, surface or None, *told), row)
    done = statements.write(RACES, source.dataset, source.pk, run_id, stated)
    out.stated = len(stated)
    out.changed = len(done.changed_owners)
    season_of = {pk: key for key, pk in seasons.items()}
    race_season = {race: sid for (sid, _), race in races.items()}
    out.seasons = {season_of[race_season[race]] for race in done.changed_owners}
    return out
