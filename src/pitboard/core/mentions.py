"""Finding what an article mentions: drivers, people, tracks, teams and series, by the names
the record book holds, with a confidence for each link and proposals for names that match
nothing.

One pass of a multi-pattern matcher (Aho-Corasick, pyahocorasick) over the text finds every
known name; the longest wins where two overlap. A name several entities go by is narrowed by the
article's season (the driver racing then, the series called so then) and by what else the
article mentions (a driver of a series it names). A surname alone links the person named in
full earlier in the article. Capitalized names that match nothing are compared with the known
names (rapidfuzz): a close one links with a lower confidence, others are proposed for review,
never created. Nothing here touches a database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick
from rapidfuzz import fuzz, process

from pitboard.core.news import normalized

DRIVER, PERSON, TRACK, TEAM, SERIES = "driver", "person", "track", "team", "series"
KINDS = (DRIVER, PERSON, TRACK, TEAM, SERIES)

# A fuzzy match at or above this score links (at a lower confidence); below it, a proposal.
FUZZY_LINK = 92
FUZZY_PROPOSE = 80
# Words that end a track's name and may be left out in print ("at Kansas", "Motor Mile").
_TRACK_WORDS = (
    "international speedway", "motor speedway", "superspeedway", "speedway", "raceway",
    "motorsports park", "motorsport park", "international raceway",
)  # fmt: skip
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(frozen=True)
class Name:
    """A name an entity goes by, with what narrows it: the seasons it was used (a series'
    name, a driver's career) and the series the entity raced or is."""

    text: str
    kind: str
    ident: int
    label: str  # the entity's own name, for showing
    first: int | None = None
    last: int | None = None
    series: frozenset[str] = frozenset()
    short: bool = False  # a shortened form ("Kansas" for Kansas Speedway): weaker evidence


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    kind: str
    ident: int | None  # None: proposed for review
    label: str
    confidence: float
    method: str  # exact, short, surname, fuzzy, proposed
    candidates: tuple[tuple[int, str], ...] = ()


@dataclass
class Gazetteer:
    """Every name, and the matcher built over them."""

    names: list[Name]
    automaton: ahocorasick.Automaton = field(init=False)
    by_key: dict[str, list[Name]] = field(init=False)
    series_slugs: dict[int, frozenset[str]] = field(init=False)  # a series' id → its slugs

    def __post_init__(self) -> None:
        self.series_slugs = {}
        for name in self.names:
            if name.kind == SERIES:
                self.series_slugs[name.ident] = (
                    self.series_slugs.get(name.ident, frozenset()) | name.series
                )
        self.by_key = defaultdict(list)
        for name in self.names:
            key = _key(name.text)
            if len(key) >= 3:
                self.by_key[key].append(name)
        self.automaton = ahocorasick.Automaton()
        for key in self.by_key:
            self.automaton.add_word(key, key)
        if self.by_key:
            self.automaton.make_automaton()


def _key(text: str) -> str:
    """A name as matched: normalized, hyphens as spaces ("Whelen All-American")."""
    return normalized(text).replace("-", " ")


def track_short(name: str) -> str | None:
    """A track's name without its last generic words: "Kansas" for Kansas Speedway."""
    lowered = name.lower()
    for words in _TRACK_WORDS:
        if lowered.endswith(" " + words):
            short = name[: -len(words) - 1].strip()
            return short if len(short) >= 4 else None
    return None


def series_forms(name: str) -> set[str]:
    """The ways a series' name is written: as it is; without "NASCAR"; the kind of car with
    "Series" ("Truck Series" for the NASCAR Camping World Truck Series); a regional series by
    its first word and region ("K&N East", "ARCA West")."""
    bare = re.sub(r"^NASCAR\s+", "", name)
    forms = {name, bare}
    kind = re.search(r"\b(Truck|Cup|Xfinity|Nationwide|Busch|Grand National) Series$", bare)
    if kind:
        forms.add(kind.group())
    region = re.match(r"(\S+)\s.*\bSeries (East|West)$", bare)
    if region:
        forms.add(f"{region.group(1)} {region.group(2)}")
    return forms


def surname(name: str) -> str | None:
    words = [w for w in name.split() if w.lower().strip(",") not in _SUFFIXES]
    return words[-1] if len(words) >= 2 else None


def find(
    text: str,
    gazetteer: Gazetteer,
    season: int | None = None,
    places: Iterable[str] = (),
) -> list[Mention]:
    """The mentions in *text* in order: links (kind, entity, confidence) and proposals.
    *season*: the article's year; *places*: place names (states, provinces, countries) a
    shortened track name must not be taken for."""
    flat = _flat(text)
    found: list[tuple[int, int, str]] = []
    if gazetteer.by_key:
        for end, key in gazetteer.automaton.iter(flat):
            start = end - len(key) + 1
            if _bounded(flat, start, end + 1):
                found.append((start, end + 1, key))
    # Longest leftmost first; a match inside a longer one is dropped.
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen: list[tuple[int, int, str]] = []
    for match in found:
        if chosen and match[0] < chosen[-1][1]:
            continue
        chosen.append(match)
    avoid = {_key(p) for p in places}
    mentions: list[Mention] = []
    for start, end, key in chosen:
        names = gazetteer.by_key[key]
        if all(n.short for n in names) and not _short_fits(text, start, key, avoid):
            continue
        mentions.append(_link(text, start, end, names, season, mentions))
    linked_series: set[str] = set()
    for m in mentions:
        if m.kind == SERIES and m.ident is not None:
            linked_series |= gazetteer.series_slugs.get(m.ident, frozenset())
    mentions = [_narrow(m, gazetteer, linked_series) for m in mentions]
    mentions = _surnames(text, mentions)
    mentions += _proposals(text, mentions, gazetteer, avoid)
    return sorted(mentions, key=lambda m: m.start)


_PREPOSITIONS = {"at", "in", "to", "from", "of", "on", "near", "won", "win"}


def _short_fits(text: str, start: int, key: str, avoid: set[str]) -> bool:
    """Whether a shortened track name ("Kansas") is the track here: capitalized, and right
    after "at", or else not a place name and, for one word, after a preposition."""
    if not text[start].isupper():
        return False
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 12) : start])
    previous = before[-1].lower() if before else ""
    if previous == "at":  # "at Kansas": the track, even where a state has the name
        return True
    if key in avoid:
        return False
    if " " in key or previous in _PREPOSITIONS:
        return True
    # "the fall Martinsville race", "his Kansas win"
    return _RACE_AFTER.match(text, start + len(key)) is not None


_RACE_AFTER = re.compile(r"\W*\s(?:race|win|victory|finale|opener)\b", re.IGNORECASE)


_SAME_LENGTH = str.maketrans("‘’“”–—‑-\xa0\r\n\t", "''\"\"        ")


def _flat(text: str) -> str:
    """The text as names are matched, character for character (offsets stay the text's):
    lower case, quotes plain, dashes and hyphens as spaces; a letter whose lower case is
    longer ("İ") becomes a space."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else " " for c in text)
    return lowered.translate(_SAME_LENGTH)


def _bounded(flat: str, start: int, end: int) -> bool:
    before = flat[start - 1] if start > 0 else " "
    after = flat[end] if end < len(flat) else " "
    return not before.isalnum() and not after.isalnum()


def _link(
    text: str,
    start: int,
    end: int,
    names: list[Name],
    season: int | None,
    earlier: list[Mention],
) -> Mention:
    ranked = _rank(names, season)
    best = ranked[0]
    idents = {(n.kind, n.ident) for n in ranked}
    confidence = 1.0 if len(idents) == 1 else 0.5 + 0.5 / len(idents)
    if best.short:
        confidence *= 0.8
    return Mention(
        text[start:end],
        start,
        end,
        best.kind,
        best.ident,
        best.label,
        round(confidence, 2),
        "short" if best.short else "exact",
        tuple(dict.fromkeys((n.ident, n.label) for n in ranked)),
    )


def _rank(names: list[Name], season: int | None) -> list[Name]:
    """Names by how well they fit the article's season: in use then, else nearest; a person
    before a team named after them (an owner's "Ron Hornaday Jr." is the driver in prose)."""

    def distance(n: Name) -> int:
        if season is None or n.first is None:
            return 0
        last = n.last if n.last is not None else season
        return 0 if n.first <= season <= last else min(abs(season - n.first), abs(season - last))

    return sorted(
        names, key=lambda n: (n.kind == TEAM, distance(n), n.short, -(n.last or 0), n.ident)
    )


def _narrow(mention: Mention, gazetteer: Gazetteer, series: set[str]) -> Mention:
    """A driver several people go by: the one of a series the article names, if one is."""
    if mention.kind != DRIVER or len(mention.candidates) < 2 or not series:
        return mention
    names = gazetteer.by_key.get(_key(mention.text), [])
    fitting = [n for n in names if n.kind == DRIVER and n.series & series]
    if len({n.ident for n in fitting}) == 1:
        n = fitting[0]
        return Mention(
            mention.text, mention.start, mention.end, n.kind, n.ident, n.label, 0.9,
            mention.method, mention.candidates,
        )  # fmt: skip
    return mention


def _surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """A person's surname alone, after the person was named in full: that person."""
    people = [m for m in mentions if m.kind in (DRIVER, PERSON) and m.ident is not None]
    if not people:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    by_surname: dict[str, list[Mention]] = defaultdict(list)
    for m in people:
        last = surname(m.label)
        if last:
            by_surname[last].append(m)
    for last, named in by_surname.items():
        for match in re.finditer(rf"\b{re.escape(last)}\b", text):
            start, end = match.span()
            if any(s <= start < e for s, e in taken) or _inside_a_name(text, start, end):
                continue
            before = [m for m in named if m.start < start]
            if not before:
                continue
            who = {(m.kind, m.ident) for m in before}
            if len(who) > 1:
                continue  # two people of that surname named before: say neither
            m = before[-1]
            extra.append(
                Mention(text[start:end], start, end, m.kind, m.ident, m.label, 0.9, "surname")
            )
    return mentions + extra


_STOP = {
    "The", "A", "An", "In", "On", "At", "For", "And", "But", "Her", "His", "She", "He", "It",
    "When", "While", "After", "Before", "Now", "Then", "This", "That", "Among", "Like", "So",
    "Instead", "However", "Indeed", "Because", "Being", "Having", "Working", "Moving", "Racing",
    "Following", "Post", "Speed", "Nowadays", "All", "You", "I", "We", "They", "My", "Our",
    "Once", "By", "Since", "With", "Without", "If", "As", "Amazingly", "Left", "Another",
}  # fmt: skip
# Classes of car and kinds of racing: capitalized in print, but no entity to link.
_CLASSES = {
    "late model", "late models", "late model stock car", "limited sportsman", "mini sprints",
    "sprint cars", "spring cars", "midget", "midgets", "super late model", "pro late model",
    "legends", "modifieds", "street stock", "pure stock", "go karts", "dirt late model",
}  # fmt: skip


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end is one word of a longer capitalized name ("Kurt Busch",
    "Busch Light Clash"): then it is not a surname alone."""
    before = re.search(r"([\w.'’-]+) $", text[max(0, start - 40) : start])
    after = re.match(r" ([\w'’-]+)", text[end : end + 40])
    # A word before that ends a sentence ("Clash. Busch said") is not part of the name; an
    # initial ("J. Busch") is.
    if before and before.group(1).endswith(".") and len(before.group(1).rstrip(".")) > 1:
        before = None
    capital = [m.group(1) for m in (before, after) if m]
    return any(w[0].isupper() and w not in _STOP for w in capital)


_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "A.J.", "J.": a name goes on after them


def _capitalized(text: str) -> list[tuple[int, int]]:
    """Runs of two or more capitalized words (a name, likely), leading stop words left out."""
    runs: list[list[re.Match[str]]] = []
    for token in re.finditer(r"[\w&'’.-]+", text):
        word = token.group().rstrip(".,’'")
        if not word or not word[0].isupper():
            continue
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and text[last.end() : token.start()] == " "
            and (not last.group().endswith(".") or _INITIALS.fullmatch(last.group()))
        ):
            runs[-1].append(token)
        else:
            runs.append([token])
    spans = []
    for run in runs:
        while run and run[0].group() in _STOP:
            run = run[1:]
        while run and len(run[-1].group().rstrip(".,’'")) == 1:  # "Once I grew": no name
            run = run[:-1]
        if len(run) >= 2:
            end = run[-1].start() + len(run[-1].group().rstrip(".,’'"))
            spans.append((run[0].start(), end))
    return spans


def _proposals(
    text: str, mentions: list[Mention], gazetteer: Gazetteer, avoid: set[str]
) -> list[Mention]:
    """Capitalized names no known name covers (places and classes of car aside): a close known
    name links with a lower confidence; anything else is proposed for review, with the closest
    names as candidates."""
    taken = [(m.start, m.end) for m in mentions]
    keys = [k for k, names in gazetteer.by_key.items() if not all(n.short for n in names)]
    out: list[Mention] = []
    for start, end in _capitalized(text):
        phrase = text[start:end]
        key = _key(phrase)
        if key in avoid or key in _CLASSES or any(s < end and start < e for s, e in taken):
            continue
        close = process.extract(key, keys, scorer=fuzz.ratio, limit=3)
        best = [(k, score) for k, score, _ in close if score >= FUZZY_PROPOSE]
        if best and best[0][1] >= FUZZY_LINK:
            n = _rank(gazetteer.by_key[best[0][0]], None)[0]
            confidence = round(best[0][1] / 100 * 0.8, 2)
            out.append(Mention(phrase, start, end, n.kind, n.ident, n.label, confidence, "fuzzy"))
        else:
            candidates = tuple((n.ident, n.label) for k, _ in best for n in gazetteer.by_key[k][:1])
            kind = gazetteer.by_key[best[0][0]][0].kind if best else ""
            out.append(Mention(phrase, start, end, kind, None, "", 0.0, "proposed", candidates))
    return out
