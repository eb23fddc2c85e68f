"""Careers as sourced statements: what each property's value holds, how a statement is checked,
what a reported age says of a birth year, and the stat line of a set of counts.

A statement (the way Wikidata holds them) is a subject, a property, a value, qualifiers that
narrow it (from/to, series, team, race, as of), a rank and the references it rests on. This
module knows the properties and checks statements; storing them is the careers app's job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Rank(StrEnum):
    PREFERRED = "preferred"  # an editor chose it over statements that disagree
    NORMAL = "normal"
    DEPRECATED = "deprecated"  # kept and shown as such, with the reason


# What a statement may be about.
SUBJECTS = ("person", "track", "series")

# Value kinds: how a field of a value or qualifier is written and checked.
TEXT, INT, DATE, PERSON, SERIES, YEARS, BOOL = (
    "text",
    "int",
    "date",
    "person",
    "series",
    "years",
    "bool",
)


@dataclass(frozen=True)
class Property:
    name: str
    label: str
    required: Mapping[str, str]  # field → kind
    optional: Mapping[str, str]
    choices: Mapping[str, tuple[str, ...]] | None = None  # field → allowed values
    about: tuple[str, ...] = ("person",)  # the kinds of subject it may be said of
    any_of: tuple[str, ...] = ()  # optional fields of which at least one is given


_SEASON_COUNTS = {
    "starts": INT,
    "wins": INT,
    "podiums": INT,
    "top5": INT,
    "top10": INT,
    "poles": INT,
    "points": INT,
    "position": INT,
}

PROPERTIES: dict[str, Property] = {
    p.name: p
    for p in (
        Property("name", "name", {"name": TEXT}, {}),
        Property(
            "location",
            "location",
            {},
            {"city": TEXT, "region": TEXT, "country": TEXT},
            about=("track",),
            any_of=("city", "region", "country"),
        ),
        Property(
            "series_name",
            "name",
            {"name": TEXT},
            {"season": INT, "current": BOOL},
            about=("series",),
        ),
        Property("birth_date", "born", {"date": DATE}, {}),
        Property("age", "age", {"years": INT}, {"as_of": DATE}),
        Property("birthplace", "birthplace", {"place": TEXT}, {}),
        Property("hometown", "from", {"place": TEXT}, {}),
        Property("residence", "lives in", {"place": TEXT}, {"moved": TEXT}),
        Property("nationality", "nationality", {"country": TEXT}, {}),
        Property("gender", "gender, as self-described", {"gender": TEXT}, {}),
        Property("began_racing", "began racing", {"discipline": TEXT}, {"age": INT, "year": INT}),
        Property(
            "team_stint",
            "team",
            {"seasons": YEARS},
            {
                "team": TEXT,
                "series": SERIES,
                "division": TEXT,
                "schedule": TEXT,
                "car": TEXT,
                "status": TEXT,
                "races": INT,
            },
            {"schedule": ("full-time", "part-time"), "status": ("announced", "actual")},
        ),
        Property(
            "relative",
            "family",
            {"person": PERSON, "relation": TEXT},
            {},
            {"relation": ("parent", "grandparent", "sibling", "cousin", "uncle", "aunt", "child")},
        ),
        Property("coached_by", "coached by", {"person": PERSON}, {"seasons": YEARS}),
        Property(
            "injury",
            "injury",
            {"injury": TEXT},
            {
                "date": DATE,
                "season": INT,
                "event": TEXT,
                "track": TEXT,
                "series": SERIES,
                "months_out": INT,
                "races_missed": INT,
                "raced_injured": BOOL,
            },
        ),
        Property("funding", "funding", {"note": TEXT}, {}),
        Property(
            "social_following",
            "social following",
            {"platform": TEXT, "count": INT},
            {"measure": TEXT, "bound": TEXT},
            {"bound": ("over", "about", "exactly")},
        ),
        Property("education", "education", {"field": TEXT}, {"completed": BOOL}),
        Property("occupation", "also", {"occupation": TEXT}, {}),
        Property("program", "programme", {"name": TEXT}, {}),
        Property(
            "titles",
            "championships",
            {"what": TEXT},
            {"count": INT, "series": SERIES, "division": TEXT},
        ),
        Property(
            "season_summary",
            "season, as reported",
            {"season": INT},
            {"series": SERIES, "division": TEXT, "track": TEXT, **_SEASON_COUNTS},
        ),
        Property(
            "race_result",
            "race, as reported",
            {"season": INT, "finish": INT},
            {
                "date": DATE,
                "track": TEXT,
                "series": SERIES,
                "division": TEXT,
                "sanction": TEXT,
                "country": TEXT,
                "start": INT,
                "note": TEXT,
            },
        ),
        Property(
            "milestone",
            "milestone",
            {"what": TEXT},
            {"date": DATE, "season": INT, "track": TEXT, "sanction": TEXT, "country": TEXT},
        ),
    )
}

# Qualifiers any statement may carry besides its value.
QUALIFIERS = {"from": DATE, "to": DATE, "note": TEXT}


class InvalidStatement(ValueError):
    """A statement the properties do not allow; *field* names the part that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def check(
    prop: str, value: Mapping[str, Any], qualifiers: Mapping[str, Any], about: str = "person"
) -> None:
    """Raise InvalidStatement unless *value* and *qualifiers* fit the property, said of a
    subject of the kind *about* (a person, a track, a series)."""
    spec = PROPERTIES.get(prop)
    if spec is None:
        raise InvalidStatement(
            "property", f"unknown property {prop!r} (known: {', '.join(PROPERTIES)})"
        )
    if about not in spec.about:
        raise InvalidStatement(
            "property", f"{prop} is said of a {' or a '.join(spec.about)}, not of a {about}"
        )
    if spec.any_of and all(value.get(name) in (None, "") for name in spec.any_of):
        given = ", ".join(spec.any_of)
        raise InvalidStatement(f"value.{spec.any_of[0]}", f"{prop} needs one of {given}")
    for name in spec.required:
        if value.get(name) in (None, "", []):
            raise InvalidStatement(f"value.{name}", f"{prop} needs {name}")
    kinds = {**spec.required, **spec.optional}
    for name, given in value.items():
        if name not in kinds:
            raise InvalidStatement(f"value.{name}", f"{prop} has no field {name!r}")
        _check_kind(f"value.{name}", kinds[name], given)
        allowed = (spec.choices or {}).get(name)
        if allowed and given not in allowed:
            raise InvalidStatement(f"value.{name}", f"{given!r} is not one of {', '.join(allowed)}")
    for name, given in qualifiers.items():
        if name not in QUALIFIERS:
            raise InvalidStatement(f"qualifiers.{name}", f"unknown qualifier {name!r}")
        _check_kind(f"qualifiers.{name}", QUALIFIERS[name], given)


def _check_kind(field: str, kind: str, given: Any) -> None:
    ok = {
        TEXT: isinstance(given, str) and given.strip() != "",
        INT: isinstance(given, int) and not isinstance(given, bool) and given >= 0,
        BOOL: isinstance(given, bool),
        DATE: isinstance(given, dt.date) or _is_iso_date(given),
        PERSON: isinstance(given, str) and given != "",
        SERIES: isinstance(given, str) and given != "",
        YEARS: isinstance(given, list)
        and bool(given)
        and all(isinstance(y, int) and 1900 < y < 2200 for y in given),
    }[kind]
    if not ok:
        raise InvalidStatement(field, f"{given!r} is not a {kind}")


def _is_iso_date(given: Any) -> bool:
    if not isinstance(given, str):
        return False
    try:
        dt.date.fromisoformat(given)
    except ValueError:
        return False
    return True


def born_between(years: int, as_of_from: dt.date, as_of_to: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest birth dates of someone *years* old on some day between the two
    dates: aged N on day D means born after D less N+1 years and on or before D less N years."""
    earliest = _years_before(as_of_from, years + 1) + dt.timedelta(days=1)
    latest = _years_before(as_of_to, years)
    return earliest, latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def overlap(spans: Iterable[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date] | None:
    """The days every span shares, or None when two of them exclude each other."""
    spans = list(spans)
    if not spans:
        return None
    start = max(s for s, _ in spans)
    end = min(e for _, e in spans)
    return (start, end) if start <= end else None


# Stat lines ------------------------------------------------------------------------------------

_WORDS = {
    "wins": ("win", "wins"),
    "podiums": ("podium", "podiums"),
    "top5": ("top five", "top fives"),
    "top10": ("top ten", "top tens"),
    "poles": ("pole", "poles"),
}


def statline(counts: Mapping[str, int | None], *, starts_word: str = "starts") -> str:
    """ "1 win, 7 podiums and 12 top fives in 13 starts": the counts given, in that order,
    joined as a writer would. Counts not known (None) are left out, and so are zeros, unless
    every count is zero ("0 wins in 20 starts")."""
    given = [(name, counts[name]) for name in _WORDS if counts.get(name) is not None]
    shown = [(name, n) for name, n in given if n] or given[:1]
    parts = [f"{n} {_WORDS[name][0] if n == 1 else _WORDS[name][1]}" for name, n in shown]
    starts = counts.get("starts")
    start_words = f"{starts} {starts_word.rstrip('s') if starts == 1 else starts_word}"
    if not parts:
        return "" if starts is None else start_words
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{text} in {start_words}" if starts is not None else text


# The numbers a statement states, to hold against the text it cites -------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "sixth": 6, "seventh": 7, "eighth": 8,
}  # fmt: skip
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def stated_numbers(value: Mapping[str, Any], qualifiers: Mapping[str, Any]) -> set[str]:
    """Every number a statement gives, as the tokens a text would show it by: integers as
    themselves, a date as its year, its day and its month's name."""
    found: set[str] = set()
    for part in (value, qualifiers):
        for given in part.values():
            for item in given if isinstance(given, list) else [given]:
                if isinstance(item, bool):
                    continue
                if isinstance(item, int):
                    found.add(str(item))
                elif isinstance(item, str) and _is_iso_date(item):
                    day = dt.date.fromisoformat(item)
                    found |= {str(day.year), str(day.day), _MONTHS[day.month - 1]}
    return found


def numbers_in(text: str) -> set[str]:
    """The numbers a text gives, in the tokens ``stated_numbers`` uses: digits (commas as
    thousands separators dropped, ordinals' suffixes too), number words and month names."""
    lowered = text.lower()
    found = {m.replace(",", "") for m in re.findall(r"\d[\d,]*\d|\d", lowered)}
    found |= {str(int(n)) for n in found}  # "08" → "8"
    for word in re.findall(r"[a-z]+", lowered):
        if word in _NUMBER_WORDS:
            found.add(str(_NUMBER_WORDS[word]))
        if word in _MONTHS:
            found.add(word)
    return found


# Statements in words --------------------------------------------------------------------------


def years_text(years: list[int]) -> str:
    """2019–2021 for a run of seasons, else the seasons listed."""
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def describe(
    prop: str,
    value: Mapping[str, Any],
    other: str | None = None,
    series: Mapping[str, str] | None = None,
) -> str:
    """A statement's value in a line of plain words, *other* being the name of the person it
    names and *series* the names of series slugs."""
    series = series or {}
    v = dict(value)
    named = series.get(v.get("series", ""), v.get("series"))
    where = ", ".join(str(p) for p in (named, v.get("division"), v.get("track")) if p)
    if prop == "team_stint":
        parts = [years_text(v["seasons"]), v.get("team"), where or None, v.get("schedule")]
        if v.get("races") is not None:
            parts.append(f"{v['races']} races")
        text = ", ".join(str(p) for p in parts if p)
        return f"{text} (announced)" if v.get("status") == "announced" else text
    if prop in ("relative", "coached_by"):
        who = other or v.get("person", "")
        rest = relation_rest(prop, v)
        return f"{who} {rest}" if rest.startswith("(") else ", ".join(p for p in (who, rest) if p)
    if prop == "season_summary":
        counts = statline(
            {k: v.get(k) for k in ("starts", "wins", "podiums", "top5", "top10", "poles")}
        )
        tail = [
            f"{ordinal(v['position'])} in points" if v.get("position") else "",
            f"{v['points']} points" if v.get("points") is not None else "",
        ]
        return ": ".join(
            p
            for p in (f"{v['season']} {where}".strip(), ", ".join(t for t in [counts, *tail] if t))
            if p
        )
    if prop == "race_result":
        head = v.get("date") or str(v["season"])
        text = f"{head}, {where}: finished {ordinal(v['finish'])}"
        if v.get("start"):
            text += f" from {ordinal(v['start'])} on the grid"
        return f"{text} ({v['note']})" if v.get("note") else text
    if prop == "injury":
        when = v.get("date") or v.get("season")
        text = ", ".join(str(p) for p in (when, v.get("event"), where) if p)
        text = f"{text}: {v['injury']}" if text else v["injury"]
        if v.get("months_out"):
            text += f"; {v['months_out']} months out"
        if v.get("raced_injured"):
            text += "; raced on injured"
        return text
    if prop == "titles":
        return f"{v['count']} {v['what']}" if v.get("count") else v["what"]
    if prop == "social_following":
        bound = {"over": "over ", "about": "about "}.get(v.get("bound", ""), "")
        count = f"{v['platform']}: {bound}{v['count']:,} {v.get('measure', 'followers')}"
        return f"{count} (as of the publication)"
    if prop == "began_racing":
        at = f" at {v['age']}" if v.get("age") is not None else ""
        return f"{v['discipline']}{at}" + (f" ({v['year']})" if v.get("year") else "")
    if prop == "age":
        return (
            f"{v['years']} (as of {v['as_of']})"
            if v.get("as_of")
            else (f"{v['years']} (as of the publication)")
        )
    if prop == "residence":
        return f"{v['place']} (moved {v['moved']})" if v.get("moved") else v["place"]
    if prop == "location":
        return ", ".join(str(v[k]) for k in ("city", "region", "country") if v.get(k))
    if prop == "series_name":
        when = f" (in {v['season']})" if v.get("season") else ""
        now = " (its name as of the publication)" if v.get("current") else ""
        return f"{v['name']}{when}{now}"
    if prop == "milestone":
        return f"{v['what']} ({v['date']})" if v.get("date") else v["what"]
    first = PROPERTIES[prop].required if prop in PROPERTIES else {}
    return ", ".join(str(v[k]) for k in first if k in v) or ", ".join(str(x) for x in v.values())


def relation_rest(prop: str, value: Mapping[str, Any]) -> str:
    """What a relationship says besides the person it names: "(parent)", "2016",
    "(parent), 2016"."""
    parts = [f"({value['relation']})"] if prop == "relative" else []
    if value.get("seasons"):
        parts.append(years_text(value["seasons"]))
    return ", ".join(parts)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
