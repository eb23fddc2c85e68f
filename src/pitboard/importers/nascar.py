"""nascaR.data: NASCAR Cup, NXS and Truck results, 1949 onward, one row per driver per race.

The public files live at https://nascar.kylegrealis.com/{cup,nxs,truck}.parquet; a folder with
``cup``, ``nxs`` and ``truck`` as ``.parquet`` or ``.csv`` works the same way offline.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pitboard.core.status import is_known
from pitboard.core.tracks import layout_of, surface_of
from pitboard.importers.base import Importer, Prepared
from pitboard.importers.checks import (
    reconcile_races,
    reject_duplicates,
    remark_doubles,
    stage_lists,
    status_classes,
)
from pitboard.importers.files import InputFile, download, local, temporary_folder
from pitboard.importers.problems import FileError, Location
from pitboard.importers.table import SMALL, Column, Kind, read_table
from pitboard.records.models import Series, Source
from pitboard.records.services.catalog import ensure_series

DEFAULT_URL = "https://nascar.kylegrealis.com"
SOURCE_ENV = "PITBOARD_NASCAR_SOURCE"
FILES = ("cup", "nxs", "truck")

COLUMNS = (
    Column("Season", Kind.INT, required=True, value_required=True, minimum=1900, maximum=2999),
    Column("Race", Kind.INT, required=True, value_required=True, minimum=1, maximum=SMALL),
    Column("Track", Kind.TEXT, required=True, value_required=True, max_length=200),
    Column("Name", Kind.TEXT, max_length=300),
    Column("Length", Kind.FLOAT, minimum=0),
    Column("Surface", Kind.TEXT),
    Column("Finish", Kind.INT, required=True, minimum=1, maximum=SMALL),
    Column("Start", Kind.INT, minimum=0, maximum=SMALL),
    Column("Car", Kind.TEXT, max_length=10),
    Column("Driver", Kind.TEXT, required=True, value_required=True, max_length=200),
    Column("Make", Kind.TEXT, max_length=100),
    Column("Pts", Kind.INT, aliases=("points",)),
    Column("Laps", Kind.INT, minimum=0),
    Column("Led", Kind.INT, minimum=0, aliases=("laps led",)),
    Column("Status", Kind.TEXT, max_length=100),
    Column("Team", Kind.TEXT, max_length=200),
    Column("S1", Kind.INT, minimum=1, maximum=SMALL),
    Column("S2", Kind.INT, minimum=1, maximum=SMALL),
    Column("S3", Kind.INT, minimum=1, maximum=SMALL),
    Column("Rating", Kind.FLOAT),
    Column("Win", Kind.INT, minimum=0),
    Column("Seg Points", Kind.INT),
)
RACE_FACTS = ("Track", "Name", "Length", "Surface")
OWNER_SUFFIX = re.compile(r"\s*\(owner\)\s*$", re.IGNORECASE)


def series_catalog() -> dict[str, Any]:
    return tomllib.loads(files("pitboard.data").joinpath("nascar_series.toml").read_text())


class NascarImporter(Importer):
    name = "nascar"
    dataset = "nascaR.data"
    race_columns = ("Season", "Race")
    license = "GPL-3.0"
    citation = "nascaR.data (Kyle Grealis), curated from DriverAverages.com"
    source_env = SOURCE_ENV

    def default(self) -> str:
        return os.environ.get(SOURCE_ENV) or DEFAULT_URL

    def inputs(self, target: str) -> Iterator[InputFile | FileError]:
        if re.match(r"^https?://", target):
            with temporary_folder() as folder:
                for stem in FILES:
                    url = f"{target.rstrip('/')}/{stem}.parquet"
                    try:
                        yield download(url, Path(folder))
                    except FileError as exc:
                        yield exc
            return
        path = Path(target).expanduser()
        if path.is_file():
            if path.stem.lower() not in FILES:
                yield FileError(Location(path.name), "file name must be cup, nxs or truck")
                return
            yield local(path)
            return
        if not path.is_dir():
            yield FileError(Location(str(path)), "no such folder or file")
            return
        for stem in FILES:
            found = [
                p
                for p in sorted(path.iterdir())
                if p.stem.lower() == stem and p.suffix.lower() in (".parquet", ".csv")
            ]
            if not found:
                yield FileError(
                    Location(f"{stem}.parquet"), f"no {stem}.parquet or {stem}.csv in {path}"
                )
                continue
            yield local(found[0])

    def prepare(self, raw: pd.DataFrame, source: InputFile) -> Prepared:
        slug = Path(source.name).stem.lower()
        table = read_table(raw, COLUMNS, source.name, source.csv)
        reject_duplicates(table)
        reconcile_races(table, ("Season", "Race"), RACE_FACTS)
        remark_doubles(table, ("Season", "Race"), "Driver", "Finish")
        frame = table.frame
        start_zero = frame["Start"].eq(0).fillna(False).astype(bool)
        table.remark(start_zero, "Start", "start 0 means unknown in nascaR.data: stored as unknown")
        table.remark(
            frame["Finish"].isna(), "Finish", "no finishing position: kept as did not start"
        )
        frame = table.frame
        win_mismatch = (frame["Win"].eq(1) != frame["Finish"].eq(1)) & frame["Win"].notna()
        table.remark(
            win_mismatch.fillna(False).astype(bool), "Win", "Win disagrees with Finish; Finish kept"
        )
        statuses = frame["Status"].dropna().unique()
        unknown = {s for s in statuses if not is_known(s)}
        table.remark(
            frame["Status"].isin(unknown), "Status", "status text not classified: class other"
        )

        frame = table.frame
        codes, teams = pd.factorize(frame["Team"])
        owners = [bool(OWNER_SUFFIX.search(t)) for t in teams]
        is_owner = np.array([*owners, False])[codes]
        team = np.array([*(OWNER_SUFFIX.sub("", t) for t in teams), None], dtype=object)[codes]
        status_class = status_classes(frame["Status"], frame["Finish"])
        kinds = frame.drop_duplicates(["Track", "Surface"])[["Track", "Surface"]]
        kinds = kinds.assign(
            layout=[layout_of(t, s) for t, s in zip(kinds["Track"], kinds["Surface"], strict=True)],
            surface=[surface_of(s) for s in kinds["Surface"]],
        )
        kinds = frame[["Track", "Surface"]].merge(kinds, how="left", on=["Track", "Surface"])
        out = pd.DataFrame(
            {
                "row": frame["row"],
                "series": slug,
                "season": frame["Season"],
                "round": frame["Race"],
                "race_name": frame["Name"],
                "race_date": None,
                "track": frame["Track"],
                "layout": kinds["layout"].to_numpy(),
                "surface": kinds["surface"].to_numpy(),
                "length": frame["Length"],
                "scheduled_laps": None,
                "car": frame["Car"].fillna(""),
                "driver": frame["Driver"],
                "team": team,
                "team_kind": np.where(is_owner, "owner", "team"),
                "make": frame["Make"].where(frame["Make"] != "-", None),
                "sponsor": "",
                "start": frame["Start"].mask(start_zero.reindex(frame.index, fill_value=False)),
                "finish": frame["Finish"],
                "laps": frame["Laps"],
                "laps_led": frame["Led"],
                "status": frame["Status"].fillna(""),
                "status_class": status_class,
                "stage_finishes": stage_lists(frame, ("S1", "S2", "S3")),
                "points": frame["Pts"],
                "stage_points": frame["Seg Points"],
                "rating": frame["Rating"],
                "prize_money": None,
            },
            index=frame.index,
        )
        return Prepared(out, {slug: ""}, table.rejected, table.remarks)

    def series(self, prepared: Prepared, source: Source) -> dict[str, Series]:
        catalog = series_catalog()
        return {slug: ensure_series(catalog, slug, source) for slug in prepared.series}
