"""Firsts: who was the first of a group (a nationality, a gender) to win, score a top five or
ten, take a pole or start, in a scope (a sanctioning body, a country, a series).

The answer is the earliest qualifying event whose every asked attribute is known and matches;
several answers when they share the earliest day. What could overturn it is said, not hidden:
earlier qualifying events by drivers whose nationality or gender no source states, events
without a date, tracks without a country. Results and reported races are both events; a
reported race says so (``basis``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pitboard.core.countries import country_of

EventKind = Literal["win", "top5", "top10", "pole", "start"]
EVENTS: tuple[EventKind, ...] = ("win", "top5", "top10", "pole", "start")


@dataclass(frozen=True)
class Query:
    event: EventKind
    sanction: str | None = None  # e.g. NASCAR, ARCA: the series' sanctioning body
    country: str | None = None  # ISO 3166 code of the track's country
    nationality: str | None = None  # ISO 3166 code of the driver's
    gender: str | None = None  # as a source states it
    series: str | None = None  # series slug

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Event:
    """One driver's result in one race, with what is known of the race and the driver."""

    driver: int
    season: int
    date: dt.date | None
    finish: int | None
    start: int | None
    series: str | None
    sanction: str | None
    country: str | None
    nationality: str | None
    gender: str | None
    basis: Literal["results", "reported"] = "results"
    about: Any = None  # the caller's own description (race, track, sources): passed through


def achieved(kind: EventKind, event: Event) -> bool:
    if kind == "pole":
        return event.start == 1 and event.finish is not None
    if event.finish is None:
        return False
    limit = {"win": 1, "top5": 5, "top10": 10, "start": 10_000}[kind]
    return event.finish <= limit


# Words for the same gender, as sources and users write them.
GENDER_WORDS = {"woman": "female", "women": "female", "man": "male", "men": "male"}


def gender_key(word: str) -> str:
    word = word.strip().casefold()
    return GENDER_WORDS.get(word, word)


def same_attribute(name: str, asked: str | None, known: str | None) -> bool | None:
    """True or False when both are known; None when the event's value is unknown. A
    nationality compares countries (a Scot, GB-SCT, is British, GB); genders compare their
    words (woman, female)."""
    if asked is None:
        return True
    if not known:
        return None
    if name == "nationality":
        return country_of(asked.upper()) == country_of(known.upper()) and (
            "-" not in asked or asked.upper() == known.upper()
        )
    if name == "gender":
        return gender_key(asked) == gender_key(known)
    return asked.casefold() == known.casefold()


_ATTRIBUTES = (
    ("sanction", "the sanctioning body of the series"),
    ("country", "the country of the track"),
    ("series", "the series"),
    ("nationality", "the driver's nationality"),
    ("gender", "the driver's gender"),
)


@dataclass
class Answer:
    answers: list[Event] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def first(query: Query, events: Iterable[Event]) -> Answer:
    """The earliest events that answer *query*, and what data would be needed to be sure."""
    sure: list[Event] = []
    unsure: list[tuple[Event, tuple[str, ...]]] = []
    for event in events:
        if not achieved(query.event, event):
            continue
        verdicts = {
            name: same_attribute(name, getattr(query, name), getattr(event, name))
            for name, _ in _ATTRIBUTES
        }
        if any(v is False for v in verdicts.values()):
            continue
        unknown = tuple(name for name, v in verdicts.items() if v is None)
        if unknown:
            unsure.append((event, unknown))
        else:
            sure.append(event)
    answer = Answer()
    dated = [e for e in sure if e.date is not None]
    day = min((e.date for e in dated if e.date is not None), default=None)
    undated = [e for e in sure if e.date is None]
    season = min((e.season for e in undated), default=None)
    if season is not None and (day is None or season < day.year):
        # An undated event of an earlier season came first, whatever its day.
        answer.answers = _one_per_driver(e for e in undated if e.season == season)
        horizon: tuple[int, dt.date | None] = (season, None)
        answer.missing.append(f"the answers' dates: known only as the {season} season")
    elif day is not None:
        answer.answers = _one_per_driver(e for e in dated if e.date == day)
        horizon = (day.year, day)
        same = [e for e in undated if e.season == day.year]
        if same:  # the same season, no date: it may have come first
            answer.missing.append(
                f"the dates of {len(same)} qualifying event(s) of {day.year}, which may have "
                "come first"
            )
    else:
        horizon = (10_000, None)
    answer.missing += _could_precede(unsure, horizon)
    return answer


def _one_per_driver(events: Iterable[Event]) -> list[Event]:
    """By driver; a driver's result in a race several series count (a combination race) once."""
    kept: dict[int, Event] = {}
    for e in events:
        kept.setdefault(e.driver, e)
    return [kept[d] for d in sorted(kept)]


def _could_precede(
    unsure: list[tuple[Event, tuple[str, ...]]], horizon: tuple[int, dt.date | None]
) -> list[str]:
    """Per unknown attribute, how many qualifying events before the answer lack it."""
    season, day = horizon
    counts: Counter[str] = Counter()
    drivers: dict[str, set[int]] = {}
    for event, unknown in unsure:
        earlier = (
            event.date < day
            if (day is not None and event.date is not None)
            else event.season <= season
        )
        if not earlier:
            continue
        for name in unknown:
            counts[name] += 1
            drivers.setdefault(name, set()).add(event.driver)
    label = dict(_ATTRIBUTES)
    out = []
    for name, _ in _ATTRIBUTES:
        if counts[name]:
            who = f" ({len(drivers[name])} drivers)" if name in ("nationality", "gender") else ""
            before = "before the answer" if day is not None or season < 10_000 else "at all"
            out.append(
                f"{label[name]}: unknown for {counts[name]} qualifying event(s) {before}{who}"
            )
    return out
