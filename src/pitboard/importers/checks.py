"""Checks every results file gets, whatever its source, on the rows of a Table."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pitboard.core.status import classify
from pitboard.importers.table import Table


def reject_duplicates(table: Table) -> None:
    """A row identical to an earlier one in every column is a duplicate: rejected, reported."""
    data = table.frame.drop(columns="row")
    hashed = pd.util.hash_pandas_object(data, index=False)
    suspects = hashed.duplicated(keep=False)
    if not suspects.any():
        return
    data = data[suspects].astype("string").fillna("\x00")
    dup = data.duplicated(keep="first").reindex(table.frame.index, fill_value=False)
    if dup.any():
        group = data.groupby(list(data.columns), sort=False).ngroup()
        first = table.frame.loc[data.index, "row"].groupby(group).transform("first")
        first = first.reindex(table.frame.index)
        table.reject(dup, None, "duplicate of row " + first.astype("Int64").astype(str))


def reconcile_races(table: Table, race: Sequence[str], facts: Sequence[str]) -> None:
    """Rows of one race must agree on its facts (track, name, date…).

    The race's value is the one most of its rows give (the earliest, on a tie); a row that gives
    another is rejected, and a row that leaves the fact out takes the race's value.
    """
    frame = table.frame
    varying = frame.groupby(list(race), sort=False)[list(facts)].nunique().gt(1).any()
    for column in (c for c in facts if varying[c]):
        frame = table.frame
        values = frame[column].astype("string")
        counted = (
            pd.DataFrame(
                {**{c: frame[c] for c in race}, "value": values, "order": range(len(frame))}
            )
            .dropna(subset=["value"])
            .groupby([*race, "value"], sort=False)
            .agg(n=("order", "size"), first=("order", "min"))
            .reset_index()
            .sort_values(["n", "first"], ascending=[False, True])
            .drop_duplicates(list(race))
        )
        known = frame[list(race)].merge(counted, how="left", on=list(race))["value"]
        known.index = frame.index
        bad = (values.notna() & (values != known)).fillna(False).astype(bool)
        table.reject(bad, column, "disagrees with the other rows of the same race")
    frame = table.frame
    for column in facts:
        gaps = frame[column].isna()
        if gaps.any():
            fill = frame[column].groupby([frame[c] for c in race], sort=False).transform("first")
            filled = frame[column].where(~gaps, fill)
            if filled.dtype == object:  # text stays text, with None for what is still missing
                filled = filled.where(filled.notna(), None)
            frame[column] = filled
    table.frame = frame


def remark_doubles(table: Table, race: Sequence[str], driver: str, finish: str) -> None:
    """Kept, but worth a look: a driver twice in one race, a finishing position given twice."""
    frame = table.frame
    twice = frame.duplicated([*race, driver], keep=False)
    table.remark(twice, driver, "driver listed twice in this race (both rows kept)")
    shared = frame[finish].notna() & frame.duplicated([*race, finish], keep=False)
    table.remark(shared, finish, "finishing position shared with another row (both kept)")


def stage_lists(frame: pd.DataFrame, stages: Sequence[str]) -> list[object]:
    """Per row, the stage finishes as a list, or None when the row has none."""
    present = [c for c in stages if frame[c].notna().any()]
    out: list[object] = [None] * len(frame)
    if not present:
        return out
    given = frame[present].notna().any(axis=1).to_numpy()
    columns = [frame.loc[given, c].astype(object).tolist() for c in present]
    for position, row in zip(given.nonzero()[0], zip(*columns, strict=True), strict=True):
        out[position] = [None if pd.isna(v) else int(v) for v in row]
    return out


def status_classes(status: pd.Series, finish: pd.Series) -> pd.Series:
    """Per row, the class of its status text (docs/statistics.md); a row without a finishing
    position is not classified, whatever its status says."""
    classes = status.map({text: classify(text).value for text in status.dropna().unique()})
    classes = classes.fillna(classify(None).value)
    classes[finish.isna()] = classify(None, classified=False).value
    return classes
