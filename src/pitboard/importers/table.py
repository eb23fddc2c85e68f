"""Reading a tabular input into typed columns, rejecting bad values row by row.

Columns are matched by name, whatever their case, spacing or punctuation ("Seg Points",
"seg_points" and "SEGPOINTS" are one column). A missing required column stops the file; a bad
value rejects its row, and the problem names the file, the row and the column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from pitboard.core.names import fix_mojibake
from pitboard.importers.problems import FileError, Location, Problem


class Kind(StrEnum):
    INT = "whole number"
    FLOAT = "number"
    TEXT = "text"
    DATE = "date (YYYY-MM-DD)"


INT_LIMIT = 2**31 - 1  # the largest whole number a database integer column holds
SMALL = 32_767  # the largest a small-integer column (positions, rounds) holds


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False  # the column must be present
    value_required: bool = False  # every row must have a value
    minimum: float | None = None
    maximum: float | None = None  # whole numbers are never above INT_LIMIT either
    max_length: int | None = None  # text: the longest value the database keeps
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """Typed columns under their canonical names; ``row`` holds each record's row number.

    A table may hold several files read as one (*files*): its ``file`` column then gives each
    row's file as a position in *files*, and each problem names the row's own file.
    """

    frame: pd.DataFrame
    file: str
    csv: bool
    rejected: list[Problem] = field(default_factory=list)
    remarks: list[Problem] = field(default_factory=list)
    files: Sequence[str] = ()

    def where(
        self, row: int | None = None, column: str | None = None, file: str | None = None
    ) -> Location:
        return Location(file or self.file, row, column, self.csv)

    def _files(self, mask: pd.Series) -> list[str]:
        if not self.files:
            return [self.file] * int(mask.sum())
        return [self.files[i] for i in self.frame.loc[mask, "file"]]

    def reject(
        self,
        mask: pd.Series,
        column: str | None,
        reason: str | pd.Series,
        shown: pd.Series | None = None,
    ) -> None:
        """Reject the rows in *mask* for *reason* (one text, or one per row); they leave.

        *shown* holds the values to quote when the frame's typed ones are not what was read.
        """
        reasons = [reason] * int(mask.sum()) if isinstance(reason, str) else reason[mask].tolist()
        values = (
            self._values(mask, column)
            if shown is None
            else ["" if pd.isna(v) else str(v) for v in shown[mask]]
        )
        for row, value, why, file in zip(
            self.frame.loc[mask, "row"], values, reasons, self._files(mask), strict=True
        ):
            self.rejected.append(Problem(self.where(int(row), column, file), why, value))
        self.frame = self.frame.loc[~mask]

    def remark(self, mask: pd.Series, column: str | None, reason: str) -> None:
        """Note something about the rows in *mask* that are kept."""
        for row, value, file in zip(
            self.frame.loc[mask, "row"],
            self._values(mask, column),
            self._files(mask),
            strict=True,
        ):
            self.remarks.append(Problem(self.where(int(row), column, file), reason, value))

    def _values(self, mask: pd.Series, column: str | None) -> list[str]:
        if column is None or column not in self.frame:
            return [""] * int(mask.sum())
        return ["" if pd.isna(v) else str(v) for v in self.frame.loc[mask, column]]


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


def read_table(
    raw: pd.DataFrame,
    columns: Sequence[Column],
    file: str,
    csv: bool,
    *,
    files: Sequence[str] = (),
    places: pd.DataFrame | None = None,
) -> Table:
    """Map *raw*'s columns onto *columns* and type them; bad values reject their row.

    Several files read as one give their names (*files*) and, per row of *raw*, its ``file``
    (a position in *files*) and its ``row`` in that file (*places*)."""
    by_key = {header_key(h): h for h in raw.columns}
    if places is not None:
        frame = pd.DataFrame(
            {"row": places["row"].to_numpy(), "file": places["file"].to_numpy()}, index=raw.index
        )
    else:
        # Row numbers come from the index: a chunk of a long file keeps its rows' positions.
        frame = pd.DataFrame({"row": np.asarray(raw.index) + 1}, index=raw.index)
    raw_values: dict[str, pd.Series] = {}
    missing = []
    for col in columns:
        header = next(
            (by_key[k] for k in (header_key(n) for n in (col.name, *col.aliases)) if k in by_key),
            None,
        )
        if header is None:
            if col.required:
                missing.append(col.name)
            continue
        raw_values[col.name] = raw[header]
    if missing:
        wanted = ", ".join(repr(m) for m in missing)
        listed = ", ".join(repr(str(h)) for h in raw.columns)
        raise FileError(
            Location(file, csv=csv),
            f"missing required column {wanted} (columns found: {listed or 'none'})",
        )

    table = Table(frame, file, csv, files=files)
    matched = {header_key(str(series.name)) for series in raw_values.values()}
    for header in raw.columns:
        if header_key(str(header)) not in matched:
            close = difflib.get_close_matches(str(header).lower(), [c.name for c in columns], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            table.remarks.append(
                Problem(
                    table.where(None, str(header)), f"not a column of this format: ignored{hint}"
                )
            )
    problems: list[tuple[pd.Series, str, str]] = []
    for col in columns:
        if col.name not in raw_values:
            frame[col.name] = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            continue
        values, bad = _coerce(raw_values[col.name], col)
        frame[col.name] = values
        problems += [(mask, col.name, reason) for mask, reason in bad]
        present = values.notna()
        if col.value_required:
            unreadable = pd.Series(False, index=raw.index)
            for mask, _ in bad:
                unreadable |= mask
            problems.append((~present & ~unreadable, col.name, "missing value"))
        if col.minimum is not None and col.kind in (Kind.INT, Kind.FLOAT):
            below = present & (values.astype("Float64") < col.minimum).fillna(False)
            word = "negative" if col.minimum == 0 else f"less than {col.minimum:g}"
            problems.append((below, col.name, word))
        if col.maximum is not None and col.kind in (Kind.INT, Kind.FLOAT):
            above = present & (values.astype("Float64") > col.maximum).fillna(False)
            problems.append((above, col.name, f"more than {col.maximum:g}"))
        if col.max_length is not None and col.kind is Kind.TEXT:
            long = present & (values.astype("string").str.len() > col.max_length)
            problems.append(
                (
                    long.fillna(False).astype(bool),
                    col.name,
                    f"longer than {col.max_length} characters",
                )
            )
    # Quote the raw text of rejected values: the message shows what the user wrote.
    for found, name, reason in problems:
        rows = found.reindex(table.frame.index, fill_value=False)
        if rows.any():
            table.reject(rows, name, reason, shown=raw_values[name].reindex(rows.index))
    return table


def _coerce(raw: pd.Series, col: Column) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Typed values of *raw*, and the masks of values that cannot be read, with the reason."""
    none = pd.Series(False, index=raw.index)
    if col.kind is Kind.TEXT:
        # Work on the distinct values only: strip, repair mojibake, blank → missing.
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        cleaned = [fix_mojibake(str(u).strip()) or None for u in uniques]
        lookup = np.array([*cleaned, None], dtype=object)
        return pd.Series(lookup[codes], index=raw.index, dtype=object), []
    if col.kind is Kind.DATE:
        text = raw.astype("string").str.strip()
        present = (text.notna() & (text != "")).fillna(False).astype(bool)
        parsed = pd.to_datetime(text.where(present), format="%Y-%m-%d", errors="coerce")
        dates = parsed.dt.date.astype(object).where(parsed.notna(), None)
        return dates, [(present & parsed.isna(), f"not a {col.kind.value}")]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("Float64")
        unreadable = none
    else:
        text = raw.astype("string").str.strip()
        present = text.notna() & (text != "")
        numbers = pd.to_numeric(text.where(present), errors="coerce").astype("Float64")
        unreadable = (present & numbers.isna()).fillna(False).astype(bool)
    if col.kind is Kind.FLOAT:
        return numbers.mask(unreadable), [(unreadable, f"not a {col.kind.value}")]
    fractional = (numbers.notna() & (numbers % 1 != 0)).fillna(False).astype(bool)
    huge = (numbers.abs() > INT_LIMIT).fillna(False).astype(bool)
    bad = [
        (unreadable | fractional, f"not a {col.kind.value}"),
        (huge & ~fractional, f"too large (more than {INT_LIMIT})"),
    ]
    numbers = numbers.mask(unreadable | fractional | huge)
    return numbers.round().astype("Int64"), bad
