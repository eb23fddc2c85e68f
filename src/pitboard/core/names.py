"""Names of people, tracks and teams: keys for matching, slugs for URLs, ranked lookup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process

_NOT_WORD = re.compile(r"[\W_]+")
_MOJIBAKE_HINTS = ("â€", "Ã", "Â")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 ("Cheddarâ€™s" → "Cheddar’s").

    Only applied when the round trip is exact, so correct text is never touched.
    """
    if not any(hint in text for hint in _MOJIBAKE_HINTS):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def name_key(name: str) -> str:
    """A matching key: accents, case, punctuation and spacing do not tell names apart.

    Letters of every script count ("Élodie" matches "elodie"; "Иван" stays "иван"), and so do
    suffixes: "Johnny Benson Jr." and "Johnny Benson Sr." are two people. A name with no letter
    or digit has an empty key and matches nothing.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def slugify(name: str) -> str:
    """Lowercase and hyphenated: "Johnny Benson Jr." → "johnny-benson-jr" ("unnamed" if empty).

    Accented Latin letters lose their accents ("é" → "e"); letters of other scripts are kept
    whole ("Луговой" → "луговой").
    """
    letters = []
    for char in unicodedata.normalize("NFC", name):
        base = unicodedata.normalize("NFKD", char)
        ascii_base = "".join(c for c in base if not unicodedata.combining(c))
        letters.append(ascii_base if ascii_base.isascii() else char)
    slug = _NOT_WORD.sub("-", "".join(letters).casefold()).strip("-")
    return slug or "unnamed"


def unique_slug(name: str, taken: set[str]) -> str:
    """The slug of *name*, with a numeric suffix when it is already taken; records it as taken."""
    base = slugify(name)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


class MatchKind(IntEnum):
    """How a name matched a query, best first."""

    EXACT = 0
    ALIAS = 1
    PREFIX = 2
    CONTAINS = 3
    FUZZY = 4


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    kind: MatchKind
    score: float  # 100 for all but fuzzy matches


FUZZY_CUTOFF = 80.0


def rank(query: str, candidates: Iterable[Candidate], limit: int = 10) -> list[Match]:
    """Candidates matching *query*, exact > alias > prefix > contains > fuzzy.

    Only the best tier that has any match is returned: a query with an exact match never lists
    fuzzy look-alikes, while a query matching several names in its best tier is ambiguous.
    """
    key = name_key(query)
    if not key:
        return []
    pool = list(candidates)
    tiers: dict[MatchKind, list[Match]] = {kind: [] for kind in MatchKind}
    for cand in pool:
        main = name_key(cand.name)
        alias_keys = [name_key(a) for a in cand.aliases]
        if main == key:
            tiers[MatchKind.EXACT].append(Match(cand, MatchKind.EXACT, 100.0))
        elif key in alias_keys:
            tiers[MatchKind.ALIAS].append(Match(cand, MatchKind.ALIAS, 100.0))
        elif main.startswith(key) or any(a.startswith(key) for a in alias_keys):
            tiers[MatchKind.PREFIX].append(Match(cand, MatchKind.PREFIX, 100.0))
        elif _contains_words(main, key) or any(_contains_words(a, key) for a in alias_keys):
            tiers[MatchKind.CONTAINS].append(Match(cand, MatchKind.CONTAINS, 100.0))
    for kind in MatchKind:
        if tiers[kind]:
            return sorted(tiers[kind], key=lambda m: m.candidate.name)[:limit]
    keys = [name_key(c.name) for c in pool]
    # More than *limit*: some close scores are dropped below for a word nothing resembles.
    found = process.extract(
        key, keys, scorer=fuzz.WRatio, limit=limit * 5, score_cutoff=FUZZY_CUTOFF
    )
    return [
        Match(pool[index], MatchKind.FUZZY, score)
        for name, score, index in found
        if _every_word_resembles(key, name)
    ][:limit]


WORD_CUTOFF = 70.0


def _every_word_resembles(key: str, name: str) -> bool:
    """True when each word of the query is close to some word of the name: a close spelling,
    not a name sharing one word ("Lee Pulliam" is not "Ted Lee", "Jimmy Johnson" may be
    "Jimmie Johnson")."""
    words = name.split()
    return all(
        any(fuzz.ratio(word, other) >= WORD_CUTOFF for other in words) for word in key.split()
    )


def _contains_words(text: str, key: str) -> bool:
    """True when *key* stands in *text* starting at a word boundary ("petty" in "kyle petty")."""
    return f" {key}" in f" {text}"


def pick(matches: list[Match]) -> Match | None:
    """The one match a query means, or None when it is ambiguous or empty.

    A single match in the best tier is taken; among fuzzy matches the best is taken only when it
    is clearly ahead of the next.
    """
    if len(matches) == 1:
        return matches[0]
    if (
        len(matches) > 1
        and matches[0].kind is MatchKind.FUZZY
        and matches[0].score - matches[1].score >= 5
    ):
        return matches[0]
    return None
