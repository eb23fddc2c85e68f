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
    scan = Scan(query)
    for event in sorted(events, key=lambda e: (e.date is None, e.date or dt.date.min)):
        if not scan.past(event.date):
            scan.add(event)
    return scan.answer()


class Scan:
    """``first`` one event at a time, for a caller that reads events from a database: dated
    events in date order (``past`` says when to stop reading), then the undated ones, in any
    order. It keeps the answer's candidates (the first day's events, the undated events of the
    earliest season), how many undated events share the first day's season, and per unknown
    attribute and season how many qualifying events lack it and whose they are: not the
    events themselves, which may be every result of the record."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.dated: list[Event] = []  # the first day's qualifying events
        self.undated: list[Event] = []  # those of the earliest season seen without a date
        self.undated_that_year = 0  # undated, in the first day's season
        self.lacking: dict[str, dict[int, tuple[int, set[int]]]] = {}

    def past(self, day: dt.date | None) -> bool:
        """Whether a dated event of *day* comes after the answer found so far."""
        return day is not None and bool(self.dated) and day > self.dated[0].date  # type: ignore[operator]

    def add(self, event: Event) -> None:
        if not achieved(self.query.event, event):
            return
        verdicts = {
            name: same_attribute(name, getattr(self.query, name), getattr(event, name))
            for name, _ in _ATTRIBUTES
        }
        if any(v is False for v in verdicts.values()):
            return
        unknown = [name for name, v in verdicts.items() if v is None]
        if not unknown and event.date is not None:
            self.dated.append(event)
        elif not unknown:
            if self.dated and event.season == self.dated[0].date.year:  # type: ignore[union-attr]
                self.undated_that_year += 1
            if not self.undated or event.season < self.undated[0].season:
                self.undated = [event]
            elif event.season == self.undated[0].season:
                self.undated.append(event)
        elif event.date is None or not self.dated:  # dated: before the first day found
            for name in unknown:
                count, drivers = self.lacking.setdefault(name, {}).get(event.season, (0, set()))
                drivers.add(event.driver)
                self.lacking[name][event.season] = (count + 1, drivers)

    def answer(self) -> Answer:
        answer = Answer()
        day = self.dated[0].date if self.dated else None
        season = min((e.season for e in self.undated), default=None)
        if season is not None and (day is None or season < day.year):
            # An undated event of an earlier season came first, whatever its day.
            answer.answers = _one_per_driver(self.undated)
            last = season
            answer.missing.append(f"the answers' dates: known only as the {season} season")
        elif day is not None:
            answer.answers = _one_per_driver(self.dated)
            last = day.year
            if self.undated_that_year:  # the same season, no date: it may have come first
                answer.missing.append(
                    f"the dates of {self.undated_that_year} qualifying event(s) of {day.year}, "
                    "which may have come first"
                )
        else:
            last = 10_000
        answer.missing += self._could_precede(last, found=bool(answer.answers))
        return answer

    def _could_precede(self, last: int, found: bool) -> list[str]:
        """Per unknown attribute, how many qualifying events up to the answer lack it."""
        label = dict(_ATTRIBUTES)
        out = []
        for name, _ in _ATTRIBUTES:
            seasons = {s: v for s, v in self.lacking.get(name, {}).items() if s <= last}
            count = sum(n for n, _ in seasons.values())
            if not count:
                continue
            drivers: set[int] = set().union(*(d for _, d in seasons.values()))
            who = f" ({len(drivers)} drivers)" if name in ("nationality", "gender") else ""
            before = "before the answer" if found else "at all"
            out.append(f"{label[name]}: unknown for {count} qualifying event(s) {before}{who}")
        return out


def _one_per_driver(events: Iterable[Event]) -> list[Event]:
    """By driver; a driver's result in a race several series count (a combination race) once."""
    kept: dict[int, Event] = {}
    for e in events:
        kept.setdefault(e.driver, e)
    return [kept[d] for d in sorted(kept)]
