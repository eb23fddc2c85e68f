"""Opening input files, local or by URL, into raw DataFrames, with one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pitboard.importers.problems import FileError, Location


class NetworkError(Exception):
    """A URL could not be fetched at all (no network, no such host)."""


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
        raise FileError(Location(name), f"cannot download {url}: HTTP {exc.code}") from exc
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


# The largest input file read, in MiB (docs/settings.md): a file is read whole into memory, at
# about ten times its size on disk for CSV.
MAX_FILE_MIB_ENV = "PITBOARD_IMPORT_MAX_MIB"
MAX_FILE_MIB = 256


def max_file_bytes() -> int:
    given = os.environ.get(MAX_FILE_MIB_ENV, "").strip()
    return (int(given) if given.isdigit() and int(given) > 0 else MAX_FILE_MIB) * 2**20


def read_frame(source: InputFile) -> pd.DataFrame:
    """The rows of a .parquet, .csv or .json file; text columns of CSV and JSON stay text."""
    suffix = source.path.suffix.lower()
    where = Location(source.name, csv=source.csv)
    size, limit = source.path.stat().st_size, max_file_bytes()
    if size > limit:
        raise FileError(
            where,
            f"the file is {size / 2**20:.0f} MiB, over the limit of {limit // 2**20} MiB for one "
            f"file: split it (by season, say), or raise {MAX_FILE_MIB_ENV}",
        )
    try:
        if suffix == ".parquet":
            return pq.read_table(source.path).to_pandas()
        if suffix == ".csv":
            return pd.read_csv(
                source.path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
            )
        if suffix == ".json":
            return _read_json(source.path, where)
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
    raise FileError(where, f"unknown file type {suffix!r}: use .parquet, .csv or .json")


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
