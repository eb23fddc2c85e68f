"""Checking the figures a story states: finishing and starting positions, laps led, counts
(wins, top fives, top tens, podiums, DNFs, poles, starts) over a race, a season, two seasons or
a career, career-best / first / only, standings position and points, ages, championships and
the number of rounds in a season.

Each claim is found by a typed template over a sentence, about a subject (the driver named, or
the one a pronoun or a quotation refers to), in a scope (a race at a track in a season, a
season, a career, in a series) taken from the sentence or the sentences before it. Its verdict
comes from the record as it stood on the day the story was published: a race run after that
day is not read. ``supported`` and ``contradicted`` carry the rows read (the evidence) and what
was asked of them (the query); ``unverifiable`` says what is missing. A hoped-for or future
figure ("should get a podium", "will race") is not a claim. Nothing here touches a database:
the record is read through the :class:`Record` protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from pitboard.core.mentions import DRIVER, PERSON, SERIES, TRACK, Mention

SUPPORTED, CONTRADICTED, UNVERIFIABLE = "supported", "contradicted", "unverifiable"

# Predicates --------------------------------------------------------------------------------------
FINISH, START, LAPS_LED = "finish", "start", "laps_led"
COUNTS = ("wins", "top5", "top10", "podiums", "dnf", "poles", "starts")
BEST, FIRST_WIN, ONLY_WIN = "best_finish", "first_win", "only_win"
POSITION, POINTS, AGE, ROUNDS, TITLES = "standing", "points", "age", "rounds", "championships"
# How a page says what a claim is about.
LABELS = {
    FINISH: "finishing position", START: "starting position", LAPS_LED: "laps led",
    "wins": "wins", "top5": "top-five finishes", "top10": "top-ten finishes",
    "podiums": "podium finishes", "dnf": "DNFs", "poles": "poles", "starts": "starts",
    BEST: "best finish", FIRST_WIN: "first win", ONLY_WIN: "only win",
    POSITION: "standings position", POINTS: "points", AGE: "age", ROUNDS: "races in the season",
    TITLES: "championships",
}  # fmt: skip
PREDICATES = tuple(LABELS)

# Numbers -----------------------------------------------------------------------------------------
_UNITS = re.findall(
    r"\w+",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen",
)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_ORD_UNITS = re.findall(
    r"\w+",
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
    " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth",
)
_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40}
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
CARDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)} | dict(_TENS)
ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORD_UNITS)} | dict(_ORD_TENS)
for _ten, _n in _TENS.items():  # twenty-one, thirty-second…
    for _i, _unit in enumerate(_UNITS[:9]):
        CARDINALS[f"{_ten}-{_unit}"] = _n + _i + 1
    if _n <= 40:
        for _i, _unit in enumerate(_ORD_UNITS[:9]):
            ORDINALS[f"{_ten}-{_unit}"] = _n + _i + 1


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


NUM = rf"(?:\d{{1,4}}(?:,\d{{3}})?|{_alternatives(CARDINALS)})"
ORD = rf"(?:\d{{1,2}}(?:st|nd|rd|th)|P\d{{1,2}}|{_alternatives(ORDINALS)})"


def number(text: str) -> int | None:
    word = text.strip().lower().replace("–", "-")
    if word.startswith("p") and word[1:].isdigit():
        return int(word[1:])
    digits = re.match(r"(\d[\d,]*)", word)
    if digits:
        return int(digits.group(1).replace(",", ""))
    return CARDINALS.get(word) or ORDINALS.get(word) or _TIMES.get(word)


# The record ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One result of a driver, as claims read it."""

    race: int
    series: str
    season: int
    round: int
    day: date | None
    track: int
    track_name: str
    start: int | None
    finish: int | None
    laps_led: int | None
    dnf: bool
    name: str = ""  # the race's
    also: tuple[str, ...] = ()  # the other series a combination race counts for

    def counts_for(self, series: str) -> bool:
        return self.series == series or series in self.also

    def row(self) -> dict[str, Any]:
        return {
            "series": self.series, "season": self.season, "round": self.round,
            "date": self.day.isoformat() if self.day else None, "track": self.track_name,
            "start": self.start, "finish": self.finish, "laps_led": self.laps_led,
        }  # fmt: skip


@dataclass(frozen=True)
class Reported:
    """An age a source gave, on a day between *first* and *last* (when it was published, as far
    as that is known)."""

    years: int
    first: date
    last: date
    source: str


class Record(Protocol):
    """What claims read: a database adapter gives it."""

    def lines(self, person: int) -> list[Line]: ...

    def schedule(self, series: str, season: int) -> list[tuple[int, date | None, int]]:
        """(round, day, track) of every race of a season; empty where it is not held."""
        ...

    def standing(
        self, series: str, season: int, after_round: int, person: int
    ) -> tuple[int, int] | None:
        """(position, points) after a round; None where there are no standings."""
        ...

    def champions(self, series: str) -> dict[int, int] | None:
        """season → the person who won that season's drivers' standings; None: no standings."""
        ...

    def birth(self, person: int) -> tuple[date | None, list[Reported]]: ...


# Claims ------------------------------------------------------------------------------------------


@dataclass
class Claim:
    text: str
    start: int
    end: int
    sentence: str  # the sentence the claim is in
    predicate: str
    value: int | None  # None: a best finish whose race the text names without its place
    subject: int | None = None  # a person's id (a series' for rounds)
    subject_name: str = ""
    series: str | None = None
    season: int | None = None
    seasons: int = 1  # "in two seasons": the season and the one before it
    tracks: tuple[int, ...] = ()
    track_name: str = ""
    track_inferred: bool = False  # the track is the one sentences before named
    scope: str = "race"  # race, season, career
    quoted: bool = False
    verdict: str = UNVERIFIABLE
    correct: Any = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    query: str = ""
    why: str = ""
    context: str = ""  # the two sentences before: a race's name, "this season"
    other_series: str = ""  # a series named beside it that the record does not hold

    def document(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "subject": self.subject_name or None,
            "subject_id": self.subject,
            "predicate": self.predicate,
            "value": self.value,
            "scope": {
                "kind": self.scope,
                "series": self.series,
                "season": self.season,
                "seasons": self.seasons,
                "track": self.track_name or None,
            },
            "quoted": self.quoted,
            "verdict": self.verdict,
            "correct_value": self.correct,
            "evidence": self.evidence,
            "query": self.query,
            "why": self.why or None,
        }


# Finding claims ----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+(?:[\"”’']+)?|\n|$)")
_YEAR = re.compile(r"(?<!since )(?<!before )(?<!until )\b(19[4-9]\d|20[0-4]\d)\b")
_FUTURE = re.compile(
    r"\b(?:will|would|could|can|should(?:n[’']t)?|shall|might|(?-i:may)|hop(?:e|es|ed|ing)|aim(?:s|ing)?|"
    r"plans?|planning|wants?|wanted|wish|looking forward|can[’']t wait|going to|expects?|"
    r"expected|chance to|try(?:ing)? to|dream(?:s|ed)? of|goals?|targets?|objective|ambition|"
    r"set to|no reason|next (?:year|season|week|race)|need(?:s|ed)? to|"
    r"(?:didn[’']t|did not|doesn[’']t|does not|don[’']t|do not) (?:have|need) to|"
    r"predict(?:s|ed|ion)?|bet(?:ting)? (?:on|against)|imagine|like (?:him|her|them) for)\b",
    re.IGNORECASE,
)
_OBJECT = re.compile(
    r"\b(?:with|from|for|by|to|over|behind|than|beat|beating|ahead of|like|as|of|under)\s*$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I[’']ve|I[’']m|my|we|our|me)\b")
_CLAUSE_BREAK = re.compile(
    r"[,;:—–]|\s-\s|\b(?:and|but|while|when|because|after|where)\b", re.IGNORECASE
)

# A race's own name as printed: capitalized words ending in its distance ("the Atlas 200"), not
# a sentence's first word before a number ("In 20 starts").
_RACE_NAME_PATTERN = (
    r"(?-i:\b(?!(?:In|On|At|With|From|After|Of|For|By|To|And|But|Over|Since|All|Only|Just|"
    r"About|Through|Under|His|Her|Their|The)\s)[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*\s+\d{2,3}\b)"
)
_SEASON_WORDS = r"(?:points?(?: table| standings)?|standings|championship|overall|in points)"
_NAMED = r"(?-i:(?:[A-Z&][\w&'.-]*\s+){0,5})"  # a series' name: "the ARCA Menards Series standings"
_TEMPLATES: list[tuple[str, re.Pattern[str]]] = [
    (
        POSITION,
        re.compile(
            rf"\b(?:finish(?:ed|es|ing)?|(?:completed|completes|completing)|end(?:ed|s|ing)?|placed|was|"
            rf"wound up|sits?|sat)\s+(?:(?:the|her|his|their)\s+(?:{_YEAR.pattern}\s+)?"
            rf"(?:season|year|campaign)\s+)?(?:in\s+)?(?:the\s+)?(?P<n>{ORD})"
            rf"(?:\s+(?:place|position|spot))?\s+(?:overall|(?:in|on)\s+(?:the\s+)?(?:final\s+)?"
            rf"{_NAMED}{_SEASON_WORDS})",
            re.IGNORECASE,
        ),
    ),
    (
        POSITION,
        re.compile(rf"\b(?P<n>{ORD})\s+in\s+(?:the\s+)?(?:final\s+)?{_NAMED}{_SEASON_WORDS}", re.I),
    ),
    (
        POSITION,
        re.compile(
            r"\b(?:atop|on top of|(?:to|at) the (?:top|head) of)\s+the\s+(?:final\s+)?"
            r"(?:standings|points|championship)\b",
            re.IGNORECASE,
        ),
    ),
    (
        POSITION,
        re.compile(
            rf"\b(?P<n>{ORD})[- ]place\s+(?:finish\s+)?in\s+the\s+(?:final\s+)?"
            rf"(?:standings|points|championship)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "clinched the 2021 ARCA Menards Series championship": first in the standings
        POSITION,
        re.compile(
            rf"\b(?:clinch(?:ed|es|ing)?|captured|captures|capturing|wrapped up|wrapping up|"
            rf"secured|secures|securing|won|wins|winning)\s+the\s+(?:{_YEAR.pattern}\s+)?{_NAMED}"
            rf"(?:championship|title|crown)\b"
            rf"(?!\s+(?:race|event|round))",
            re.IGNORECASE,
        ),
    ),
    (
        POINTS,
        re.compile(
            rf"\b(?:with|scor(?:ed|ing)|earn(?:ed|ing)|totall?(?:ed|ing)|had)\s+(?P<n>{NUM})"
            rf"\s+points\b",
            re.IGNORECASE,
        ),
    ),
    (
        ROUNDS,
        re.compile(
            rf"\b(?:season|schedule|calendar)\s+(?:consisted of|had|featured|included|comprised|"
            rf"was made up of|of)\s+(?P<n>{NUM})\s+(?:rounds|races|events)\b",
            re.IGNORECASE,
        ),
    ),
    (ROUNDS, re.compile(rf"\b(?P<n>{NUM})[- ](?:race|round|event)\s+(?:season|schedule)", re.I)),
    (ROUNDS, re.compile(rf"\ball\s+(?:of\s+)?(?:the\s+)?(?P<n>{NUM})\s+(?:races|rounds)\b", re.I)),
    (
        ROUNDS,
        re.compile(
            rf"\bof\s+the\s+(?P<n>{NUM})\s+(?:races|rounds|events)\s+(?:on|in)\s+the\s+"
            rf"(?:schedule|season|calendar)\b",
            re.IGNORECASE,
        ),
    ),
    (
        TITLES,
        re.compile(
            rf"\b(?:(?P<n>{NUM})[- ]time\b[^.,;]*?\bchampion|won\s+(?P<m>{NUM})\s+"
            rf"(?:[\w-]+\s+){{0,3}}(?:championships|titles))",
            re.IGNORECASE,
        ),
    ),
    (
        TITLES,
        re.compile(
            rf"\b(?:(?:his|her|their)|(?:won|clinched|claimed|captured|secured|sealed|earned)\s+a)"
            rf"\s+(?P<n>{ORD})\s+(?:[\w&'-]+\s+){{0,5}}?(?:title|championship|crown)\b",
            re.IGNORECASE,
        ),
    ),
    (AGE, re.compile(rf"\b(?P<n>{NUM})[- ]year[- ]old\b", re.I)),
    (START, re.compile(rf"\b(?-i:Start(?:ed)?):\s*(?P<n>{ORD}|\d{{1,2}})\b")),
    (FINISH, re.compile(rf"\b(?-i:Finish(?:ed)?):\s*(?P<n>{ORD}|\d{{1,2}})\b")),
    (LAPS_LED, re.compile(rf"\b(?-i:Laps [Ll]ed):\s*(?P<n>{NUM})\b")),
    (
        # "cracked the top 10 only once", "finished in the top five 12 times", "stood on the
        # podium 13 times"
        "count",
        re.compile(
            rf"\b(?:cracked|finished in|ran in|placed in|was in|landed in|stood on)\s+the\s+"
            rf"(?P<what>top[- ](?:five|5|ten|10|three)|podium)\s+(?:only\s+|just\s+)?"
            rf"(?P<n>{NUM}(?=\s+times)|once|twice)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "his lone DNF", "her only start of 2022"
        "count",
        re.compile(
            r"\b(?:his|her|their|the)\s+(?P<n>only|lone|sole)\s+(?:(?-i:[A-Z&][\w&'-]*)\s+){0,5}"
            r"(?P<what>DNF|start)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "in his first series start": a debut, the first of a career's starts
        "count",
        re.compile(
            r"\b(?:his|her|their)\s+(?P<n>first)\s+(?:career\s+|series\s+)?"
            r"(?:(?-i:[A-Z&][\w&'-]*)\s+){0,5}(?P<what>start)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?:started\s+)?(?:from|on)\s+the\s+(?P<what>pole)\s+(?P<n>{NUM})\s+times\b",
            re.IGNORECASE,
        ),
    ),
    (
        "none",
        re.compile(
            r"\b(?:(?:without|did not (?:record|score|have|earn|post|get)|"
            r"didn[’']t (?:record|score|have|earn|post|get)|never (?:scored|recorded|had))\s+"
            r"(?:a\s+)?(?:single\s+)?(?P<what>win|victory|DNF|pole|top[- ](?:five|5|ten|10)|"
            r"podium)\b|never made it to (?P<lane>victory) lane|(?P<less>win)less)",
            re.IGNORECASE,
        ),
    ),
    (
        "dnf",
        re.compile(
            rf"\bfailed to finish\s+(?:only\s+|just\s+)?(?P<n>{NUM}|twice|once)\b|"
            rf"\b(?P<m>{NUM})\s+races?\s+(?:that|which)\s+ended\s+early\b|"
            rf"\b(?:running at the finish of|finished) every race (?:he|she|they) started\b|"
            rf"\bnever failed to finish(?: a race)?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "wins",
        re.compile(r"\bw(?:on|ins)\s+(?:only\s+|just\s+)?(?P<n>twice|once|thrice)\b", re.I),
    ),
    ("wins", re.compile(rf"\b(?P<n>{NUM})[- ]time\s+(?:race\s+)?winner\b", re.I)),
    (
        "count",
        re.compile(
            rf"\b(?P<what>pole|win|victory|podium)\s+was\s+(?:his|her|their)\s+(?P<n>{ORD})\b",
            re.IGNORECASE,
        ),
    ),
    (
        # A best finish with its place: "her career best remains a sixth-place run", "a best
        # finish of sixth", "a career-best seventh", "his best finish a runner-up".
        BEST,
        re.compile(
            rf"\b(?:career[- ]best|best\s+(?:career\s+)?(?:result|finish|run))\s+"
            rf"(?:(?:(?:of\s+)?(?:the|this)\s+(?:season|year)\s+)?(?:was|is|remains|of)\s+)?"
            rf"(?:a\s+|an\s+)?"
            rf"(?:(?P<n>{ORD})(?![\w-]*\s+(?:in|on)\s+(?:the\s+)?(?:standings|points))"
            rf"|(?P<runner>runner[- ]up))",
            re.IGNORECASE,
        ),
    ),
    (START, re.compile(r"\bpole[- ]?sitter\b", re.I)),
    (
        BEST,
        re.compile(r"\b(?:career[- ]best|best\s+(?:[\w&-]+\s+){0,2}(?:career\s+)?finish)", re.I),
    ),
    (
        FIRST_WIN,
        re.compile(
            r"\bfirst\s+(?:career\s+)?(?:(?-i:[A-Z&][\w&'-]*)\s+){0,6}(?:career\s+)?(?:win|victory)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ONLY_WIN,
        re.compile(
            r"\b(?:only|lone|sole)\s+(?:career\s+)?(?:(?-i:[A-Z&][\w&'-]*)\s+){0,6}(?:win|victory)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?:his|her|their|and|(?-i:[A-Z][\w'-]*)['’]s)\s+(?!first\b)(?P<n>{ORD})\s+(?:career\s+)?"
            rf"(?:(?-i:[A-Z&][\w&'-]*)\s+){{0,5}}(?P<what>win|victory|pole|podium|start|DNF|"
            rf"top[- ](?:five|5|ten|10))(?:\s+finish)?\b",
            re.IGNORECASE,
        ),
    ),
    (
        START,
        re.compile(
            rf"\b(?:start(?:ed|s|ing)?|roll(?:ed|ing|s)? off|qualif(?:ied|ies|ying))\s+"
            rf"(?:the race\s+)?"
            rf"(?:from\s+|in\s+|at\s+)?(?:the\s+)?(?P<n>{ORD})(?:\s+(?:place|position|spot))?",
            re.IGNORECASE,
        ),
    ),
    (START, re.compile(r"\b(?:from|on|won|took|claimed|captured)\s+the\s+pole\b", re.I)),
    (START, re.compile(rf"\bfrom\s+(?P<n>{ORD})\s+on\s+the\s+grid\b", re.I)),
    (
        FINISH,
        re.compile(
            rf"\b(?:finish(?:ed|es|ing)?|came home|placed|crossed the line|ended up|wound up|"
            rf"took|taking|claimed|scored|earned)\s+(?:the race\s+)?(?:in\s+)?(?:a\s+)?"
            rf"(?:the\s+)?(?P<n>{ORD})(?:[- ](?:place|position|spot)(?:\s+finish)?)?\b",
            re.IGNORECASE,
        ),
    ),
    (FINISH, re.compile(rf"\band\s+(?:in\s+)?(?P<n>{ORD})(?:\s+place)?\s+at\b", re.I)),
    (
        # "Greg Van Alst was third" (a standings place is read by the templates before)
        FINISH,
        re.compile(
            rf"\bwas\s+(?:scored\s+)?(?P<n>{ORD})\b(?![\w-]*\s*(?:-|fastest|quickest|in\s+(?:the\s+)?"
            rf"(?:standings|points|practice|qualifying)|on\s+the\s+(?:grid|list)))",
            re.IGNORECASE,
        ),
    ),
    (FINISH, re.compile(r"\bw(?:on|ins)\s+the\s+(?:season\s+)?(?:finale|opener|race)\b", re.I)),
    (
        # "charged from 24th to third": where the driver started and finished
        START,
        re.compile(
            rf"\b(?:charg|rall|climb|came|drove|raced|work)\w*\s+(?:(?:his|her|their)\s+way\s+)?"
            rf"(?:up\s+)?from\s+(?P<n>{ORD})(?:\s+(?:place|position))?(?:\s+on\s+the\s+grid)?"
            rf"(?=\s+to\s+(?:a\s+)?{ORD}\b(?!\s+in\s+(?:the\s+)?(?:standings|points)))",
            re.IGNORECASE,
        ),
    ),
    (
        FINISH,
        re.compile(
            rf"(?<=(?:st|nd|rd|th|id) )to\s+(?:a\s+)?(?P<n>{ORD})\b"
            rf"(?!\s+in\s+(?:the\s+)?(?:standings|points))",
            re.IGNORECASE,
        ),
    ),
    (
        "wins",
        re.compile(
            rf"\bw(?:on|ins|inning|in)\s+(?:a\s+(?:series|career|season)[- ](?:best|high)\s+)?"
            rf"(?P<n>{NUM})(?:\s+(?:(?-i:[A-Z&][\w&'-]*)\s+){{0,6}}"
            rf"(?:races|times|events)\b|(?=\s+(?:of|in)\s+(?:the\s+|his\s+|her\s+)?"
            rf"(?:{NUM}\s+)?(?:races|starts|events)\b))",
            re.IGNORECASE,
        ),
    ),
    (FINISH, re.compile(r"\b(?:took|taking|takes)\s+the\s+checkered\s+flag|checkers\b", re.I)),
    (FINISH, re.compile(r"\brounded\s+out\s+the\s+top\s+(?P<n>five|ten|three|5|10|3)\b", re.I)),
    (
        FINISH,
        re.compile(
            r"\bon\s+(?:his|her|their|the)\s+way\s+to\s+(?:the|a)\s+"
            r"(?:win|victory|checkered\s+flag)\b",
            re.IGNORECASE,
        ),
    ),
    (
        FINISH,
        re.compile(rf"\b(?:a|an|the|his|her|their)\s+(?P<n>{ORD})[- ]place\s+finish\b", re.I),
    ),
    (
        FINISH,
        re.compile(
            rf"\b(?:fad|fell|fall|dropp|slipp|climb|rall|charg|rac|drove|driv|settl)\w*"
            rf"\s+(?:for|to)\s+(?:a\s+)?(?P<n>{ORD})\b",
            re.IGNORECASE,
        ),
    ),
    (
        # A win, where a race follows in its clause: "won from the pole at Phoenix", "to win
        # the Atlas 200" (the race is looked for up to where the lookahead reached).
        FINISH,
        re.compile(
            r"\b(?:won|wins|winning|win)\b(?![^.;]{0,30}\b(?:championship|title|award)s?\b)"
            r"(?=(?P<reach>[^.;,—]{0,80}?(?:\bat\s+(?:the\s+)?(?-i:[A-Z])|"
            rf"{_RACE_NAME_PATTERN})))",
            re.IGNORECASE,
        ),
    ),
    (FINISH, re.compile(r"\b(?:was\s+(?:the\s+)?)?runner[- ]up\b", re.I)),
    (
        LAPS_LED,
        re.compile(
            rf"\b(?:led|leading|paced the field for|pacing the field for)\s+(?:just\s+|only\s+)?"
            rf"(?:a\s+(?:race|season|career)[- ]high\s+)?(?:the\s+(?:final|last|first)\s+)?"
            rf"(?:(?:a total of|a combined|all)\s+)?(?P<n>{NUM})\s+"
            rf"(?:(?:of\s+the\s+{NUM}\s+)?laps?|circuits)\b|"
            rf"\b(?P<m>{NUM})\s+laps\s+led\b|"
            rf"\b(?:never|did not|didn[’']t)\s+lead\s+a\s+(?:single\s+)?lap\b|\bnever led a lap\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?P<n>{NUM}|no)\s+(?:more\s+|career\s+)?(?-i:[A-Z&][\w&'-]*\s+){{0,5}}"
            rf"(?P<what>wins?|victor(?:y|ies)|top[- ](?:fives?|5s?|tens?|10s?|three)"
            rf"(?:\s+finish(?:es)?)?|podiums?(?:\s+finish(?:es)?)?|DNFs?|poles?|starts?|races)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(rf"\bin\s+(?P<n>{NUM})\s+(?P<what>races|starts)\b", re.I),
    ),
]

_COUNT_WORDS = {
    "win": "wins", "victor": "wins", "top5": "top5", "topfive": "top5", "top10": "top10",
    "topten": "top10", "topthree": "podiums", "podium": "podiums", "dnf": "dnf", "pole": "poles",
    "start": "starts", "race": "starts",
}  # fmt: skip


def _count_kind(word: str) -> str:
    key = re.sub(r"[\s-]", "", word.lower())
    key = re.sub(r"finish(es)?$", "", key)
    for prefix, kind in _COUNT_WORDS.items():
        if key.startswith(prefix):
            return kind
    return "starts"


_RACE = (FINISH, START, LAPS_LED, BEST, FIRST_WIN)


@dataclass
class _Context:
    year: int | None = None
    series: str | None = None
    topic: tuple[int, str] | None = None  # the last driver in a subject's place
    named: tuple[int, str] | None = None  # the last driver named at all
    track: Mention | None = None  # the last track named: this or the last paragraph, or the story's
    track_paragraph: int = -9
    tracks_seen: set[int] = field(default_factory=set)
    recent: list[str] = field(default_factory=list)  # the sentences before this one


def find(
    body: str,
    mentions: Sequence[Mention],
    published: date | None,
    series_slug: dict[int, str],
) -> list[Claim]:
    """The checkable claims of *body*: figures a template reads, each with its subject and
    scope (unchecked). *series_slug*: a series' id → the slug claims are checked against."""
    claims: list[Claim] = []
    ctx = _Context()
    people = [m for m in mentions if m.ident is not None and m.kind in (DRIVER, PERSON)]
    # The story's series: the first it names (a title's, where its sentence names none).
    story_series = next(
        (series_slug[m.ident] for m in mentions if m.kind == SERIES and m.ident), None
    )
    for number_, paragraph in enumerate(_paragraphs(body)):
        if _NOTEBOOK_ITEM.match(body, paragraph[0]):
            # A notebook's item is a story of its own: no race, season or driver carries in.
            ctx.year, ctx.track, ctx.topic = None, None, None
        elif number_ - ctx.track_paragraph > 1 and len(ctx.tracks_seen) > 1:
            ctx.track = None  # the race of a story that names one track stays that one
        for s_start, s_end in _sentences(body, *paragraph):
            sentence = body[s_start:s_end]
            inside = [m for m in mentions if s_start <= m.start and m.end <= s_end]
            asides = _asides(sentence)
            # A year in an aside ("X, whose only win came in 2019, was second") dates the aside.
            years = [
                int(y.group()) for y in _YEAR.finditer(sentence)
                if not any(a <= y.start() < b for a, b in asides)
            ]  # fmt: skip
            quotes = _quotes(sentence)
            year = _relative_year(sentence, published) or (years[0] if years else None)
            # A season a quotation names ("Last year I didn't have a top five," he said) is the
            # sentence's; the story's own goes on after it.
            told = "".join(
                " " if any(a <= i < b for a, b in quotes) else c for i, c in enumerate(sentence)
            )
            quoted_year = year is not None and not (
                _relative_year(told, published) or _YEAR.search(told)
            )
            story_year = ctx.year
            if year is not None and not _after_publication(published, year):
                ctx.year = year
            series = [series_slug[m.ident] for m in inside if m.kind == SERIES and m.ident]
            if series:
                ctx.series = series[0]
            tracks = [m for m in inside if m.kind == TRACK and m.ident is not None]
            found = _templates(sentence)
            for predicate, at, end, value, extra in found:
                if _hoped(sentence, at, end, published):
                    continue
                aside = _aside_of(asides, at)
                if predicate == FINISH and _runner_up_in_points(sentence, at, end, inside):
                    predicate = POSITION
                # The tracks of the figure's own part: the aside it is in, or outside them all.
                own = [
                    m for m in inside
                    if m.kind != TRACK or _aside_of(asides, m.start - s_start) == aside
                ]  # fmt: skip
                own_tracks = [m for m in own if m.kind == TRACK and m.ident is not None]
                claim = Claim(
                    text=sentence[at:end],
                    sentence=sentence.strip(),
                    start=s_start + at,
                    end=s_start + end,
                    predicate=predicate,
                    value=value,
                    season=ctx.year or (published.year if published else None),
                    series=ctx.series,
                    quoted=any(a <= at < b for a, b in quotes),
                    context=" ".join(ctx.recent[-2:]),
                )
                track = _track(body, own, claim.start, s_start + extra["reach"])
                if track is None and predicate in _RACE and len(own_tracks) == 1:
                    track = own_tracks[0]  # "…, led 132 laps and won the race at Phoenix"
                extra["track_in_sentence"] = bool(own_tracks)
                if track is None and predicate in _RACE:
                    track = ctx.track  # "He led 132 laps": of the race the sentence before named
                    claim.track_inferred = track is not None
                if extra.get("stated") and claim.track_inferred:
                    track, claim.track_inferred = None, False  # "her career best remains sixth"
                if track is not None and track.ident is not None:
                    claim.tracks, claim.track_name = (track.ident,), track.label
                _scope(claim, sentence, at, extra, published)
                claim.other_series = _other_series(sentence, s_start, inside, at, end)
                if predicate in (TITLES, ROUNDS) and claim.series is None:
                    claim.series = story_series
                subject = _subject(claim, sentence, s_start, inside, people, ctx, quotes)
                if subject is not None:
                    claim.subject, claim.subject_name = subject
                claims.append(claim)
            if tracks:
                ctx.track, ctx.track_paragraph = tracks[-1], number_
                ctx.tracks_seen.update(m.ident for m in tracks if m.ident is not None)
            if quoted_year:
                ctx.year = story_year
            ctx.recent.append(sentence.strip())
            for m in inside:
                if m.kind == DRIVER and m.ident is not None:
                    ctx.named = (m.ident, m.label)
                quoted = any(a <= m.start - s_start < b for a, b in quotes)
                if (
                    m.kind == DRIVER
                    and m.ident is not None
                    and not quoted
                    and _in_subject_place(body, m)
                ):
                    ctx.topic = (m.ident, m.label)
    return _merged(claims)


def _after_publication(published: date | None, year: int) -> bool:
    return published is not None and year > published.year


def _paragraphs(body: str) -> Iterable[tuple[int, int]]:
    at = 0
    for para in body.split("\n\n"):
        yield at, at + len(para)
        at += len(para) + 2


def _sentences(body: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """The sentences of a paragraph; a full stop after "Sr", "Jr", "No", "St" or an initial
    does not end one ("Lou Kennedy Sr., her cousin…")."""
    begin: int | None = None
    for match in _SENTENCE.finditer(body, start, end):
        if not match.group().strip():
            continue
        begin = match.start() if begin is None else begin
        if _ABBREVIATION.search(match.group()) and match.end() < end:
            continue
        yield begin, match.end()
        begin = None
    if begin is not None:
        yield begin, end


_ABBREVIATION = re.compile(r"(?:\b(?:Sr|Jr|Mr|Mrs|Ms|Dr|St|No|vs|Inc|Co|Mt|Ft)|\b[A-Z])\.$")


_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip


def _relative_year(sentence: str, published: date | None) -> int | None:
    """The season "this year", "last season" or "last February" names, counted from the day;
    None where the sentence names none, or two ("last year … this year")."""
    if published is None:
        return None
    found = set()
    if re.search(r"\b(?:this|the current)\s+(?:year|season)\b", sentence, re.I):
        found.add(published.year)
    if re.search(r"\blast\s+(?:year|season)\b", sentence, re.I):
        found.add(published.year - 1)
    month = re.search(rf"\blast\s+({'|'.join(_MONTHS)})\b", sentence, re.I)
    if month:  # "last February": of this year if February is over, else of last year
        number_ = _MONTHS.index(month.group(1).lower()) + 1
        found.add(published.year if number_ < published.month else published.year - 1)
    return found.pop() if len(found) == 1 else None


def _quotes(sentence: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)", sentence):
        spans.append((match.start(), match.end()))
    if not spans and sentence.rstrip().endswith(("”", '"')) and "“" not in sentence:
        spans.append((0, len(sentence)))  # the end of a quotation begun sentences before
    return spans


def _templates(sentence: str) -> list[tuple[str, int, int, int | None, dict[str, Any]]]:
    """(predicate, start, end, value, what else the template read), leftmost first; a span
    one template read is not read again by a later one."""
    out: list[tuple[str, int, int, int | None, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []
    for predicate, pattern in _TEMPLATES:
        for match in pattern.finditer(sentence):
            at, end = match.span()
            if any(a < end and at < b for a, b in taken):
                continue
            groups = match.groupdict()
            word = groups.get("n") or groups.get("m") or ""
            extra: dict[str, Any] = {"reach": match.end("reach") if groups.get("reach") else end}
            kind = predicate
            value: int | None
            if predicate == "dnf":  # "failed to finish twice"; "finished every race" is none
                kind, value = "dnf", (number(word) if word else 0)
            elif predicate == "count":
                kind = _count_kind(groups["what"])
                value = 0 if word.lower() == "no" else number(word)
                extra["ordinal"] = word.lower().endswith(("st", "nd", "rd", "th"))
            elif predicate == "none":  # "without a single victory", "winless"
                what = groups["what"] or groups["lane"] or groups["less"]
                kind, value = _count_kind(what), 0
            elif predicate in (BEST, FIRST_WIN, ONLY_WIN):
                # A best finish without its place: the race's (read beside it, or looked up).
                value = 1 if predicate != BEST else (2 if groups.get("runner") else number(word))
                extra["stated"] = predicate == BEST and value is not None
                extra["season_best"] = bool(
                    re.match(
                        r"\s+of\s+(?:the|her|his|their|this)\s+(?:[\w&'-]+\s+){0,6}?(?:season|year)",
                        sentence[end : end + 80],
                        re.IGNORECASE,
                    )
                )
            elif not word and predicate == LAPS_LED:  # "never led a lap"
                value = 0
            elif not word:  # from the pole; won; runner-up
                value = 2 if "runner" in match.group().lower() else 1
            else:
                value = number(word)
            if value is None and predicate != BEST:
                continue
            if kind == "starts" and re.search(r"\bthe\s*$", sentence[:at]):
                continue  # "the 20 races": a schedule, read by the rounds templates
            taken.append((at, end))
            out.append((kind, at, end, value, extra))
    return sorted(out, key=lambda c: c[1])


def _hoped(sentence: str, at: int, until: int, published: date | None) -> bool:
    """Whether the figure (at…until) is looked ahead to or wished for: its clause hopes, plans
    or aims ("hopes to win five races"), hedges ("at least five wins"), counts what is still
    to come ("two more wins", "six races left"), or a season after the day is named before it
    or in its clause ("the target for 2025 is…", "a third title in 2015")."""
    if re.search(r"\bmore\b", sentence[at:until], re.I) or _TO_COME.match(sentence, until):
        return True
    start, end = _clause(sentence, at, at)
    window = sentence[start : at + 1]
    later = published is not None and any(
        int(y) > published.year for y in _YEAR.findall(sentence[:end])
    )
    hedged = re.search(r"\b(?:at least|or more|or better|up to)\b", sentence[start:end], re.I)
    return bool(_FUTURE.search(window) or hedged or later)


def _track(body: str, inside: Sequence[Mention], at: int, end: int) -> Mention | None:
    """The track a race claim is about: one named right after the figure in its clause
    ("eighth at Kansas"), else the nearest before it in its sentence ("At Daytona, she finished
    sixth"), else the nearest after it."""
    tracks = [m for m in inside if m.kind == TRACK and m.ident is not None]
    after = [m for m in tracks if m.start >= at]
    before = [m for m in tracks if m.start < at]
    if after and after[0].start - at <= 45 and not _CLAUSE_BREAK.search(body[end : after[0].start]):
        return after[0]
    return before[-1] if before else None


def _scope(
    claim: Claim, sentence: str, at: int, extra: dict[str, Any], published: date | None
) -> None:
    """Over what the claim counts: a race, a season (or two), a career. A count names its
    span ("in 2022", "this season", "career") in its sentence or the two before it ("closing
    the season… Eckes won four races"); where nothing says which, the span stays unknown and
    the claim unverifiable."""
    lowered = sentence.lower()
    near = f"{claim.context} {sentence}".lower()
    if claim.predicate in (FINISH, START, BEST, FIRST_WIN):
        season_best = extra.get("season_best") or (
            extra.get("stated")
            and _nearest_span(sentence, at, at + len(claim.text), False) == "season"
        )
        claim.scope = "season" if season_best else "race"
    elif claim.predicate in (*COUNTS, ONLY_WIN, LAPS_LED):
        end = at + len(claim.text)
        clause = _clause(sentence, at, end)
        # The span word of the figure's own clause, else the sentence's nearest.
        dated = claim.predicate != ONLY_WIN  # "whose only win came in 2019": a date, not a span
        asides = _asides(sentence)  # "…, the first of them at Gateway in June 2019"
        span = _nearest_span(sentence, at, end, dated, clause, asides) or _nearest_span(
            sentence, at, end, dated, skip=asides
        )
        if claim.predicate == LAPS_LED and _race_laps(claim, sentence, at, end, clause, extra):
            claim.scope = "race"
        elif _YEARS_RANGE.search(sentence):
            claim.scope = "career"  # "360 starts, from its inaugural season through 2014"
        elif (several := _SEASONS.search(lowered) or (span is None and _SEASONS.search(near))) and (
            span != "career"
        ):
            # "over the past two seasons", "The numbers over three seasons…": the last N
            claim.scope, claim.seasons = "season", number(several.group(1)) or 2
            years = [
                int(y.group()) for y in _YEAR.finditer(sentence) if not _aside_of(asides, y.start())
            ]
            claim.season = max(years) if years else (published.year if published else claim.season)
        elif span is not None:
            claim.scope = span
        elif extra.get("ordinal"):
            claim.scope = "career"  # "in his 31st start", "the victory was his 13th"
        elif _relative_year(sentence, published) or _SEASON_HINT.search(near):
            claim.scope = "season"
        elif claim.predicate == LAPS_LED and claim.tracks:
            claim.scope = "race"  # "He led 132 laps": of the race just named
        elif claim.predicate == ONLY_WIN:
            claim.scope = "career"
        else:
            claim.scope = "unknown"
    elif claim.predicate in (POSITION, POINTS, ROUNDS):
        claim.scope = "season"
    else:
        claim.scope = "career"  # titles, ages


def _race_laps(
    claim: Claim,
    sentence: str,
    at: int,
    end: int,
    clause: tuple[int, int],
    extra: dict[str, Any],
) -> bool:
    """Whether laps led are a race's: their clause names no span ("a combined", "on the
    season", "so far"), and a race is at hand — a track in the sentence, unless an opening
    "Last year…" spans it (a year only dates the race: "at Richmond in 2022, where he led 176
    laps"), or a race named before, where nothing in the sentence speaks of a span (asides
    about others aside: "X, who has six wins this season, ran second after leading 19 laps")."""
    asides = _asides(sentence)
    if _nearest_span(sentence, at, end, years=False, within=clause) is not None:
        return False
    if re.search(r"\bof\s+the\s+\S+\s+laps\b|\bevery one of\b", claim.text) or _RACE_NAME.search(
        sentence, *clause
    ):
        return True  # "led 74 of the 80 laps", "led 162 laps to win the Visit Hampton 175"
    if (claim.tracks and not claim.track_inferred) or extra["track_in_sentence"]:
        opening = _clause(sentence, 0, 0)
        return opening[1] >= at or _nearest_span(sentence, at, end, False, opening, asides) is None
    named = bool(claim.tracks) or bool(_RACE_NAME.search(sentence))
    return named and _nearest_span(sentence, at, end, years=False, skip=asides) is None


def _nearest_span(
    sentence: str,
    start: int,
    end: int,
    years: bool = True,
    within: tuple[int, int] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> str | None:
    """Which span word is nearest the figure (in *within*, else the sentence): "career" ("his
    48th career start") or "season" ("a season that had produced six DNFs", "in 2021", "so
    far")."""
    best: tuple[int, str] | None = None
    low, high = within or (0, len(sentence))
    for match in _SPAN.finditer(sentence, low, high):
        if not years and match.group().isdigit():
            continue
        aside = _aside_of(list(skip), match.start())
        if aside is not None and aside != _aside_of(list(skip), start):
            continue  # a span word in an aside the figure is not in
        outside = match.end() <= start or match.start() >= end
        if outside and _COMPOUND.match(sentence, match.end()):
            continue  # "his first career championship": the career of the title, not of this
        gap = max(start - match.end(), match.start() - end, 0)
        word = match.group().lower()
        if word == "career" and _COMPARED.search(sentence, 0, match.start()):
            continue  # "the best season of his career": a season, compared with the rest
        kind = (
            "career" if word in ("career", "all-time", "all time") or "series" in word else "season"
        )
        if best is None or gap < best[0]:
            best = (gap, kind)
    return best[1] if best else None


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause the figure at start…end is in."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    after = _CLAUSE_BREAK.search(sentence, end)
    return (breaks[-1] if breaks else 0), (after.start() if after else len(sentence))


_SPAN = re.compile(
    r"\b(?:career(?!-)|all[- ]time|series history|seasons?|(?<!-)year(?!-)|"
    r"campaign|so far|to date|combined|in total|"
    r"19[4-9]\d|20[0-4]\d)\b",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    r"\b(?:best|worst|finest|greatest|biggest)\s+(?:\w+\s+)?of\s+(?:his|her|their|the)\s+$", re.I
)
_COMPOUND = re.compile(
    r"\s+(?:[\w&-]+\s+){0,4}?(?:championships?|titles?|wins?|victor(?:y|ies)|starts?|best|high)\b",
    re.IGNORECASE,
)
_SEASON_HINT = re.compile(
    r"\b(?:season|(?<!-)year(?!-)|campaign|schedule|finale|championship|title|standings|points)\b"
)
_RACE_NAME = re.compile(_RACE_NAME_PATTERN)


# "runner-up Aric Almirola", "runner-up in the standings" (not "a runner-up finish")
_RUNNER_UP_PERSON = re.compile(
    r"\s+(?:(?-i:[A-Z])|(?:in|of)\s+the\s+(?:final\s+)?(?:standings|points|championship)|"
    r"with\s+[\d,]+\s+points)",
    re.I,
)
_STANDINGS_TALK = re.compile(r"\b(?:season|standings|points|championship|title)\b", re.I)
_SEASONS = re.compile(r"\b(two|three|four|five|[2-5])\s+(?:full\s+)?(?:seasons|years)\b", re.I)
_YEARS_RANGE = re.compile(
    r"\bfrom\b[^.;]{0,40}?\b(?:through|to|until)\s+(?:19[4-9]\d|20[0-4]\d)\b", re.I
)
_TO_COME = re.compile(r"\s+(?:left|remaining|to go|to play)\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?:whose|who)\b|(?<=, )(?:the (?:first|last|latest) of them|including)\b", re.IGNORECASE
)
# A paragraph of a notebook: its own item, under a label ("KNOXVILLE CAMEO: …").
_NOTEBOOK_ITEM = re.compile(r"(?-i:[A-Z][A-Z0-9'&.\- ]{2,40}):\s")
# A series named as such ("the NASCAR Xfinity Series"), to tell one the record does not hold.
_SERIES_NAME = re.compile(
    r"(?-i:\b(?:[A-Z][\w&'.-]*\s+){1,4}Series\b|\b(?:Xfinity|Nationwide|Busch|Cup)\b"
    r"(?=\s+(?:races?|wins?|victor|starts?|titles?|championships?|career)))"
)


def _runner_up_in_points(sentence: str, at: int, end: int, inside: Sequence[Mention]) -> bool:
    """Whether a "runner-up" is the standings' ("closed the season with 3,937 points, ahead of
    runner-up Aric Almirola"): a person or the standings follow it, the sentence speaks of a
    season or points, and it names no track."""
    return (
        "runner" in sentence[at:end].lower()
        and not any(m.kind == TRACK for m in inside)
        and _STANDINGS_TALK.search(sentence) is not None
        and _RUNNER_UP_PERSON.match(sentence, end) is not None
    )


def _asides(sentence: str) -> list[tuple[int, int]]:
    """The asides about a person ("whose only win came at Kentucky in 2019", "who led 23
    laps"): from the pronoun to the next comma or dash."""
    spans = []
    for match in _RELATIVE.finditer(sentence):  # and "…, the first of them at Gateway in 2019"
        stop = re.search(r"[,;—–]|\s-\s", sentence[match.end() :])
        spans.append((match.start(), match.end() + stop.start() if stop else len(sentence)))
    return spans


def _aside_of(asides: list[tuple[int, int]], at: int) -> tuple[int, int] | None:
    return next(((a, b) for a, b in asides if a <= at < b), None)


def _other_series(sentence: str, s_start: int, inside: Sequence[Mention], at: int, end: int) -> str:
    """A series named in the figure's clause that no linked mention is (one the record does
    not hold: "won 4 NASCAR Xfinity Series races"), or ""."""
    low, high = _clause(sentence, at, end)
    linked = [
        (m.start - s_start, m.end - s_start) for m in inside if m.kind == SERIES and m.ident
    ]  # fmt: skip
    for match in _SERIES_NAME.finditer(sentence, low, high):
        if not any(a < match.end() and match.start() < b for a, b in linked):
            return match.group()
    return ""


def _in_subject_place(body: str, mention: Mention) -> bool:
    return not _OBJECT.search(body[max(0, mention.start - 12) : mention.start])


def _subject(
    claim: Claim,
    sentence: str,
    s_start: int,
    inside: Sequence[Mention],
    people: Sequence[Mention],
    ctx: _Context,
    quotes: list[tuple[int, int]],
) -> tuple[int, str] | None:
    """Who the claim is about: for an age, the person it comes right before or after; in a
    quotation in the first person, the speaker; else the nearest person named before the figure
    in a subject's place ("Balcaen had success with Pulliam, scoring…" is Balcaen's), else the
    article's last such driver."""
    named = [m for m in inside if m.kind in (DRIVER, PERSON) and m.ident is not None]
    if claim.predicate == ROUNDS:
        return None
    at = claim.start
    if claim.predicate == AGE or re.search(r"sitter|runner", claim.text, re.I):
        # "pole-sitter Riley Herbst", "runner-up Aric Almirola", "Dean, 30,"
        for m in named:
            if 0 <= m.start - claim.end <= 3 or 0 <= claim.start - m.end <= 3:
                return m.ident, m.label  # type: ignore[return-value]
    aside = _aside_of(_asides(sentence), at - s_start)
    if aside is not None:  # "Jody Marlin, who won at Lakeside": the person the aside is about
        for m in named:
            if 0 <= aside[0] - (m.end - s_start) <= 3:
                return m.ident, m.label  # type: ignore[return-value]
    if claim.quoted and _FIRST_PERSON.search(sentence[max(0, at - s_start - 60) : at - s_start]):
        speakers = [
            m for m in named if not any(a <= m.start - s_start < b for a, b in quotes)
        ]  # fmt: skip
        if speakers:
            return speakers[0].ident, speakers[0].label  # type: ignore[return-value]
        return ctx.topic or ctx.named
    before = [m for m in named if m.end <= at]
    for m in reversed(before):
        if claim.predicate == TITLES and sentence[m.end - s_start : m.end - s_start + 2] == ", ":
            return m.ident, m.label  # type: ignore[return-value]  # an apposition
        if _in_subject_place(sentence, replace(m, start=m.start - s_start)):
            return m.ident, m.label  # type: ignore[return-value]
    if not before and _PRONOUN.search(sentence, 0, at - s_start):
        return ctx.topic or ctx.named  # "He closed the season with 3,937 points, ahead of X"
    if not before and named and claim.predicate != AGE:
        first = named[0]
        if _in_subject_place(sentence, replace(first, start=first.start - s_start)):
            return first.ident, first.label  # type: ignore[return-value]
    return ctx.topic or ctx.named


def _merged(claims: list[Claim]) -> list[Claim]:
    """A best-finish claim reads the finish beside it in its sentence: "finish in sixth
    position, taking her best career finish" is one race, and its finish is 6."""
    for claim in claims:
        if claim.predicate == BEST and claim.value is None:
            finishes = [
                c for c in claims
                if c.predicate == FINISH and c.subject == claim.subject
                and c.sentence == claim.sentence and abs(c.start - claim.start) < 200
            ]  # fmt: skip
            if finishes:
                nearest = min(finishes, key=lambda c: abs(c.start - claim.start))
                claim.value = nearest.value
                if not claim.tracks:
                    claim.tracks, claim.track_name = nearest.tracks, nearest.track_name
    return claims


# Checking ----------------------------------------------------------------------------------------


def check(claims: Iterable[Claim], record: Record, published: date | None) -> list[Claim]:
    """Each claim with its verdict, as of *published* (None: all the record holds)."""
    out = []
    for claim in claims:
        try:
            _check(claim, record, published)
        except _Unknown as missing:
            claim.verdict, claim.why = UNVERIFIABLE, str(missing)
        if claim.query and published is not None:
            claim.query += f", as of {published.isoformat()}"
        out.append(claim)
    return out


class _Unknown(Exception):
    """What is missing to check a claim."""


def _known(line: Line, published: date | None) -> bool:
    if published is None:
        return True
    if line.day is not None:
        return line.day <= published
    return line.season < published.year


def _check(claim: Claim, record: Record, published: date | None) -> None:
    if claim.scope == "unknown":
        raise _Unknown("over which span (a season, a career) is not said")
    if claim.other_series:
        raise _Unknown(f"the record holds no results of the {claim.other_series}")
    if claim.predicate == ROUNDS:
        return _rounds(claim, record, published)
    if claim.subject is None:
        raise _Unknown("who this is about is not clear from the text")
    if claim.predicate == AGE:
        return _age(claim, record, published)
    held = record.lines(claim.subject)
    lines = [ln for ln in held if _known(ln, published)]
    if not lines:
        raise _Unknown(f"the record holds no results of {claim.subject_name}")
    if claim.scope != "race" and published is not None:
        undated = {ln.series for ln in held if ln.day is None and ln.season == published.year}
        if undated and (claim.series is None or claim.series in undated):
            # Which of the day's season's races had been run is not known: no count is sure.
            raise _Unknown(
                f"the {published.year} races of {', '.join(sorted(undated))} have no dates"
            )
    if claim.predicate in (POSITION, POINTS):
        return _standing(claim, record, lines, published)
    if claim.predicate == TITLES:
        return _titles(claim, record, published)
    if claim.scope == "race" or claim.predicate in (BEST, FIRST_WIN):
        return _race(claim, record, lines)
    return _count(claim, record, lines)


def _in_series(claim: Claim, lines: list[Line]) -> list[Line]:
    """The lines of the claim's series; where the text names none, the one series the driver
    raced in the claim's season (or career)."""
    if claim.series is not None:
        chosen = [ln for ln in lines if ln.counts_for(claim.series)]
        if chosen or claim.scope != "race":
            return chosen
    if claim.scope == "race":
        return lines
    pool = [ln for ln in lines if claim.season is None or ln.season == claim.season]
    raced = {ln.series for ln in pool} or {ln.series for ln in lines}
    if len(raced) > 1:
        raise _Unknown(f"which series is not said ({', '.join(sorted(raced))} are held)")
    return [ln for ln in lines if ln.series in raced]


def _race(claim: Claim, record: Record, lines: list[Line]) -> None:
    if claim.season is None:
        raise _Unknown("the season of the race is not said")
    pool = [ln for ln in _in_series(claim, lines) if ln.season == claim.season]
    named = _named_races(pool, claim.sentence) or _named_races(pool, claim.context)
    if claim.predicate == BEST and claim.value is not None and not claim.tracks and not named:
        return _best_stated(claim, lines)
    if not claim.tracks and not named:
        raise _Unknown("the race is not named (by its track or its name)")
    at_track = [ln for ln in pool if ln.track in claim.tracks]
    # The race the text names by name, where it is at the track it names (or names none).
    races = [ln for ln in named if not claim.tracks or ln in at_track] or at_track
    if not claim.tracks:
        claim.track_name = races[0].track_name
    claim.query = (
        f"results of {claim.subject_name} at {claim.track_name} in"
        f" {claim.series or 'any series'} {claim.season}"
    )
    if not races:
        raise _Unknown(
            f"no result of {claim.subject_name} at {claim.track_name} in {claim.season} is held"
        )
    if claim.predicate in (BEST, FIRST_WIN):
        return _best(claim, lines, races)
    field_of = {FINISH: "finish", START: "start", LAPS_LED: "laps_led"}[claim.predicate]
    values = [getattr(ln, field_of) for ln in races]
    if all(v is None for v in values):
        raise _Unknown(f"the record holds no {field_of.replace('_', ' ')} for that race")
    # Of two races at the track that season, the one with the stated figure is the one meant.
    matching = [ln for ln, v in zip(races, values, strict=True) if v == claim.value]
    claim.verdict = SUPPORTED if matching else CONTRADICTED
    if matching:
        claim.correct = claim.value
    else:
        claim.correct = values[0] if len(set(values)) == 1 else values
    claim.evidence = [ln.row() for ln in matching or races]


def _named_races(lines: list[Line], text: str) -> list[Line]:
    """The races of *lines* whose name (up to its distance: "Lucas Oil 200" of "Lucas Oil 200
    Driven by General Tire") the text prints."""
    flat = f" {_plain(text)} "
    found = []
    for line in lines:
        short = re.match(r".*?\b\d{2,3}\b", line.name)
        name = _plain(short.group() if short else line.name)
        if len(name) >= 8 and f" {name} " in flat:
            found.append(line)
    return found


def _plain(text: str) -> str:
    text = re.sub(r"[’'`]", "", text.lower())
    return " ".join(re.sub(r"\W+", " ", text).split())


def _best(claim: Claim, lines: list[Line], races: list[Line]) -> None:
    # The race meant: the one with the finish the text gives beside the claim, else the best.
    stated = [ln for ln in races if claim.value is not None and ln.finish == claim.value]
    race = stated[0] if stated else min(races, key=lambda ln: ln.finish or 999)
    series = claim.series or race.series
    pool = [ln for ln in lines if ln.counts_for(series) and ln.finish is not None]
    if claim.predicate == FIRST_WIN:
        wins = sorted((ln for ln in pool if ln.finish == 1), key=_order)
        if not wins:
            raise _Unknown("no win is held")
        claim.value = 1
        holds = wins[0].race == race.race
        claim.verdict = SUPPORTED if holds else CONTRADICTED
        claim.correct = 1 if holds else wins[0].row()
        claim.evidence = [race.row()] + ([] if holds else [wins[0].row()])
        claim.query = f"the earliest win of {claim.subject_name} in {series}"
        return
    if claim.scope == "season":
        pool = [ln for ln in pool if ln.season == race.season]
        claim.query = f"best finish of {claim.subject_name} in {series} {race.season}"
    else:
        pool = [ln for ln in pool if _order(ln) <= _order(race)]
        claim.query = (
            f"best finish of {claim.subject_name} in {series} up to {race.season}"
            f" round {race.round}"
        )
    best = min(pool, key=lambda ln: (ln.finish, _order(ln)))
    claim.value = race.finish or 0
    claim.verdict = SUPPORTED if race.finish == best.finish else CONTRADICTED
    claim.correct = best.finish
    claim.evidence = [race.row()] + ([best.row()] if best is not race else [])


def _best_stated(claim: Claim, lines: list[Line]) -> None:
    """A best finish the text gives without its race: the best of the season, or of the
    career up to the day."""
    pool = [
        ln for ln in lines
        if ln.finish is not None and (claim.series is None or ln.counts_for(claim.series))
    ]  # fmt: skip
    raced = sorted({ln.series for ln in pool})
    if len(raced) > 1 and claim.series is None:
        raise _Unknown(f"which series is not said ({', '.join(raced)} are held)")
    season = claim.scope == "season"
    if season:
        pool = [ln for ln in pool if ln.season == claim.season]
    if not pool:
        raise _Unknown(f"no finish of {claim.subject_name} is held there")
    best = min(ln.finish or 0 for ln in pool)
    span = f"season {claim.season}" if season else "career"
    claim.query = f"best finish of {claim.subject_name} in {claim.series or raced[0]}, {span}"
    claim.verdict = SUPPORTED if best == claim.value else CONTRADICTED
    claim.correct = best
    claim.evidence = [ln.row() for ln in pool if ln.finish == best][:50]


def _order(line: Line) -> tuple[int, int]:
    return line.season, line.round


def _count(claim: Claim, record: Record, lines: list[Line]) -> None:
    pool = _in_series(claim, lines)
    series = claim.series or (pool[0].series if pool else None)
    if claim.scope == "season":
        if claim.season is None:
            raise _Unknown("the season is not said")
        years = set(range(claim.season - claim.seasons + 1, claim.season + 1))
        if series is not None:
            missing = [y for y in sorted(years) if not record.schedule(series, y)]
            if missing:
                raise _Unknown(f"{series} {', '.join(map(str, missing))} is not held")
        pool = [ln for ln in pool if ln.season in years]
    if not pool:
        # No result at all is not a count of none: the driver may have raced where the
        # record does not reach.
        where = f" in {series}" if series else ""
        when = f" in {claim.season}" if claim.scope == "season" else ""
        raise _Unknown(f"no result of {claim.subject_name}{where}{when} is held")
    predicate = ONLY_WIN if claim.predicate == ONLY_WIN else claim.predicate
    test = {
        "wins": lambda ln: ln.finish == 1, ONLY_WIN: lambda ln: ln.finish == 1,
        "top5": lambda ln: ln.finish is not None and ln.finish <= 5,
        "top10": lambda ln: ln.finish is not None and ln.finish <= 10,
        "podiums": lambda ln: ln.finish is not None and ln.finish <= 3,
        "dnf": lambda ln: ln.dnf, "poles": lambda ln: ln.start == 1, "starts": lambda ln: True,
    }  # fmt: skip
    if predicate == LAPS_LED:
        chosen = [ln for ln in pool if ln.laps_led]
        total = sum(ln.laps_led or 0 for ln in pool)
    else:
        chosen = [ln for ln in pool if test[predicate](ln)]
        total = len(chosen)
    if claim.scope == "career" or claim.season is None:
        span = "career"
    elif claim.seasons == 2:
        span = f"seasons {claim.season - 1}–{claim.season}"
    else:
        span = f"season {claim.season}"
    claim.query = f"{predicate} of {claim.subject_name} in {series or 'every series'}, {span}"
    claim.verdict = SUPPORTED if total == claim.value else CONTRADICTED
    claim.correct = total
    claim.evidence = [ln.row() for ln in chosen[:50]]


def _standing(claim: Claim, record: Record, lines: list[Line], published: date | None) -> None:
    if claim.season is None:
        raise _Unknown("the season is not said")
    series = claim.series
    if series is None:
        raced = {ln.series for ln in lines if ln.season == claim.season}
        if len(raced) != 1:
            raise _Unknown("which series' standings is not said")
        series = raced.pop()
    schedule = record.schedule(series, claim.season)
    if not schedule:
        raise _Unknown(f"{series} {claim.season} is not held")
    run = [
        rnd for rnd, day, _ in schedule
        if published is None or (day <= published if day else claim.season < published.year)
    ]  # fmt: skip
    if not run:
        raise _Unknown(f"no race of {series} {claim.season} was run by then")
    after = max(run)
    row = record.standing(series, claim.season, after, claim.subject)  # type: ignore[arg-type]
    claim.query = (
        f"drivers' standings of {series} {claim.season} after round {after}, {claim.subject_name}"
    )
    if row is None:
        raise _Unknown(f"{claim.subject_name} has no place in {series} {claim.season}'s standings")
    got = row[0] if claim.predicate == POSITION else row[1]
    claim.verdict = SUPPORTED if got == claim.value else CONTRADICTED
    claim.correct = got
    claim.evidence = [
        {"series": series, "season": claim.season, "after_round": after,
         "position": row[0], "points": row[1]}
    ]  # fmt: skip


def _titles(claim: Claim, record: Record, published: date | None) -> None:
    if claim.series is None:
        raise _Unknown("which championship is not said")
    champions = record.champions(claim.series)
    if not champions:
        raise _Unknown(f"the record holds no standings of {claim.series}")
    last = max(champions)
    if published is not None:
        # A season counts once its last race was run by that day (the title is then decided);
        # where the day's season has races without dates, whether it was over is not known.
        last = published.year - 1
        days = [day for _, day, _ in record.schedule(claim.series, published.year)]
        if days and all(day is not None and day <= published for day in days):
            last = published.year
        elif None in days and champions.get(published.year) == claim.subject:
            raise _Unknown(f"whether {claim.series} {published.year} was over by then is not known")
    won = sorted(y for y, who in champions.items() if who == claim.subject and y <= last)
    claim.query = f"seasons of {claim.series} to {last} whose champion is {claim.subject_name}"
    claim.verdict = SUPPORTED if len(won) == claim.value else CONTRADICTED
    claim.correct = len(won)
    claim.evidence = [{"series": claim.series, "season": y, "position": 1} for y in won]


def _rounds(claim: Claim, record: Record, published: date | None) -> None:
    if claim.series is None or claim.season is None:
        raise _Unknown("which series and season is not said")
    schedule = record.schedule(claim.series, claim.season)
    if not schedule:
        raise _Unknown(f"{claim.series} {claim.season} is not held")
    claim.subject_name = f"{claim.series} {claim.season}"
    claim.query = f"races of {claim.series} {claim.season}"
    claim.verdict = SUPPORTED if len(schedule) == claim.value else CONTRADICTED
    claim.correct = len(schedule)
    claim.evidence = [
        {"round": rnd, "date": day.isoformat() if day else None} for rnd, day, _ in schedule
    ]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age(claim: Claim, record: Record, published: date | None) -> None:
    if published is None:
        raise _Unknown("the article's date is not known")
    born, reported = record.birth(claim.subject)  # type: ignore[arg-type]
    claim.query = f"the age of {claim.subject_name} on {published.isoformat()}"
    if born is not None:
        got = age_on(born, published)
        claim.verdict = SUPPORTED if got == claim.value else CONTRADICTED
        claim.correct = got
        claim.evidence = [{"born": born.isoformat()}]
        return
    if not reported:
        raise _Unknown(f"no birth date or reported age of {claim.subject_name} is held")
    # Each reported age bounds the birthday: y years old on a day from d1 to d2 means born
    # after d1 - (y + 1) years and on or before d2 - y years.
    low, high = date.min, date.max
    for r in reported:
        low = max(low, _years_before(r.first, r.years + 1))
        high = min(high, _years_before(r.last, r.years))
    if low >= high:
        raise _Unknown("the ages reported of them disagree")
    ages = set(range(age_on(high, published), age_on(_after(low), published) + 1))
    claim.evidence = [
        {
            "reported_age": r.years,
            "from": r.first.isoformat(),
            "to": r.last.isoformat(),
            "source": r.source,
        }
        for r in reported
    ]
    if ages == {claim.value}:
        claim.verdict, claim.correct = SUPPORTED, claim.value
    elif claim.value not in ages:
        claim.verdict, claim.correct = CONTRADICTED, sorted(ages)
        claim.correct = claim.correct[0] if len(ages) == 1 else claim.correct
    else:
        allowed = sorted(ages)
        raise _Unknown(
            f"the ages reported of them allow {', '.join(map(str, allowed[:-1]))} or {allowed[-1]}"
        )


def _years_before(day: date, years: int) -> date:
    if day.year - years < 1:
        return date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)
