"""What can go wrong in an import, said with the file, the row and the column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an input file. Rows count data records from 1; CSV files also name the line."""

    file: str
    row: int | None = None
    column: str | None = None
    csv: bool = False

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"line {self.row + 1}" if self.csv else f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """A row that was rejected, or a remark about one that was kept."""

    where: Location
    reason: str
    value: str = ""

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value else ""
        return f"{self.where}: {self.reason}{shown}"


class FileError(Exception):
    """A problem that stops a whole file: nothing of it is written."""

    def __init__(self, where: Location, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason

    def __reduce__(self) -> tuple[type[FileError], tuple[Location, str]]:
        # Rebuilt from its parts (not its message) when a batch read in another process
        # brings it back.
        return (type(self), (self.where, self.reason))


class NeedsDatabase(Exception):
    """A batch read ahead (without the database) that must be read at its turn: preparing it
    looks up what the database holds by then."""


class SkippedFile(FileError):
    """A file left out on purpose (a copy of another, say): reported, not a failure."""
