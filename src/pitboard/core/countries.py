"""Nationalities as sources write them ("usa", "new_zealand", "scotland"), read as ISO 3166
codes, and the names shown for those codes.

A code is a country's alpha-2 code (``CA``) or, where a source names one of the countries of the
United Kingdom, its ISO 3166-2 subdivision (``GB-SCT``): what the source said is kept, not
widened to ``GB``. Country data comes from pycountry (the ISO 3166 tables, maintained).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

# Words that stand for "not known": no nationality is stated.
UNKNOWN = frozenset({"", "none", "unknown", "n/a", "na", "-", "?"})
# Words that are neither a country's name nor one of its codes.
WORDS = {
    "uk": "GB",
    "england": "GB-ENG",
    "scotland": "GB-SCT",
    "wales": "GB-WLS",
    "northern ireland": "GB-NIR",
}
# Words that name more than one country: reported, not guessed.
AMBIGUOUS = {
    "virgin islands": "the United States Virgin Islands (VI) or the British Virgin Islands (VG)",
}


@dataclass(frozen=True)
class Reading:
    """A source's word for a nationality: its code, or why it has none (None: not stated)."""

    code: str | None = None
    problem: str | None = None


@cache
def read_nationality(word: str) -> Reading:
    """The ISO 3166 code of a source's *word* for a nationality; nothing for "none"."""
    text = " ".join(word.replace("_", " ").split()).lower()
    if text in UNKNOWN:
        return Reading()
    if text in WORDS:
        return Reading(WORDS[text])
    if text in AMBIGUOUS:
        return Reading(problem=f"nationality {word!r} may be {AMBIGUOUS[text]}: not stated")
    try:
        return Reading(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return Reading(problem=f"nationality {word!r} is no country pitboard knows: not stated")


@cache
def country_name(code: str) -> str:
    """The name shown for a code: the common name where ISO gives one ("Venezuela")."""
    if "-" in code:
        division = pycountry.subdivisions.get(code=code)
        return division.name if division is not None else code
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def country_of(code: str) -> str:
    """The country part of a code: ``GB`` for ``GB-SCT`` (a Scot is British)."""
    return code.split("-", 1)[0].upper()
