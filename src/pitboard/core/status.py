"""Why a car's race ended: the free text of the record, normalized to a few classes."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from importlib.resources import files


class StatusClass(StrEnum):
    RUNNING = "running"
    ACCIDENT = "accident"
    MECHANICAL = "mechanical"
    DISQUALIFIED = "disqualified"
    DID_NOT_START = "did_not_start"
    DID_NOT_QUALIFY = "did_not_qualify"
    OTHER = "other"

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.value.replace("_", " ")) for member in cls]


@cache
def _table() -> tuple[dict[str, StatusClass], tuple[tuple[str, StatusClass], ...]]:
    data = tomllib.loads(files("pitboard.core").joinpath("status_classes.toml").read_text())
    exact: dict[str, StatusClass] = {}
    words: list[tuple[str, StatusClass]] = []
    for class_name, spec in data["classes"].items():
        status_class = StatusClass(class_name)
        for text in spec.get("exact", []):
            exact[_clean(text)] = status_class
        words.extend((_clean(word), status_class) for word in spec.get("words", []))
    return exact, tuple(words)


def _clean(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def classify(text: str | None, *, classified: bool = True) -> StatusClass:
    """The class of a status text. A car without a finishing position did not start.

    Exact texts are looked up first, then words that name a failed part ("oil pump" →
    mechanical); anything else is ``other`` and the original text is kept beside it.
    """
    if not classified:
        return StatusClass.DID_NOT_START
    cleaned = _clean(text or "")
    exact, words = _table()
    if cleaned in exact:
        return exact[cleaned]
    padded = f" {cleaned} "
    for word, status_class in words:
        if f" {word} " in padded:
            return status_class
    return StatusClass.OTHER


NOT_STARTED = frozenset({StatusClass.DID_NOT_START, StatusClass.DID_NOT_QUALIFY})


def implied(finish: int | None) -> StatusClass:
    """The class of a result no source gave a status for: running when it has a finishing
    position, else did not start."""
    return StatusClass.RUNNING if finish is not None else StatusClass.DID_NOT_START


def is_known(text: str | None) -> bool:
    """True when the text is in the table (an exact text or a known word), not a fallback."""
    cleaned = _clean(text or "")
    exact, words = _table()
    return cleaned in exact or any(f" {w} " in f" {cleaned} " for w, _ in words)
