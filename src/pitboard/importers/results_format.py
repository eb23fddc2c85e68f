"""pitboard's generic results format: one row per car per race, CSV or JSON.

Made for a track official with a spreadsheet; documented in docs/results-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pitboard.core.status import classify
from pitboard.core.tracks import Layout, layout_of, surface_of
from pitboard.importers.base import Importer, Prepared
from pitboard.importers.checks import (
    reconcile_races,
    reject_duplicates,
    remark_doubles,
    stage_lists,
)
from pitboard.importers.files import InputFile, local
from pitboard.importers.problems import FileError
from pitboard.importers.table import SMALL, Column, Kind, Table, read_table
from pitboard.records.models import Series, Source
from pitboard.records.services.catalog import ensure_local_series

COLUMNS = (
    Column("series", Kind.TEXT, required=True, value_required=True, max_length=60),
    Column("series_name", Kind.TEXT, max_length=200),
    Column("season", Kind.INT, required=True, value_required=True, minimum=1900, maximum=2999),
    Column("round", Kind.INT, required=True, value_required=True, minimum=1, maximum=SMALL),
    Column("date", Kind.DATE),
    Column("race_name", Kind.TEXT, max_length=300),
    Column("track", Kind.TEXT, required=True, value_required=True, max_length=200),
    Column("layout", Kind.TEXT),
    Column("surface", Kind.TEXT),
    Column("length_miles", Kind.FLOAT, minimum=0, aliases=("length",)),
    Column("scheduled_laps", Kind.INT, minimum=0),
    Column("car", Kind.TEXT, max_length=10, aliases=("car_number", "number")),
    Column("driver", Kind.TEXT, required=True, value_required=True, max_length=200),
    Column("team", Kind.TEXT, max_length=200, aliases=("owner",)),
    Column("make", Kind.TEXT, max_length=100, aliases=("manufacturer",)),
    Column("sponsor", Kind.TEXT, max_length=200),
    Column("start", Kind.INT, minimum=1, maximum=SMALL),
    Column("finish", Kind.INT, required=True, minimum=1, maximum=SMALL),
    Column("laps", Kind.INT, minimum=0),
    Column("laps_led", Kind.INT, minimum=0, aliases=("led",)),
    Column("status", Kind.TEXT, max_length=100),
    Column("points", Kind.INT),
    Column("stage_1", Kind.INT, minimum=1, maximum=SMALL),
    Column("stage_2", Kind.INT, minimum=1, maximum=SMALL),
    Column("stage_3", Kind.INT, minimum=1, maximum=SMALL),
    Column("stage_points", Kind.INT),
    Column("rating", Kind.FLOAT),
    Column("prize_money", Kind.FLOAT, minimum=0, maximum=9_999_999_999.99),
)
RACE = ("series", "season", "round")
RACE_FACTS = (
    "date",
    "race_name",
    "track",
    "layout",
    "surface",
    "length_miles",
    "scheduled_laps",
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LAYOUTS = {layout.value for layout in Layout}
SURFACES = {"paved", "dirt", "road"}


class ResultsFormatImporter(Importer):
    name = "results"
    dataset = "results-format"
    race_columns = RACE

    def inputs(self, target: str) -> Iterator[InputFile | FileError]:
        try:
            yield local(Path(target).expanduser())
        except FileError as exc:
            yield exc

    def prepare(self, raw: pd.DataFrame, source: InputFile) -> Prepared:
        table = read_table(raw, COLUMNS, source.name, source.csv)
        _reject_bad_words(table)
        reject_duplicates(table)
        reconcile_races(table, RACE, RACE_FACTS)
        remark_doubles(table, RACE, "driver", "finish")
        frame = table.frame
        classified = frame["finish"].notna()
        # An empty status on a car with a finishing position means it was running at the end;
        # that is left to the writer, so that a file without statuses never overrides one that
        # another file or source stated ("accident" stays "accident").
        # Each distinct (status, finished) pair and (track, surface) pair is classed once.
        pairs = pd.DataFrame({"status": frame["status"], "done": classified})
        classes = {
            (text, done): classify(text or "running", classified=done).value
            if text or not done
            else None
            for text, done in pairs.drop_duplicates().itertuples(index=False, name=None)
        }
        status_class = [classes[pair] for pair in zip(frame["status"], classified, strict=True)]
        surface = frame["surface"]
        places = {
            pair: layout_of(*pair)
            for pair in pd.DataFrame({"t": frame["track"], "s": surface})
            .drop_duplicates()
            .itertuples(index=False, name=None)
        }
        layout = [
            given or places[(track, s)]
            for given, track, s in zip(frame["layout"], frame["track"], surface, strict=True)
        ]
        surfaces = {s: surface_of(s) for s in surface.drop_duplicates()}
        out = pd.DataFrame(
            {
                "row": frame["row"],
                "series": frame["series"],
                "season": frame["season"],
                "round": frame["round"],
                "race_name": frame["race_name"],
                "race_date": frame["date"],
                "track": frame["track"],
                "layout": layout,
                "surface": [surfaces[s] for s in surface],
                "length": frame["length_miles"],
                "scheduled_laps": frame["scheduled_laps"],
                "car": frame["car"].fillna(""),
                "driver": frame["driver"],
                "team": frame["team"],
                "team_kind": "team",
                "make": frame["make"],
                "sponsor": frame["sponsor"].fillna(""),
                "start": frame["start"],
                "finish": frame["finish"],
                "laps": frame["laps"],
                "laps_led": frame["laps_led"],
                "status": frame["status"].fillna(""),
                "status_class": status_class,
                "stage_finishes": stage_lists(frame, ("stage_1", "stage_2", "stage_3")),
                "points": frame["points"],
                "stage_points": frame["stage_points"],
                "rating": frame["rating"],
                "prize_money": frame["prize_money"],
            },
            index=frame.index,
        )
        names = frame.drop_duplicates("series")
        series = {
            slug: name or ""
            for slug, name in zip(names["series"], names["series_name"], strict=True)
        }
        return Prepared(out, series, table.rejected, table.remarks)

    def series(self, prepared: Prepared, source: Source) -> dict[str, Series]:
        return {
            slug: ensure_local_series(slug, name, source) for slug, name in prepared.series.items()
        }


def _reject_bad_words(table: Table) -> None:
    """Series slugs, layouts and surfaces must be words pitboard knows."""
    frame = table.frame
    table.reject(
        ~frame["series"].map(lambda s: bool(SLUG.match(s))),
        "series",
        "not a series slug (lowercase letters, digits and hyphens, e.g. 'thunder-cars')",
    )
    frame = table.frame
    given = frame["layout"].notna()
    table.reject(
        given & ~frame["layout"].isin(LAYOUTS), "layout", f"not one of {', '.join(sorted(LAYOUTS))}"
    )
    frame = table.frame
    lowered = frame["surface"].map(str.lower, na_action="ignore")
    table.reject(
        frame["surface"].notna() & ~lowered.isin(SURFACES),
        "surface",
        f"not one of {', '.join(sorted(SURFACES))}",
    )
