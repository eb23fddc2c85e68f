"""Opening input files, local or by URL, into raw DataFrames, with one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pitboard.importers.problems import FileError, Location


class NetworkError(Exception):
    """A URL could not be fetched at all (no network, no such host)."""


class NotFound(FileError):
    """The server answered that there is no such file (HTTP 404)."""


@dataclass
class InputFile:
    """An input ready to read: where it came from, the local copy, and its checksum."""

    name: str  # as shown in messages: the file name
    uri: str  # as given: a path or a URL
    path: Path
    sha256: str

    @property
    def csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"


def local(path: Path) -> InputFile:
    if not path.exists():
        raise FileError(Location(path.name), f"file not found: {path}")
    if not path.is_file():
        raise FileError(Location(path.name), f"not a file: {path}")
    try:
        digest = _sha256(path)
    except OSError as exc:
        raise FileError(Location(path.name), f"cannot read {path}: {exc.strerror}") from exc
    return InputFile(path.name, str(path), path, digest)


def download(url: str, folder: Path, timeout: float = 30.0) -> InputFile:
    """Fetch *url* into *folder*. HTTP errors stop the file; no network stops everything."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    target = folder / name
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as exc:
        kind = NotFound if exc.code == 404 else FileError
        raise kind(Location(name), f"cannot download {url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(f"cannot download {url} ({reason})") from exc
    return InputFile(name, url, target, _sha256(target))


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="pitboard-")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The largest input file read, in MiB (docs/settings.md). CSV and Parquet are read in chunks, so
# memory does not grow with the file; JSON is read whole, at about ten times its size.
MAX_FILE_MIB_ENV = "PITBOARD_IMPORT_MAX_MIB"
MAX_FILE_MIB = 4096
JSON_MAX_MIB = 64


def max_file_bytes() -> int:
    given = os.environ.get(MAX_FILE_MIB_ENV, "").strip()
    return (int(given) if given.isdigit() and int(given) > 0 else MAX_FILE_MIB) * 2**20


def _check_size(source: InputFile, where: Location) -> None:
    size = source.path.stat().st_size
    limit = max_file_bytes() if source.path.suffix.lower() != ".json" else JSON_MAX_MIB * 2**20
    if size > limit:
        raise FileError(
            where,
            f"the file is {size / 2**20:.0f} MiB, over the limit of {limit // 2**20} MiB for "
            + (
                "a JSON file (read whole): use CSV for larger files"
                if source.path.suffix.lower() == ".json"
                else f"one file: split it (by season, say), or raise {MAX_FILE_MIB_ENV}"
            ),
        )


# Every cell as the text it holds; only an empty cell is missing ("NA" is a name, not a gap).
CSV_OPTIONS: dict[str, Any] = {
    "dtype": str,
    "keep_default_na": False,
    "na_values": [""],
    "encoding": "utf-8",
}


@contextmanager
def _reading(source: InputFile, where: Location) -> Iterator[None]:
    """What can go wrong reading a file, as one-line errors naming it."""
    try:
        yield
    except pa.ArrowException as exc:
        raise FileError(
            where, f"not a readable Parquet file (truncated or corrupt?): {exc}"
        ) from exc
    except OSError as exc:
        raise FileError(where, f"cannot read {source.path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise FileError(where, f"not UTF-8 text (byte {exc.start})") from exc
    except pd.errors.EmptyDataError as exc:
        raise FileError(where, "the file is empty") from exc
    except pd.errors.ParserError as exc:
        raise FileError(where, f"not a readable CSV file: {exc}") from exc


def read_frame(source: InputFile) -> pd.DataFrame:
    """The rows of a .parquet, .csv or .json file; text columns of CSV and JSON stay text."""
    suffix = source.path.suffix.lower()
    where = Location(source.name, csv=source.csv)
    _check_size(source, where)
    with _reading(source, where):
        if suffix == ".parquet":
            return pq.read_table(source.path).to_pandas()
        if suffix == ".csv":
            return pd.read_csv(source.path, **CSV_OPTIONS)
        if suffix == ".json":
            return _read_json(source.path, where)
    raise FileError(where, f"unknown file type {suffix!r}: use .parquet, .csv or .json")


# Rows read and written at a time: memory stays bounded whatever the file's length.
CHUNK_ROWS_ENV = "PITBOARD_IMPORT_CHUNK_ROWS"
CHUNK_ROWS = 50_000


def chunk_rows() -> int:
    given = os.environ.get(CHUNK_ROWS_ENV, "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else CHUNK_ROWS


def count_rows(source: InputFile) -> int | None:
    """How many rows the file holds, cheaply (None when that would mean reading it all)."""
    suffix = source.path.suffix.lower()
    try:
        if suffix == ".parquet":
            return int(pq.ParquetFile(source.path).metadata.num_rows)
        if suffix == ".csv":
            with source.path.open("rb") as handle:
                lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(2**20), b""))
            return max(lines - 1, 0)
    except (OSError, pa.ArrowException):
        return None
    return None


def read_chunks(source: InputFile, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The file's rows, *rows* at a time (default ``chunk_rows()``); each chunk's index is its
    rows' positions (0-based). JSON is read whole (its size is limited: docs/settings.md)."""
    rows = rows or chunk_rows()
    suffix = source.path.suffix.lower()
    where = Location(source.name, csv=source.csv)
    _check_size(source, where)
    with _reading(source, where):
        if suffix == ".parquet":
            start = 0
            parquet = pq.ParquetFile(source.path)
            for batch in parquet.iter_batches(batch_size=rows):
                frame = batch.to_pandas()
                frame.index = pd.RangeIndex(start, start + len(frame))
                start += len(frame)
                yield frame
            if start == 0:
                yield parquet.schema_arrow.empty_table().to_pandas()
            return
        if suffix == ".csv":
            with pd.read_csv(source.path, chunksize=rows, **CSV_OPTIONS) as reader:
                yield from reader
            return
    yield read_frame(source)


def _read_json(path: Path, where: Location) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FileError(where, f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    rows = data.get("results") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise FileError(where, 'expected a list of result objects, or {"results": [...]}')
    for number, row in enumerate(rows, start=1):
        for key, value in row.items():
            if isinstance(value, (dict, list)):
                raise FileError(
                    Location(where.file, number, str(key)),
                    "expected a single value, not a list or object",
                )
    frame = pd.DataFrame.from_records(rows)
    return frame.astype(object).where(frame.notna(), None).astype("string")
