"""racing-reference.info, as scraped by the public ``armstjc/racing-data-repository`` project:
ARCA, the East and West series, NASCAR's regional tours, Pinty's, Mexico and other tours.

A source is a folder of series folders, each with ``race_results/<year>_race_results.csv`` and
``schedule/<year>_schedule.csv``, or that repository's base URL. One results file is one input
(one transaction, one report); its season's schedule gives each race its track, date and facts.
What the files get wrong is found from their content, not from names or years, and reported
(docs/racing-reference.md lists every trap).
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
import pandas as pd
from django.db import transaction

from pitboard.core.identity import dropped_letters
from pitboard.core.names import name_key
from pitboard.core.tracks import layout_of, surface_of
from pitboard.importers.base import Importer, Member, Prepared
from pitboard.importers.checks import reject_duplicates, remark_doubles, status_classes
from pitboard.importers.files import (
    InputFile,
    NotFound,
    chunk_rows,
    count_rows,
    download,
    local,
    read_chunks,
    read_frame,
    temporary_folder,
)
from pitboard.importers.problems import FileError, Location, NeedsDatabase, Problem, SkippedFile
from pitboard.importers.table import SMALL, Column, Kind, Table, read_table
from pitboard.records.models import Series, Source, SourceKey
from pitboard.records.services.catalog import ensure_series

DEFAULT_URL = (
    "https://raw.githubusercontent.com/armstjc/racing-data-repository/main/racing_reference"
)
SOURCE_ENV = "PITBOARD_RACING_REFERENCE_SOURCE"

# The header every results file has, whichever of the two layouts its values follow.
HEADER = (
    "season",
    "series_id",
    "race_id",
    "race_id_short",
    "finish_position",
    "starting_position",
    "driver_number",
    "driver_nationality",
    "driver_id",
    "driver_name",
    "sponsor",
    "owner_id",
    "car",
    "race_laps_run",
    "race_status",
    "race_laps_lead",
    "points_earned",
    "playoff_points_earned",
)
# What the last four headed columns hold in each layout. The older one has a prize-money column
# after the laps, which pushes status, laps led and points one column to the right.
LAYOUTS = {
    "newer": {
        "race_status": "status",
        "race_laps_lead": "laps_led",
        "points_earned": "points",
        "playoff_points_earned": "playoff_points",
    },
    "older": {
        "race_status": "prize_money",
        "race_laps_lead": "status",
        "points_earned": "laps_led",
        "playoff_points_earned": "points",
    },
}
SAME = {
    "season": "season",
    "series_id": "series_id",
    "race_id": "race_id",
    "finish_position": "finish",
    "starting_position": "start",
    "driver_number": "car",
    "driver_nationality": "nationality",
    "driver_id": "driver_id",
    "driver_name": "driver",
    "sponsor": "sponsor",
    "owner_id": "owner_id",
    "car": "make",
    "race_laps_run": "laps",
}
COLUMNS = (
    Column("season", Kind.INT, required=True, value_required=True, minimum=1900, maximum=2999),
    Column("series_id", Kind.TEXT, required=True, value_required=True, max_length=10),
    Column("race_id", Kind.TEXT, max_length=300),
    Column("round", Kind.INT, required=True, value_required=True, minimum=1, maximum=SMALL),
    Column("finish", Kind.INT, minimum=0, maximum=SMALL),
    Column("start", Kind.INT, minimum=0, maximum=SMALL),
    Column("car", Kind.TEXT, max_length=10),
    Column("nationality", Kind.TEXT, max_length=100),
    Column("driver_id", Kind.TEXT, max_length=300),
    Column("driver", Kind.TEXT, required=True, value_required=True, max_length=200),
    Column("sponsor", Kind.TEXT, max_length=200),
    Column("owner_id", Kind.TEXT, max_length=300),
    Column("make", Kind.TEXT, max_length=100),
    Column("laps", Kind.INT, minimum=0),
    Column("prize_money", Kind.FLOAT, minimum=0),
    Column("status", Kind.TEXT, max_length=100),
    Column("laps_led", Kind.INT, minimum=0),
    Column("points", Kind.FLOAT),
    Column("playoff_points", Kind.INT),
)
MISSING = ("\u2013", "-")  # a lone dash, en dash or hyphen, stands for "no value"
ROOKIE = re.compile(r"\s*\*\s*$")
# A series named after a driver: the series he normally races (racing-reference's tags).
SERIES_TAG = re.compile(
    r"\s*\((?:Cup|Busch|East|West|North|OC|GN|Midwest|ARCA|Southwest|Southeast|LMS)\)\s*$"
)
ROUND = re.compile(r"^(\d{4})_(\d+)(?:_[A-Z]+)?$")
SURFACES = {"P": "paved", "D": "dirt", "R": "road"}
# The national series, whose results come from nascaR.data: racing-reference gives their
# schedules only (dates and race facts), stated on the races already held.
NATIONAL = {"W": "cup", "B": "nxs", "C": "truck"}
NATIONAL_FOLDERS = {
    "nascar_cup": ("cup", 1949),
    "nascar_busch": ("nxs", 1982),
    "nascar_trucks": ("truck", 1995),
}


@cache
def series_catalog() -> dict[str, Any]:
    return tomllib.loads(files("pitboard.data").joinpath("regional_series.toml").read_text())


@cache
def slugs_by_code() -> dict[str, str]:
    """racing-reference's ``series_id`` → pitboard's series slug (a contract: docs)."""
    return {s["code"]: s["slug"] for s in series_catalog()["series"]}


@dataclass
class _Pair:
    """A season's results file and its schedule, as found in a series folder."""

    folder: str
    results: InputFile  # a schedule, for a national series (schedule_only)
    schedule: InputFile | None
    schedule_only: bool = False


class RacingReferenceImporter(Importer):
    name = "racing-reference"
    dataset = "racing-reference"
    race_columns = ("series_id", "race_id_short")
    combinations = True
    license = "MIT (armstjc/racing-data-repository); data from racing-reference.info"
    citation = "racing-reference.info, scraped by armstjc/racing-data-repository"
    source_env = SOURCE_ENV

    def __init__(self) -> None:
        self.series_wanted: set[str] | None = None
        self.seasons: tuple[int, int] | None = None
        self._schedules: dict[str, InputFile | None] = {}
        self._layouts: dict[str, str] = {}
        self._races_of: dict[str, pd.DataFrame] = {}  # per results file, its schedule's races
        self._national: set[str] = set()  # the national series' schedules among the inputs
        self._after: dict[str, list[InputFile]] = {}  # per results file, its folder's next ones
        self._order: list[InputFile] = []  # every input, in the order the run takes them
        self._at: dict[str, int] = {}  # and each one's place in it
        self._rows: dict[str, int | None] = {}  # rows per file, counted once
        self._series: set[str] = set()  # series brought in line with the catalog this run

    def default(self) -> str:
        return os.environ.get(SOURCE_ENV) or DEFAULT_URL

    def select(self, series: list[str] | None, seasons: tuple[int, int] | None) -> None:
        known = set(slugs_by_code().values()) | set(NATIONAL.values())
        unknown = sorted(set(series or ()) - known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise ValueError(f"unknown series {', '.join(unknown)} (racing-reference: {listed})")
        self.series_wanted = set(series) if series else None
        self.seasons = seasons

    def _wanted_season(self, season: int) -> bool:
        return self.seasons is None or self.seasons[0] <= season <= self.seasons[1]

    # ---- finding the files ------------------------------------------------------------

    def inputs(self, target: str) -> Iterator[InputFile | FileError]:
        if re.match(r"^https?://", target):
            yield from self._remote(target.rstrip("/"))
            return
        root = Path(target).expanduser()
        if not root.is_dir():
            yield FileError(Location(str(root)), "no such folder")
            return
        pairs = []
        for folder in sorted(p for p in root.iterdir() if (p / "race_results").is_dir()):
            for path in sorted((folder / "race_results").glob("*_race_results.csv")):
                season = _season_of(path.name)
                if season is None or not self._wanted_season(season):
                    continue
                schedule = folder / "schedule" / f"{season}_schedule.csv"
                pairs.append(
                    _Pair(
                        folder.name,
                        _named(local(path), folder.name),
                        _named(local(schedule), folder.name) if schedule.is_file() else None,
                    )
                )
        for folder in sorted(p for p in root.iterdir() if p.name in NATIONAL_FOLDERS):
            for path in sorted((folder / "schedule").glob("*_schedule.csv")):
                season = _season_of(path.name)
                if season is not None and self._wanted_season(season):
                    pairs.append(_Pair(folder.name, _named(local(path), folder.name), None, True))
        if not pairs:
            yield FileError(
                Location(str(root)), "no <series>/race_results/<year>_race_results.csv here"
            )
            return
        yield from self._checked(pairs)

    def _remote(self, base: str) -> Iterator[InputFile | FileError]:
        with temporary_folder() as tmp:
            pairs = []
            for spec in series_catalog()["series"]:
                if self.series_wanted and spec["slug"] not in self.series_wanted:
                    continue
                # Up to this year: the live repository may hold seasons the catalog does not.
                for season in range(spec["first"], date.today().year + 1):
                    if not self._wanted_season(season):
                        continue
                    folder = Path(tmp) / spec["folder"] / str(season)
                    for kind in ("race_results", "schedule"):
                        (folder / kind).mkdir(parents=True)
                    url = f"{base}/{spec['folder']}"
                    try:
                        results = download(
                            f"{url}/race_results/{season}_race_results.csv", folder / "race_results"
                        )
                    except NotFound:
                        continue  # a season without races in the repository
                    except FileError as exc:
                        yield exc
                        continue
                    try:
                        schedule: InputFile | None = download(
                            f"{url}/schedule/{season}_schedule.csv", folder / "schedule"
                        )
                    except FileError:
                        schedule = None
                    pairs.append(
                        _Pair(
                            spec["folder"],
                            _named(results, spec["folder"]),
                            schedule and _named(schedule, spec["folder"]),
                        )
                    )
            for name, (slug, first) in NATIONAL_FOLDERS.items():
                if self.series_wanted and slug not in self.series_wanted:
                    continue
                for season in range(first, date.today().year + 1):
                    if not self._wanted_season(season):
                        continue
                    folder = Path(tmp) / name / str(season) / "schedule"
                    folder.mkdir(parents=True)
                    try:
                        plan = download(f"{base}/{name}/schedule/{season}_schedule.csv", folder)
                    except NotFound:
                        continue  # a season the repository does not hold yet
                    except FileError as exc:
                        yield exc
                        continue
                    pairs.append(_Pair(name, _named(plan, name), None, True))
            yield from self._checked(pairs)

    def _checked(self, pairs: list[_Pair]) -> Iterator[InputFile | FileError]:
        """The results files to import: a file with the same content as one already listed
        (the scraped project keeps copies of whole series under other names) is refused.
        Worked out whole before the first is imported, so that a folder's files can be read
        together (``batch``)."""
        accepted = list(self._accepted(pairs))
        folders: dict[str, list[InputFile]] = {}
        for pair, item in accepted:
            if pair is not None and isinstance(item, InputFile) and not pair.schedule_only:
                folders.setdefault(pair.folder, []).append(item)
        for members in folders.values():
            for i, item in enumerate(members):
                self._after[item.name] = members[i + 1 :]
        self._order = [item for _, item in accepted if isinstance(item, InputFile)]
        self._at = {item.name: i for i, item in enumerate(self._order)}
        for _, item in accepted:
            yield item

    def following(self, item: InputFile) -> list[InputFile]:
        at = self._at.get(item.name)
        return [] if at is None else self._order[at + 1 :]

    def _count(self, item: InputFile) -> int | None:
        """``count_rows``, once per file (planning a batch and reading it both need it)."""
        if item.name not in self._rows:
            self._rows[item.name] = count_rows(item)
        return self._rows[item.name]

    def _accepted(self, pairs: list[_Pair]) -> Iterator[tuple[_Pair | None, InputFile | FileError]]:
        codes = slugs_by_code()
        seen: dict[str, str] = {}
        without: set[str] = set()  # national series without results: their schedules wait
        for pair in pairs:
            item = pair.results
            if item.sha256 in seen:
                yield (
                    None,
                    SkippedFile(
                        Location(item.name),
                        f"the same content as {seen[item.sha256]}: a copy, not imported again",
                    ),
                )
                continue
            seen[item.sha256] = item.name
            code = _first_value(item.path, "series_id")
            if pair.schedule_only:
                slug = NATIONAL.get(code or "")
                if slug is None:
                    continue
                if self.series_wanted and slug not in self.series_wanted:
                    continue
                if not Series.objects.filter(slug=slug).exists():
                    if slug not in without:  # one line for the folder, not one per season
                        without.add(slug)
                        yield (
                            None,
                            SkippedFile(
                                Location(f"{pair.folder}/schedule"),
                                f"{slug} schedules, and no {slug} results to date: "
                                "`pitboard import nascar` first",
                            ),
                        )
                    continue
                self._national.add(item.name)
                yield pair, item
                continue
            slug = codes.get(code or "")
            if slug is None:
                yield (
                    None,
                    FileError(
                        Location(item.name, 2, "series_id"),
                        f"series_id {code!r} is not a racing-reference series pitboard knows "
                        f"({', '.join(sorted(codes))})",
                    ),
                )
                continue
            if self.series_wanted and slug not in self.series_wanted:
                continue
            self._schedules[item.name] = pair.schedule
            yield pair, item

    # ---- reading a file ---------------------------------------------------------------

    def prepare(self, raw: pd.DataFrame, source: InputFile) -> Prepared:
        """A chunk of a file too large to be read with others (see ``batch``)."""
        if source.name in self._national:
            return self._schedule(raw, source)
        done = self._prepare_many([(source, raw)])[source.name]
        if isinstance(done, FileError):
            raise done
        return done

    def batch(self, item: InputFile) -> list[InputFile] | None:
        """A results file with its folder's next files, while their rows fit in a chunk: they
        are prepared as one table and written in one transaction (``write_batch``), so that
        pandas' and the writer's fixed costs, which dwarf a season file of a few hundred rows,
        are paid once. None for a national schedule or a file larger than a chunk: the run
        imports it alone, a chunk at a time."""
        if item.name in self._national:
            return None
        rows = self._count(item)
        room = chunk_rows() - (rows or 0)
        if rows is None or room < 0:
            return None
        members = [item]
        for later in self._after.get(item.name, []):
            rows = self._count(later)
            if rows is None or rows > room:
                break
            members.append(later)
            room -= rows
        return members

    def read_batch(self, items: list[InputFile], *, ahead: bool = False) -> list[Member] | None:
        """*items* (a ``batch``) read whole and prepared as one table; reading stops at a file
        that does not read whole (the run reaches it later, and its import reports it). Read
        *ahead*, a file with rows without a ``driver_id`` (matched to the people the database
        holds by the time it is written) raises ``NeedsDatabase``."""
        read: list[tuple[InputFile, pd.DataFrame]] = []
        for item in items:
            try:
                raw = next(read_chunks(item), None)
            except FileError:
                break
            if raw is None or len(raw) != self._count(item):
                break
            read.append((item, raw))
        if not read:
            return None
        done = self._prepare_many(read, ahead=ahead)
        return [Member(i, r, done[i.name]) for i, r in read]

    def _prepare_many(
        self, members: list[tuple[InputFile, pd.DataFrame]], *, ahead: bool = False
    ) -> dict[str, Prepared | FileError]:
        """Several files' rows (each whole, or a chunk of one) prepared as one table."""
        out: dict[str, Prepared | FileError] = {}
        files = [item.name for item, _ in members]
        remarks: dict[str, list[Problem]] = {}
        seasons: list[pd.DataFrame] = []
        good: list[tuple[int, InputFile, pd.DataFrame]] = []
        races_of = self._races_of_files([item for item, _ in members])
        for code, (item, raw) in enumerate(members):
            where = Location(item.name, csv=True)
            missing = [h for h in HEADER if h not in raw.columns]
            if missing:
                out[item.name] = FileError(
                    where, f"missing required column {', '.join(map(repr, missing))}"
                )
                continue
            scheduled = races_of[item.name]
            if isinstance(scheduled, FileError):
                out[item.name] = scheduled
                continue
            races, told = scheduled
            remarks[item.name] = list(told)
            seasons.append(races.assign(file=code))
            good.append((code, item, raw))
        if not good:
            return out
        # The files' cells are cleaned as one table; each file's layout is told from its own.
        codes = np.concatenate([np.full(len(raw), code) for code, _, raw in good])
        places = pd.DataFrame(
            {
                "file": codes,
                "row": np.concatenate([np.asarray(raw.index) + 1 for _, _, raw in good]),
            }
        )
        cleaned, dashes = _blank_dashes(pd.concat([raw for _, _, raw in good], ignore_index=True))
        layouts = _layouts(cleaned, codes)
        for code, item, _ in good:
            layout, why = layouts[code]
            where = Location(item.name, csv=True)
            earlier = self._layouts.setdefault(item.name, layout)
            if earlier != layout:
                out[item.name] = FileError(
                    where, f"rows in the {earlier} layout and in the {layout} one"
                )
                continue
            remarks[item.name].insert(0, Problem(where, f"{layout} column layout: {why}"))
        kept = ~np.isin(codes, [files.index(name) for name in out])
        cleaned, dashes, places = cleaned[kept], dashes[kept], places[kept]
        cleaned.index = places.index = pd.RangeIndex(len(cleaned))
        older = np.isin(
            places["file"].to_numpy(),
            [c for c, (layout, _) in layouts.items() if layout == "older"],
        )
        raw = cleaned[list(SAME)].rename(columns=SAME)
        # The columns whose header depends on the layout: each row takes its file's.
        newer = {name: header for header, name in LAYOUTS["newer"].items()}
        before = {name: header for header, name in LAYOUTS["older"].items()}
        none = np.full(len(cleaned), None, dtype=object)
        for name in {**newer, **before}:
            raw[name] = np.where(
                older,
                cleaned[before[name]].to_numpy() if name in before else none,
                cleaned[newer[name]].to_numpy() if name in newer else none,
            )
        given = cleaned["race_id_short"].str.extract(ROUND, expand=True)
        raw["round"] = given[1]
        raw["race_id_short"] = cleaned["race_id_short"]
        raw["race_id_season"] = given[0]
        table = read_table(
            raw.drop(columns=["race_id_short", "race_id_season"]),
            COLUMNS,
            files[0],
            True,
            files=files,
            places=places,
        )
        table.remark(
            pd.Series(dashes, index=raw.index).reindex(table.frame.index, fill_value=False),
            None,
            "a dash for 'no value' read as empty",
        )
        _reject_bad_rounds(table, raw)
        _odd_numbers(table)
        _owners(table)
        _clean_names(table, ahead)
        slug = table.frame["series_id"].map(slugs_by_code())
        table.reject(slug.isna(), "series_id", "not a racing-reference series pitboard knows")
        reject_duplicates(table)
        remark_doubles(table, ("file", "series_id", "round"), "driver_key", "finish")
        table.frame["round"] = table.frame["round"].astype("Int64")
        schedules = pd.concat(seasons, ignore_index=True)
        frame = table.frame.merge(schedules, how="left", on=["file", "series_id", "round"])
        frame.index = table.frame.index
        table.frame = frame
        unlisted = {
            code: f"this race is not in the season's schedule ({self._schedule_name(item)})"
            for code, (item, _) in enumerate(members)
        }
        table.reject(frame["track"].isna(), "race_id_short", frame["file"].map(unlisted))
        whole = self._frame(table)
        rejected: dict[str, list[Problem]] = {}
        for problem in table.rejected:
            rejected.setdefault(problem.where.file, []).append(problem)
        for problem in table.remarks:
            remarks.setdefault(problem.where.file, []).append(problem)
        positions = whole.groupby("file", sort=False).indices
        whole = whole.drop(columns="file")
        nothing = np.array([], dtype=np.int64)
        for code, name in enumerate(files):
            if name in out:
                continue
            mine = positions.get(code, nothing)
            out[name] = Prepared(
                whole.iloc[mine],
                _series_names(table.frame["series_id"].iloc[mine]),
                rejected.get(name, []),
                remarks.get(name, []),
            )
        return out

    def _schedule(self, raw: pd.DataFrame, source: InputFile) -> Prepared:
        """A national series' schedule: its races' date, length and surface, to state on the
        races nascaR.data gave (matched by round, checked by winner)."""
        races, remarks = _read_schedule(raw, source.name)
        races = races.assign(
            series=races["series_id"].map(NATIONAL),
            season=pd.to_numeric(_column(raw, "season"), errors="coerce").astype("Int64"),
            surface=[surface_of(x if isinstance(x, str) else None) for x in races["surface"]],
        )
        bad = races[["series", "season", "round"]].isna().any(axis=1)
        rejected = [
            Problem(Location(source.name, int(r), "race_num", True), "no series, season or round")
            for r in races.loc[bad, "row"]
        ]
        races = races.loc[~bad]
        slugs = dict.fromkeys(races["series"].unique(), "")
        return Prepared(pd.DataFrame(), slugs, rejected, remarks, races=races)

    def _schedule_name(self, source: InputFile) -> str:
        schedule = self._schedules.get(source.name)
        return schedule.name if schedule else "none found"

    def _races_of_files(
        self, items: list[InputFile]
    ) -> dict[str, tuple[pd.DataFrame, list[Problem]] | FileError]:
        """Per results file, per race (series_id, round): its track, date and facts from the
        season's schedule, with the schedule's remarks. Each schedule is read once, whatever
        the number of chunks, and the files' schedules are parsed as one table."""
        out: dict[str, tuple[pd.DataFrame, list[Problem]] | FileError] = {}
        parts: list[tuple[InputFile, str, pd.DataFrame]] = []
        for item in items:
            if item.name in self._races_of:
                out[item.name] = (self._races_of[item.name], [])
                continue
            schedule = self._schedules.get(item.name)
            if schedule is None:
                why = "no schedule for this season: races have no track"
                out[item.name] = (_no_races(), [Problem(Location(item.name), why)])
                continue
            try:
                parts.append((item, schedule.name, read_frame(schedule)))
            except FileError as exc:
                out[item.name] = exc
        if not parts:
            return out
        races, remarks, failed = _read_schedules([(name, raw) for _, name, raw in parts])
        races = races.dropna(subset=["round"]).drop_duplicates(["schedule", "series_id", "round"])
        races = races.drop(columns=["row", "winner"])
        told: dict[str, list[Problem]] = {}
        for problem in remarks:
            told.setdefault(problem.where.file, []).append(problem)
        by_part = dict(iter(races.groupby("schedule", sort=False)))
        for code, (item, name, _) in enumerate(parts):
            if name in failed:
                out[item.name] = failed[name]
                continue
            mine = by_part.get(code, _no_races()).drop(columns="schedule", errors="ignore")
            self._races_of[item.name] = mine
            out[item.name] = (mine, told.get(name, []))
        return out

    def _frame(self, table: Table) -> pd.DataFrame:
        frame = table.frame
        codes = slugs_by_code()
        surfaces = [c if isinstance(c, str) else None for c in frame["surface"]]
        tracks = frame["track"].fillna("")
        layout = [layout_of(t, s) for t, s in zip(tracks, surfaces, strict=True)]
        status_class = status_classes(frame["status"], frame["finish"])
        # race_id is the race page's address: "2022_Bush%27s_Beans_200" is "Bush's Beans 200"
        names = frame["race_id"].fillna("").str.replace(r"^\d{4}_", "", regex=True).map(unquote)
        return pd.DataFrame(
            {
                "row": frame["row"],
                "series": frame["series_id"].map(codes),
                "season": frame["season"],
                "round": frame["round"],
                "race_name": names.str.replace("_", " ").str.strip().replace("", None),
                "race_date": frame["race_date"],
                "track": frame["track"],
                "layout": layout,
                "surface": [surface_of(s) for s in surfaces],
                "length": frame["length"],
                "scheduled_laps": None,
                "car": frame["car"].fillna(""),
                "driver": frame["driver"],
                "driver_key": frame["driver_key"],
                "nationality": frame["nationality"],
                "team": frame["owner"],
                "team_kind": "owner",
                "make": frame["make"],
                "sponsor": frame["sponsor"].fillna(""),
                "start": frame["start"].mask(frame["start"].eq(0).fillna(False)),
                "finish": frame["finish"],
                "laps": frame["laps"],
                "laps_led": frame["laps_led"],
                "status": frame["status"].fillna(""),
                "status_class": status_class,
                "stage_finishes": None,
                "points": frame["points"],
                "stage_points": None,
                "rating": None,
                "prize_money": frame["prize_money"],
                **{fact: frame[fact] for fact in SCHEDULE_FACTS},
                "file": frame["file"],
            },
            index=frame.index,
        )

    def series(self, prepared: Prepared, source: Source) -> dict[str, Series]:
        if prepared.races is not None:  # the national series: nascaR.data's, never created here
            return {s.slug: s for s in Series.objects.filter(slug__in=list(prepared.series))}
        # A series is brought in line with the catalog once a run, by the first file that
        # commits with it (a rolled-back file's changes are not taken for done).
        found: dict[str, Series] = {}
        if aligned := self._series & set(prepared.series):
            found = {s.slug: s for s in Series.objects.filter(slug__in=list(aligned))}
        for slug in prepared.series:
            if slug not in found:
                found[slug] = ensure_series(series_catalog(), slug, source)
                transaction.on_commit(partial(self._series.add, slug))
        return {slug: found[slug] for slug in prepared.series}


# The race facts of a schedule: the writer's name, the column and its type. The column named
# for the pole time holds the pole speed (196.314 for the 2016 Daytona 500).
SCHEDULE_FACTS: dict[str, tuple[str, Any]] = {
    "car_count": ("race_car_count", pd.Int64Dtype()),
    "cautions": ("race_cautions", pd.Int64Dtype()),
    "lead_changes": ("race_lead_changes", pd.Int64Dtype()),
    "average_speed": ("race_speed", pd.Float64Dtype()),
    "pole_speed": ("race_pole_time", pd.Float64Dtype()),
}


def _no_races() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            *("series_id", "round", "track", "surface", "length", "race_date"),
            *SCHEDULE_FACTS,
        ]
    )


def _read_schedule(raw: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A season's schedule as a row per race (see ``_read_schedules``)."""
    races, remarks, failed = _read_schedules([(name, raw)])
    if name in failed:
        raise failed[name]
    return races.drop(columns="schedule"), remarks


def _read_schedules(
    parts: list[tuple[str, pd.DataFrame]],
) -> tuple[pd.DataFrame, list[Problem], dict[str, FileError]]:
    """Season schedules (name, rows), read as one table of a row per race: ``schedule`` (the
    part's position), ``row, series_id, round`` (``race_num``, else from ``race_short_id``),
    ``track``, ``surface`` (paved, dirt or road), ``length``, ``race_date`` (two-digit years
    resolved from the schedule's season) and ``winner``; a remark for each date outside the
    season; and the schedules that cannot be read, each with its error."""
    failed: dict[str, FileError] = {}
    good: list[tuple[int, str, pd.DataFrame]] = []
    for code, (name, raw) in enumerate(parts):
        if "series_id" not in raw or not {"race_num", "race_short_id"} & set(raw.columns):
            failed[name] = FileError(
                Location(name, csv=True),
                "a schedule needs series_id, and race_num or race_short_id",
            )
        else:
            good.append((code, name, raw))
    if not good:
        return _no_races().assign(schedule=None, row=None, winner=None), [], failed
    schedule = np.concatenate([np.full(len(raw), code) for code, _, raw in good])
    row = np.concatenate([np.arange(1, len(raw) + 1) for _, _, raw in good])
    numbered = np.concatenate([np.full(len(raw), "race_num" in raw) for _, _, raw in good])
    raw, _ = _blank_dashes(pd.concat([raw for _, _, raw in good], ignore_index=True))
    from_id = _column(raw, "race_short_id").astype("string").str.extract(ROUND)[1]
    rounds = pd.to_numeric(_column(raw, "race_num"), errors="coerce").where(
        numbered, pd.to_numeric(from_id, errors="coerce")
    )
    firsts = pd.to_numeric(_column(raw, "season"), errors="coerce").groupby(schedule).first()
    firsts = firsts.dropna()
    season_of = dict(zip(firsts.index.astype(int), firsts.astype(int), strict=True))
    seasons = [season_of.get(int(code)) for code in schedule]
    dates, outside = _dates(_column(raw, "race_date"), seasons)
    names = {code: name for code, name, _ in good}
    remarks = [
        Problem(
            Location(names[int(schedule[position])], int(row[position]), "race_date", True),
            f"race date outside the {seasons[position]} season: kept as given",
            str(raw["race_date"].iloc[position]),
        )
        for position in outside
    ]
    track = _column(raw, "race_track_id").fillna(_column(raw, "race_track_name"))
    races = pd.DataFrame(
        {
            "schedule": schedule,
            "row": row,
            "series_id": raw["series_id"].astype("string").str.strip(),
            "round": rounds.astype("Int64"),
            "track": track.astype("string").str.replace("_", " ").str.strip(),
            "surface": pd.Series(
                [
                    SURFACES.get(c) if isinstance(c, str) else None
                    for c in _column(raw, "race_track_surface")
                ],
                index=raw.index,
                dtype=object,
            ),
            "length": pd.to_numeric(_column(raw, "race_lap_len"), errors="coerce"),
            "race_date": dates,
            "winner": _column(raw, "race_winner_name"),
            **{
                fact: pd.to_numeric(_column(raw, column), errors="coerce").astype(kind)
                for fact, (column, kind) in SCHEDULE_FACTS.items()
            },
        },
        index=raw.index,
    )
    return races, remarks, failed


def _column(raw: pd.DataFrame, name: str) -> pd.Series:
    """The column *name*, or one of Nones where the file has none."""
    found = raw.get(name)
    return found if found is not None else pd.Series([None] * len(raw), dtype=object)


def _named(item: InputFile, folder: str) -> InputFile:
    """Files of different series share names (``2010_race_results.csv``): show the folder."""
    item.name = f"{folder}/{item.path.parent.name}/{item.path.name}"
    return item


def _season_of(name: str) -> int | None:
    found = re.match(r"^(\d{4})_", name)
    return int(found.group(1)) if found else None


def _first_value(path: Path, column: str) -> str | None:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            return (row.get(column) or "").strip()
    return None


def _blank_dashes(raw: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Cells that hold only a dash (or spaces) become empty, non-breaking spaces plain ones;
    per row, whether one of its cells held a dash. Plain Python over the cells: on the shared
    files it was as quick as Arrow's string kernels, which pay a conversion each way."""
    dashed = np.zeros(len(raw), dtype=bool)
    columns: dict[str, list[str | None]] = {}
    for name in raw.columns:
        cleaned: list[str | None] = []
        for position, value in enumerate(raw[name].tolist()):
            text = value.replace("\u00a0", " ").strip() if isinstance(value, str) else ""
            if text in MISSING:
                dashed[position] = True
                text = ""
            cleaned.append(text or None)
        columns[str(name)] = cleaned
    return pd.DataFrame(columns, index=raw.index, dtype=object), dashed


def _layouts(cleaned: pd.DataFrame, codes: np.ndarray) -> dict[int, tuple[str, str]]:
    """Per file (*codes*: each row's), which layout its values follow: in the older one the
    column headed ``race_laps_lead`` holds status words, and the one headed ``race_status``
    numbers."""

    def wordy(column: str) -> tuple[pd.Series, pd.Series]:
        present = cleaned[column].notna().to_numpy()
        found = cleaned[column].str.contains(r"[A-Za-z]", regex=True)
        words = found.fillna(False).astype(bool).to_numpy()
        counted = pd.DataFrame({"words": words & present, "numbers": present & ~words})
        sums = counted.groupby(codes).sum()
        return sums["words"], sums["numbers"]

    status_words, _ = wordy("race_status")
    led_words, led_numbers = wordy("race_laps_lead")
    return {
        int(code): _layout(int(status_words[code]), int(led_words[code]), int(led_numbers[code]))
        for code in np.unique(codes)
    }


def _layout(status_words: int, led_words: int, led_numbers: int) -> tuple[str, str]:
    if led_words > status_words:
        return "older", (
            "the column headed 'race_laps_lead' holds status words, so the one headed "
            "'race_status' is prize money, and status, laps led and points sit one column right "
            "of their headers"
        )
    if status_words or led_numbers:
        return "newer", "the values follow the header"
    return "newer", "no status or laps led to tell: read as the header says"


def _reject_bad_rounds(table: Table, raw: pd.DataFrame) -> None:
    """A race is keyed by series, season and round; ``race_id_short`` must give the round."""
    shown = raw["race_id_short"].reindex(table.frame.index)
    bad = table.frame["round"].isna()
    table.reject(bad, "race_id_short", "not <season>_<round>: the race cannot be placed", shown)
    seasons = raw["race_id_season"].astype("Float64")
    other = (seasons.reindex(table.frame.index) != table.frame["season"]).fillna(False)
    table.reject(
        other.astype(bool),
        "race_id_short",
        "another season than the row's",
        shown.reindex(table.frame.index),
    )


OWNER_IN_SPONSOR = re.compile(r"^(.*?)\s{2,}\(([^()]*)\)\s*$", re.DOTALL)
LOST_LETTER = re.compile(r"\w\?\w|\ufffd")


def _owners(table: Table) -> None:
    """The car's owner: ``owner_id`` where given, else the name recent files append to the
    sponsor after two or more spaces ("ICON Direct   (Billy Venturini)"); a parenthesis right
    after the sponsor's words is part of it ("Consolidated Electrical Distributors (CED)")."""
    frame = table.frame
    sponsors = frame["sponsor"].astype(object)
    split = sponsors.map(lambda v: OWNER_IN_SPONSOR.match(v) if isinstance(v, str) else None)
    suffixed = split.notna()
    table.remark(suffixed, "sponsor", "owner's name after the sponsor: taken as the car owner")
    lost = sponsors.map(lambda v: isinstance(v, str) and bool(LOST_LETTER.search(v)))
    table.remark(
        lost.astype(bool), "sponsor", "letters lost to an encoding ('?' or U+FFFD): kept as given"
    )
    frame = table.frame
    named = frame["owner_id"].map(
        lambda v: v.replace("_", " ").strip() if isinstance(v, str) else None
    )
    from_sponsor = split.map(lambda m: " ".join(m.group(2).split()) if m else None)
    frame["owner"] = named.where(named.notna(), from_sponsor)
    frame["sponsor"] = sponsors.where(
        ~suffixed, split.map(lambda m: m.group(1).strip() if m else None)
    )
    table.frame = frame


def _odd_numbers(table: Table) -> None:
    """Values the source gives that pitboard cannot hold as they are: kept out of the row, the
    row kept, and each reported (the file keeps the value)."""
    frame = table.frame
    zero = frame["finish"].eq(0).fillna(False).astype(bool)
    table.remark(zero, "finish", "finish 0 (no position): stored as not classified")
    fraction = (frame["points"].notna() & (frame["points"] % 1 != 0)).fillna(False).astype(bool)
    table.remark(
        fraction, "points", "points with a fraction: not stored (pitboard keeps whole points)"
    )
    frame = table.frame
    frame["finish"] = frame["finish"].mask(zero)
    frame["points"] = frame["points"].mask(fraction).round().astype("Int64")
    table.frame = frame


def _clean_names(table: Table, ahead: bool = False) -> None:
    """Rookie marks and series tags are not part of a name; a row without a ``driver_id`` is
    keyed by its name, for identity to match to the person's other rows (which the database
    holds: not looked up *ahead*, see ``read_batch``)."""
    frame = table.frame
    # Each distinct name once (a folder's rows repeat a few thousand names).
    codes, distinct = pd.factorize(frame["driver"].astype(str))
    names = pd.Series(distinct, dtype=object)
    rookie = names.str.contains(ROOKIE)
    names = names.str.replace(ROOKIE, "", regex=True)
    tagged = names.str.contains(SERIES_TAG)
    names = names.str.replace(SERIES_TAG, "", regex=True).str.replace(ROOKIE, "", regex=True)

    def per_row(values: pd.Series) -> pd.Series:
        return pd.Series(values.to_numpy()[codes], index=frame.index)

    table.remark(per_row(rookie), "driver_name", "rookie mark ' *' taken out of the name")
    table.remark(per_row(tagged), "driver_name", "series tag such as '(Cup)' taken out of the name")
    frame = table.frame
    frame["driver"] = per_row(names.str.strip()).reindex(frame.index)
    frame["driver_key"] = frame["driver_id"]
    no_id = frame["driver_id"].isna()
    if no_id.any() and ahead:
        raise NeedsDatabase
    if no_id.any():
        found = frame.loc[no_id, "driver"].map(_known_ids(frame))
        matched = no_id & frame.index.isin(found.dropna().index)
        table.remark(
            matched,
            "driver_id",
            "no driver_id: given the id of the one person of this source with this name, "
            "or with this name but for the letters a lost encoding dropped",
        )
        table.remark(
            no_id & ~matched,
            "driver_id",
            "no driver_id and no person of this source by this name: keyed by the name",
        )
        frame = table.frame
        by_name = "name:" + frame.loc[no_id, "driver"].map(name_key)
        frame.loc[no_id, "driver_key"] = found.fillna(by_name)
    table.frame = frame


def _known_ids(frame: pd.DataFrame) -> Callable[[str], str | None]:
    """For a name without an id: the id of the one person of this source (in this file or
    stored) with this name, or this name with the letters a lost encoding dropped."""
    named = frame.dropna(subset=["driver_id"])
    pairs = set(zip(named["driver_id"], named["driver"], strict=True))
    pairs |= set(
        SourceKey.objects.filter(
            dataset=RacingReferenceImporter.dataset, kind=SourceKey.Kind.DRIVER
        ).values_list("key", "name")
    )
    known = [(key, name) for key, name in pairs if not key.startswith("name:")]
    by_name: dict[str, set[str]] = {}
    for key, name in known:
        by_name.setdefault(name_key(name), set()).add(key)

    @cache
    def lookup(name: str) -> str | None:
        same = by_name.get(name_key(name), set())
        if not same:
            same = {key for key, other in known if dropped_letters(name, other)}
        return next(iter(same)) if len(same) == 1 else None

    return lookup


def _dates(column: pd.Series, seasons: list[int | None]) -> tuple[list[date | None], list[int]]:
    """MM/DD/YY dates, the century taken from each row's season; the positions of dates
    outside their season's calendar year."""
    out: list[date | None] = []
    outside: list[int] = []
    for position, (text, season) in enumerate(zip(column.tolist(), seasons, strict=True)):
        found = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$", str(text or ""))
        if not found:
            out.append(None)
            continue
        month, day, year = (int(g) for g in found.groups())
        if year < 100:
            base = (season or 2000) // 100 * 100
            candidates = [base - 100 + year, base + year, base + 100 + year]
            year = min(candidates, key=lambda y: abs(y - (season or y)))
        try:
            when = date(year, month, day)
        except ValueError:
            out.append(None)
            continue
        if season is not None and when.year != season:
            outside.append(position)
        out.append(when)
    return out, outside


def _series_names(series_ids: pd.Series) -> dict[str, str]:
    codes = slugs_by_code()
    return {codes[c]: "" for c in series_ids.dropna().unique() if c in codes}
