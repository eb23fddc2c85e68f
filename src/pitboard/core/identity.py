"""Is a person newly seen in one source the same as a known person? Scored from the evidence.

A name is only evidence: an identical name with nothing else is a question for a human, and
namesakes from different eras, other nationalities or other suffixes are different people. The
caller looks candidates up by `blocking_keys`, scores them with `score` and links, queues or
creates through `best_match`. Whether two entries of one race are one person cannot be judged
from this evidence (seasons, not races, are passed in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache

from rapidfuzz import fuzz

from pitboard.core.countries import country_of
from pitboard.core.names import name_key

# Verdicts.
SAME_THRESHOLD = 0.80  # a value at or above this links the new key to the known person
REVIEW_THRESHOLD = 0.45  # at or above this (below SAME) a human decides; below, a new person
CLEAR_LEAD = 0.15  # best_match links only when the best is this far ahead of the runner-up
VETO_CEILING = 0.10  # a decisive contradiction (suffix, surname, era) caps the value here

# What the name alone is worth (the starting value).
NAME_SAME = 0.60  # identical once case, accents, punctuation and spacing are ignored
NAME_NICKNAME = 0.45  # a nickname of the same given name: Bill ~ William
NAME_INITIAL = 0.40  # an initial for the given name (J. ~ John), or no given name on one side
NAME_MISSPELT = 0.30  # a close misspelling (see the ratios below)
# Same surname, unrelated given names (brothers, cousins): DIFFERENT even when they share a
# season, a series, a car and a team.
NAME_GIVEN_DIFFERENT = -0.30
MIDDLE_ONE_SIDE = -0.05  # a middle name on one side only: "Mary Ann Smith" ~ "Mary Smith"
MIDDLE_CLASH = -0.30  # two different middle names
SUFFIX_ONE_SIDE = -0.10  # "Jr." on one side only: father or son, or a source that drops it

# Close spellings (rapidfuzz ratio, 0–100).
SURNAME_CLOSE_RATIO = 80.0  # surnames at least this close may be one misspelt surname
GIVEN_CLOSE_RATIO = 80.0  # given names at least this close may be one misspelt name

# Careers: the gap is the years from the last season of one to the first of the other.
SEASONS_OVERLAP = 0.25  # at least one season in common
SEASONS_ADJACENT = 0.20  # the careers touch: gap up to ADJACENT_GAP_YEARS
SEASONS_NEARBY = 0.10  # a comeback: gap up to NEARBY_GAP_YEARS
SEASONS_DISTANT = -0.10  # a long break, up to ERA_GAP_YEARS
ADJACENT_GAP_YEARS = 2  # one missed season between the careers still counts as touching
NEARBY_GAP_YEARS = 6  # a comeback after a few seasons away
ERA_GAP_YEARS = 25  # a longer gap means namesakes of different eras: DIFFERENT
MAX_CAREER_YEARS = 50  # a joint career longer than this is implausible: DIFFERENT

# Other evidence.
SHARED_SERIES = 0.10  # at least one series in common
SHARED_CAR = 0.10  # at least one car number in common, as written
SHARED_TEAM = 0.10  # at least one team in common
NATIONALITY_SAME = 0.05  # both given and equal (weak: most of a field shares one)
NATIONALITY_CLASH = -0.60  # both given and different: strongly opposes, even an identical name

# Suffix words and how a reason writes them; two different suffixes are two people.
SUFFIXES = dict.fromkeys(("jr", "junior"), "Jr.") | dict.fromkeys(("sr", "senior"), "Sr.")
SUFFIXES |= {"ii": "II", "2nd": "II", "iii": "III", "3rd": "III", "iv": "IV", "4th": "IV"}
# Words that belong to the surname that follows: "De La Cruz" and "DeLaCruz" are one key.
PARTICLES = frozenset(
    {"da", "de", "del", "della", "der", "des", "di", "du", "la", "le", "van", "von"}
)

# Given names that are one name; a name may sit in two groups (Ted: Edward, Theodore). "Buddy"
# and the like are left out: they stand for any given name and are no evidence.
_NICKNAMES = """
william bill billy will willie willy; robert bob bobby rob robbie robby bert;
richard dick dickie rick ricky rickey rich richie; james jim jimmy jimmie jamie;
michael mike mikey mick mickey; anthony tony; charles chuck charlie charley chas;
edward ed eddie eddy ted teddy ned; edwin ed eddie; edmund ed eddie ned;
theodore ted teddy theo; thomas tom tommy; joseph joe joey; david dave davey davy;
daniel dan danny; kenneth ken kenny; lawrence laurence larry; gerald gerry jerry;
jerome jerry; john jack johnny johnnie; jonathan jon jonny; stephen steven steve stevie;
matthew matt matty; christopher chris kit; christian chris; christina christine chris tina;
alexander alex alec al sandy; alexandra alex alexis sandy; albert al bert;
alan allan allen al; nicholas nicolas nick nicky; patrick pat paddy;
patricia pat patty trish; samuel sam sammy; samantha sam sammy; benjamin ben benny;
andrew andy drew; jeffrey geoffrey jeff geoff; gregory greg gregg; timothy tim timmy;
ronald ron ronnie ronny; donald don donnie donny; henry harry hank; harold harry hal;
frederick fred freddie freddy; leonard len lenny leo; raymond ray; walter walt wally;
douglas doug; eugene gene; jacob jake; joshua josh; zachary zach zack;
elizabeth liz beth betty eliza; katherine catherine kathryn kate katie kathy cathy;
margaret maggie meg peggy; jennifer jen jenny; susan sue susie; deborah debbie deb;
rebecca becky
"""
NICKNAME_GROUPS = tuple(group.split() for group in _NICKNAMES.split(";"))
_JOINERS = re.compile(r"['’`-]")
_NOT_CONSONANT = re.compile(r"[aeiouyhw]")  # dropped after the first letter in that key
_DOUBLED = re.compile(r"(.)\1+")  # "rr" → "r" in that key
_GROUPS_OF: dict[str, frozenset[int]] = {  # given name → the groups it belongs to
    given: frozenset(i for i, other in enumerate(NICKNAME_GROUPS) if given in other)
    for group in NICKNAME_GROUPS
    for given in group
}


@dataclass(frozen=True)
class Evidence:
    name: str  # as written
    seasons: frozenset[int] = frozenset()  # years raced
    series: frozenset[str] = frozenset()  # series slugs, e.g. "cup", "arca"
    cars: frozenset[str] = frozenset()  # car numbers as written ("08" is not "8")
    teams: frozenset[str] = frozenset()  # team name keys (name_key of the team name)
    nationality: str = ""  # ISO 3166 code (CA, or GB-SCT) or ""

    def merged(self, more: Evidence) -> Evidence:
        """This evidence with the seasons, series, cars and teams of *more* added."""
        return replace(
            self,
            seasons=self.seasons | more.seasons,
            series=self.series | more.series,
            cars=self.cars | more.cars,
            teams=self.teams | more.teams,
        )


class Verdict(StrEnum):
    SAME = "same"  # confident: link the new key to the known person
    REVIEW = "review"  # uncertain: a human decides (review queue)
    DIFFERENT = "different"  # a different person


@dataclass(frozen=True)
class Score:
    value: float  # 0.0–1.0
    verdict: Verdict
    reasons: tuple[str, ...]  # human-readable: "same name", "suffix Jr. vs Sr."


@dataclass(frozen=True)
class _Name:
    given: str  # "" when the name is a surname alone
    middles: tuple[str, ...]
    surname: str  # particles joined: "delacruz"
    suffix: str  # "Jr.", "II", … or ""
    compact: str  # every word but the suffix, without spaces: spacing never tells names apart


@cache
def _parse(name: str) -> _Name:
    """Split a name as written; "Marlow, Casey Jr." and "Casey Marlow, Jr." both read right."""
    joined = _JOINERS.sub("", name)  # "O'Hara" is "OHara"; "Ferrand-Vaux" is one surname
    parts = [key for key in (name_key(part) for part in joined.split(",")) if key]
    suffix = next((SUFFIXES[part] for part in parts[1:] if part in SUFFIXES), "")
    words = [part for index, part in enumerate(parts) if not (index and part in SUFFIXES)]
    if len(words) == 2:  # "Surname, Given"
        words.reverse()
    tokens = " ".join(words).split()
    if len(tokens) > 1 and tokens[-1] in SUFFIXES:
        suffix = SUFFIXES[tokens.pop()]
    tokens = _merge_initials(tokens)
    if not tokens:
        return _Name("", (), "", suffix, "")
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1] in PARTICLES:
        cut -= 1
    given = tokens[0] if cut else ""
    return _Name(given, tuple(tokens[1:cut]), "".join(tokens[cut:]), suffix, "".join(tokens))


def _merge_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters are one set of initials: "d j" → "dj" ("D. J." is "DJ")."""
    merged: list[str] = []
    in_run = False
    for token in tokens:
        single = len(token) == 1 and token.isalpha()
        if single and in_run:
            merged[-1] += token
        else:
            merged.append(token)
        in_run = single
    return merged


def _title(key: str) -> str:
    return key.title() if len(key) > 1 else f"{key.upper()}."


def _is_initial(short: str, full: str) -> bool:
    """True when *short* is the initial of *full* or of one of its nicknames ("b": William)."""
    if len(short) != 1 or len(full) <= 1:
        return False
    names = {full}.union(*(NICKNAME_GROUPS[i] for i in _GROUPS_OF.get(full, ())))
    return any(name.startswith(short) for name in names)


def _given_relation(a: str, b: str) -> tuple[float, str]:
    """What two given (or middle) names say: one of the NAME_* values, and why."""
    if a == b:
        return NAME_SAME, "same given name"
    if not a or not b:
        return NAME_INITIAL, "given name on one side only"
    if _GROUPS_OF.get(a, frozenset()) & _GROUPS_OF.get(b, frozenset()):
        return NAME_NICKNAME, f"nickname: {_title(a)} ~ {_title(b)}"
    if _is_initial(a, b) or _is_initial(b, a):
        return NAME_INITIAL, f"initial: {_title(a)} ~ {_title(b)}"
    if fuzz.ratio(a, b) >= GIVEN_CLOSE_RATIO:
        return NAME_MISSPELT, f"close spelling: {_title(a)} ~ {_title(b)}"
    return NAME_GIVEN_DIFFERENT, f"different given names: {_title(a)} vs {_title(b)}"


def _compare_names(a: _Name, b: _Name) -> tuple[float, bool, bool, list[str]]:
    """(name value, vetoed, misspelt, reasons)."""
    if a.suffix and b.suffix and a.suffix != b.suffix:
        return 0.0, True, False, [f"suffix {a.suffix} vs {b.suffix}"]
    value = SUFFIX_ONE_SIDE if a.suffix != b.suffix else 0.0
    reasons = [f"suffix {a.suffix or b.suffix} on one side only"] if value else []
    if a.compact == b.compact:
        return value + NAME_SAME, False, False, ["same name", *reasons]
    if fuzz.ratio(a.surname, b.surname) < SURNAME_CLOSE_RATIO:
        return 0.0, True, False, [f"different surname: {_title(a.surname)} vs {_title(b.surname)}"]
    given, why = _given_relation(a.given, b.given)
    reasons.insert(0, why)
    if a.middles != b.middles and not (a.middles and b.middles):
        value += MIDDLE_ONE_SIDE
        only = " ".join(_title(m) for m in a.middles or b.middles)
        reasons.append(f"middle name {only} on one side only")
    elif len(a.middles) != len(b.middles) or any(
        _given_relation(x, y)[0] < NAME_INITIAL for x, y in zip(a.middles, b.middles, strict=True)
    ):
        value += MIDDLE_CLASH
        reasons.append("different middle names")
    misspelt = given == NAME_MISSPELT
    if a.surname != b.surname:
        if given == NAME_GIVEN_DIFFERENT:
            return 0.0, True, False, ["different given name and surname"]
        given, misspelt = min(given, NAME_MISSPELT), True
        reasons.insert(0, f"close spelling: {_title(a.surname)} ~ {_title(b.surname)}")
    return value + given, False, misspelt, reasons


def _years(seasons: frozenset[int]) -> str:
    first, last = min(seasons), max(seasons)
    return str(first) if first == last else f"{first}–{last}"


def _compare_careers(a: frozenset[int], b: frozenset[int]) -> tuple[float, bool, str]:
    """(value, vetoed, reason) from the seasons raced; nothing when either side has none."""
    if not a or not b:
        return 0.0, False, ""
    raced = f"raced {_years(a)} and {_years(b)}"
    gap = max(min(b) - max(a), min(a) - max(b))
    span = max(max(a), max(b)) - min(min(a), min(b))
    if gap > ERA_GAP_YEARS:
        return 0.0, True, f"{raced}, {gap} years apart"
    if span > MAX_CAREER_YEARS:
        return 0.0, True, f"{raced}: a {span}-year career is implausible"
    if gap <= 0:
        return SEASONS_OVERLAP, False, f"{raced}: seasons overlap"
    if gap <= ADJACENT_GAP_YEARS:
        return SEASONS_ADJACENT, False, f"{raced}: adjacent seasons"
    if gap <= NEARBY_GAP_YEARS:
        return SEASONS_NEARBY, False, f"{raced}, {gap} years apart"
    return SEASONS_DISTANT, False, f"{raced}, {gap} years apart"


def score(known: Evidence, new: Evidence) -> Score:
    """How likely *new* is *known*, with the reasons a reviewer reads."""
    a, b = _parse(known.name), _parse(new.name)
    if not a.compact or not b.compact:
        return Score(0.0, Verdict.DIFFERENT, ("no name to compare",))
    total, vetoed, misspelt, reasons = _compare_names(a, b)
    career, era_veto, why = _compare_careers(known.seasons, new.seasons)
    total, vetoed = total + career, vetoed or era_veto
    reasons += [why] if why else []
    shared = {
        "series": (known.series & new.series, SHARED_SERIES),
        "car": (known.cars & new.cars, SHARED_CAR),
        "team": (known.teams & new.teams, SHARED_TEAM),
    }
    for what, (common, weight) in shared.items():
        if common:
            total += weight
            reasons.append(f"shared {what}: {', '.join(sorted(common))}")
    if known.nationality and new.nationality:
        # A Scot (GB-SCT) and a Briton (GB) are not a clash: compare countries.
        if country_of(known.nationality) == country_of(new.nationality):
            total += NATIONALITY_SAME
            reasons.append(f"same nationality: {country_of(known.nationality)}")
        else:
            total += NATIONALITY_CLASH
            reasons.append(f"nationality {known.nationality.upper()} vs {new.nationality.upper()}")
    value = round(min(max(total, 0.0), 1.0), 6)
    if vetoed:
        return Score(min(value, VETO_CEILING), Verdict.DIFFERENT, tuple(reasons))
    if value >= SAME_THRESHOLD:
        verdict = Verdict.SAME
        if misspelt and not (shared["car"][0] and shared["team"][0]):
            verdict = Verdict.REVIEW
            reasons.append("a misspelt name links only when car and team agree too")
    else:
        verdict = Verdict.REVIEW if value >= REVIEW_THRESHOLD else Verdict.DIFFERENT
    return Score(value, verdict, tuple(reasons))


def best_match(
    new: Evidence, candidates: Mapping[int, Evidence]
) -> tuple[int | None, Score | None]:
    """The candidate id the new evidence should link to (verdict SAME and clearly ahead of the
    next candidate), else None with the best score (REVIEW when any candidate is REVIEW or two
    are close, so the caller queues it)."""
    if not candidates:
        return None, None
    ranked = sorted(
        ((score(known, new), known_id) for known_id, known in candidates.items()),
        key=lambda pair: (-pair[0].value, pair[1]),
    )
    best, best_id = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    close = runner_up is not None and best.value - runner_up[0].value < CLEAR_LEAD
    if best.verdict is Verdict.SAME and not close:
        return best_id, best
    if best.verdict is Verdict.SAME and runner_up is not None:
        why = f"candidate {runner_up[1]} is close ({runner_up[0].value:.2f})"
        return None, replace(best, verdict=Verdict.REVIEW, reasons=(*best.reasons, why))
    if any(s.verdict is Verdict.REVIEW for s, _ in ranked):
        return None, replace(best, verdict=Verdict.REVIEW)
    return None, best


def surname_key(name: str) -> str:
    """The last name's key, suffixes (Jr, Sr, II, III, IV) and punctuation removed."""
    return _parse(name).surname


def blocking_keys(name: str) -> frozenset[str]:
    """Cheap keys under which candidates are looked up in a database: the surname, the surname
    with the first initial, and the surname's consonants (so "Marlow" finds "Marlowe"). Two
    spellings of one person share at least the surname key ("Bill Elliott" / "William Elliott")."""
    parsed = _parse(name)
    if not parsed.surname:
        return frozenset()
    consonants = _DOUBLED.sub(r"\1", parsed.surname[0] + _NOT_CONSONANT.sub("", parsed.surname[1:]))
    keys = {f"surname:{parsed.surname}", f"consonants:{consonants}"}
    if parsed.given:
        keys.add(f"initial:{parsed.surname} {parsed.given[0]}")
    return frozenset(keys)


def may_be_one_person(a: str, b: str) -> bool:
    """Whether two names may be one person's (a shared blocking key): "Geoff Bodine" and
    "Geoffrey Bodine", "Dick Rathman" and "Dick Rathmann" may; "Buck Baker" and "John Soares"
    may not. A check that a record is about the person expected, not an identity decision."""
    return bool(blocking_keys(a) & blocking_keys(b))


def dropped_letters(short: str, full: str) -> bool:
    """Whether *short* is *full* with a few letters dropped, as a file that lost its accented
    letters writes it ("Alex Labb" for "Alex Labbé", stored elsewhere as "Alex Labbe"): the
    same words, each the same or missing at most two letters, never its first."""
    words, full_words = name_key(short).split(), name_key(full).split()
    if len(words) != len(full_words) or words == full_words:
        return False
    for word, whole in zip(words, full_words, strict=True):
        if word[:1] != whole[:1] or not 0 <= len(whole) - len(word) <= 2:
            return False
        letters = iter(whole)
        if not all(letter in letters for letter in word):  # a subsequence of the whole word
            return False
    return True
