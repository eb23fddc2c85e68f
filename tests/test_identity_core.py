"""Identity scoring in the core: is a newly seen person a known one? (Fictional people only.)"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from pitboard.core import identity
from pitboard.core.identity import (
    Evidence,
    Score,
    Verdict,
    best_match,
    blocking_keys,
    score,
    surname_key,
)


def years(first: int, last: int | None = None) -> frozenset[int]:
    return frozenset(range(first, (last or first) + 1))


def sharing(base: Evidence, extra: Evidence) -> Evidence:
    """*base* that also shares the series, cars and teams of *extra*."""
    return replace(
        base,
        series=base.series | extra.series,
        cars=base.cars | extra.cars,
        teams=base.teams | extra.teams,
    )


def both_ways(known: Evidence, new: Evidence) -> Score:
    """The score, checked to be the same whichever side is the known person."""
    there, back = score(known, new), score(new, known)
    assert (there.value, there.verdict) == (back.value, back.verdict)
    assert 0.0 <= there.value <= 1.0
    assert there.reasons
    return there


def test_identity_core_imports_no_django() -> None:
    code = (
        "import sys, pitboard.core.identity; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


SPELLINGS = [
    ("Casey Marlow Jr.", "Casey Marlow, Jr."),
    ("Casey Marlow Jr.", "casey  marlow jr"),
    ("Casey Marlow Jr.", "Marlow, Casey, Jr."),
    ("Élodie Ferrand", "Elodie Ferrand"),
    ("D.J. Marlow", "DJ Marlow"),
    ("A. J. Quarrington", "AJ Quarrington"),
    ("Mary Ann Ostrander", "Maryann Ostrander"),
    ("Ricky Van Der Wal", "Ricky VanDerWal"),
]


@pytest.mark.parametrize(("known", "new"), SPELLINGS)
def test_case_accents_punctuation_and_spacing_never_tell_names_apart(known: str, new: str) -> None:
    result = both_ways(
        Evidence(known, seasons=years(2001, 2004)), Evidence(new, seasons=years(2003))
    )
    assert result.verdict is Verdict.SAME
    assert "same name" in result.reasons


@pytest.mark.parametrize(
    ("known", "new", "reason"),
    [
        ("Casey Marlow Jr.", "Casey Marlow Sr.", "suffix Jr. vs Sr."),
        ("Casey Marlow II", "Casey Marlow III", "suffix II vs III"),
        ("Casey Marlow, Junior", "Casey Marlow Sr", "suffix Jr. vs Sr."),
    ],
)
def test_a_suffix_clash_is_two_people_whatever_else_agrees(
    known: str, new: str, reason: str
) -> None:
    shared = Evidence(
        "", series=frozenset({"cup"}), cars=frozenset({"08"}), teams=frozenset({"hollis"})
    )
    result = both_ways(
        sharing(Evidence(known, seasons=years(1990, 1995)), shared),
        sharing(Evidence(new, seasons=years(1993)), shared),
    )
    assert result.verdict is Verdict.DIFFERENT
    assert reason in result.reasons


def test_a_suffix_on_one_side_only_is_weak_evidence() -> None:
    plain = both_ways(
        Evidence("Casey Marlow", seasons=years(1990)), Evidence("Casey Marlow", seasons=years(1991))
    )
    suffixed = both_ways(
        Evidence("Casey Marlow", seasons=years(1990)),
        Evidence("Casey Marlow Jr.", seasons=years(1991)),
    )
    assert suffixed.verdict is not Verdict.DIFFERENT
    assert suffixed.value < plain.value
    assert "suffix Jr. on one side only" in suffixed.reasons


def test_namesakes_forty_years_apart_are_different_people() -> None:
    result = both_ways(
        Evidence("Dusty Quarrington", seasons=years(1950, 1958), series=frozenset({"cup"})),
        Evidence("Dusty Quarrington", seasons=years(1998, 2004), series=frozenset({"cup"})),
    )
    assert result.verdict is Verdict.DIFFERENT
    assert "raced 1950–1958 and 1998–2004, 40 years apart" in result.reasons


def test_a_joint_career_of_implausible_length_is_two_people() -> None:
    result = both_ways(
        Evidence("Dusty Quarrington", seasons=years(1950, 1990)),
        Evidence("Dusty Quarrington", seasons=years(1995, 2010)),
    )
    assert result.verdict is Verdict.DIFFERENT


@pytest.mark.parametrize(
    ("known", "new", "verdict"),
    [
        (Evidence("Tobias Wrenfield"), Evidence("Tobias Wrenfield"), Verdict.REVIEW),
        (
            Evidence("Tobias Wrenfield", seasons=years(2001)),
            Evidence("Tobias Wrenfield"),
            Verdict.REVIEW,
        ),
        (
            Evidence("Tobias Wrenfield", series=frozenset({"arca"})),
            Evidence("tobias wrenfield", series=frozenset({"arca"})),
            Verdict.REVIEW,
        ),
    ],
)
def test_an_identical_name_without_seasons_is_only_a_question(
    known: Evidence, new: Evidence, verdict: Verdict
) -> None:
    assert both_ways(known, new).verdict is verdict


@pytest.mark.parametrize(
    ("known", "new", "verdict"),
    [
        (years(2001, 2005), years(2004, 2008), Verdict.SAME),  # overlap
        (years(2001, 2005), years(2006, 2008), Verdict.SAME),  # adjacent
        (years(2001, 2005), years(2007, 2008), Verdict.SAME),  # adjacent, one season missed
        (years(2001, 2005), years(2010, 2011), Verdict.REVIEW),  # nearby: not enough alone
        (years(1980, 1985), years(2000, 2001), Verdict.REVIEW),  # a long break: a human decides
        (years(1960, 1965), years(2000, 2001), Verdict.DIFFERENT),  # another era
    ],
)
def test_an_identical_name_with_seasons(
    known: frozenset[int], new: frozenset[int], verdict: Verdict
) -> None:
    assert (
        both_ways(
            Evidence("Tobias Wrenfield", seasons=known), Evidence("Tobias Wrenfield", seasons=new)
        ).verdict
        is verdict
    )


def test_an_identical_name_in_the_same_series_a_few_years_on_is_the_same_person() -> None:
    result = both_ways(
        Evidence(
            "Tobias Wrenfield",
            seasons=years(2001, 2005),
            series=frozenset({"late-model-motor-mile"}),
        ),
        Evidence(
            "Tobias Wrenfield",
            seasons=years(2010),
            series=frozenset({"late-model-motor-mile", "arca"}),
        ),
    )
    assert result.verdict is Verdict.SAME
    assert "shared series: late-model-motor-mile" in result.reasons


NICKNAMES = [
    ("Bill Ostrander", "William Ostrander"),
    ("Billy Ostrander", "Will Ostrander"),
    ("Bob Ostrander", "Robert Ostrander"),
    ("Rick Ostrander", "Dick Ostrander"),
    ("Chuck Ostrander", "Charles Ostrander"),
    ("Ted Ostrander", "Edward Ostrander"),
    ("Ted Ostrander", "Theodore Ostrander"),
    ("Jack Ostrander", "Johnny Ostrander"),
    ("Harry Ostrander", "Henry Ostrander"),
    ("Jerry Ostrander", "Gerald Ostrander"),
]
SHARED = [
    Evidence("", cars=frozenset({"08"})),
    Evidence("", teams=frozenset({"hollis motorsports"})),
    Evidence("", series=frozenset({"arca"})),
]


@pytest.mark.parametrize(("known", "new"), NICKNAMES)
@pytest.mark.parametrize("shared", SHARED)
def test_a_nickname_with_overlapping_seasons_and_a_shared_car_team_or_series_is_the_same_person(
    known: str, new: str, shared: Evidence
) -> None:
    result = both_ways(
        sharing(Evidence(known, seasons=years(1995, 1999)), shared),
        sharing(Evidence(new, seasons=years(1999, 2002)), shared),
    )
    assert result.verdict is Verdict.SAME
    assert any(reason.startswith("nickname: ") for reason in result.reasons)


@pytest.mark.parametrize(("known", "new"), NICKNAMES)
def test_a_nickname_with_seasons_only_is_a_question(known: str, new: str) -> None:
    result = both_ways(
        Evidence(known, seasons=years(1995, 1999)), Evidence(new, seasons=years(1999))
    )
    assert result.verdict is Verdict.REVIEW


def test_unrelated_given_names_are_different_people() -> None:
    result = both_ways(
        Evidence("Tom Ostrander", seasons=years(1999)),
        Evidence("Walter Ostrander", seasons=years(1999)),
    )
    assert result.verdict is Verdict.DIFFERENT


def test_initials_and_middle_names_are_weaker_than_the_same_name() -> None:
    seasons = years(2010, 2012)
    same = both_ways(
        Evidence("Mary Ostrander", seasons=seasons), Evidence("Mary Ostrander", seasons=seasons)
    )
    middle = both_ways(
        Evidence("Mary Ann Ostrander", seasons=seasons), Evidence("Mary Ostrander", seasons=seasons)
    )
    initial = both_ways(
        Evidence("M. Ostrander", seasons=seasons), Evidence("Mary Ostrander", seasons=seasons)
    )
    assert same.value > middle.value > initial.value
    assert "middle name Ann on one side only" in middle.reasons
    assert "initial: M. ~ Mary" in initial.reasons
    assert initial.verdict is Verdict.REVIEW


@pytest.mark.parametrize(
    ("known", "new"),
    [
        ("Casey Marlow", "Casey Marlowe"),
        ("Élodie Ferrand", "Elodie Ferand"),
        ("Kasey Marlow", "Casey Marlow"),
    ],
)
def test_a_close_misspelling_is_a_question_unless_car_and_team_agree(known: str, new: str) -> None:
    base = Evidence("", seasons=years(2015, 2018), series=frozenset({"arca"}))
    car = sharing(base, Evidence("", cars=frozenset({"17"})))
    everything = sharing(car, Evidence("", teams=frozenset({"hollis motorsports"})))
    verdicts = [
        both_ways(replace(evidence, name=known), replace(evidence, name=new)).verdict
        for evidence in (Evidence(""), base, car, everything)
    ]
    assert verdicts == [Verdict.DIFFERENT, Verdict.REVIEW, Verdict.REVIEW, Verdict.SAME]


def test_a_different_surname_is_a_different_person_whatever_else_agrees() -> None:
    shared = Evidence(
        "",
        seasons=years(2015),
        series=frozenset({"arca"}),
        cars=frozenset({"17"}),
        teams=frozenset({"hollis"}),
    )
    result = both_ways(
        replace(shared, name="Casey Marlow"), replace(shared, name="Casey Pennington")
    )
    assert result.verdict is Verdict.DIFFERENT
    assert "different surname: Marlow vs Pennington" in result.reasons


def test_different_nationalities_strongly_oppose_an_identical_name() -> None:
    result = both_ways(
        Evidence(
            "Élodie Ferrand", seasons=years(2019, 2021), series=frozenset({"cup"}), nationality="FR"
        ),
        Evidence(
            "Élodie Ferrand", seasons=years(2020), series=frozenset({"cup"}), nationality="CA"
        ),
    )
    assert result.verdict is Verdict.DIFFERENT
    assert "nationality FR vs CA" in result.reasons
    same_country = both_ways(
        Evidence("Élodie Ferrand", seasons=years(2019, 2021), nationality="FR"),
        Evidence("Elodie Ferrand", seasons=years(2020), nationality="fr"),
    )
    assert same_country.verdict is Verdict.SAME


def test_car_numbers_are_compared_as_written() -> None:
    shared = both_ways(
        Evidence("Bill Ostrander", seasons=years(1999), cars=frozenset({"08"})),
        Evidence("William Ostrander", seasons=years(1999), cars=frozenset({"08"})),
    )
    unlike = both_ways(
        Evidence("Bill Ostrander", seasons=years(1999), cars=frozenset({"08"})),
        Evidence("William Ostrander", seasons=years(1999), cars=frozenset({"8"})),
    )
    assert (shared.verdict, unlike.verdict) == (Verdict.SAME, Verdict.REVIEW)


def test_best_match_links_the_clearly_better_candidate() -> None:
    new = Evidence(
        "Bill Ostrander", seasons=years(2001), series=frozenset({"arca"}), cars=frozenset({"41"})
    )
    candidates = {
        7: Evidence(
            "William Ostrander",
            seasons=years(1998, 2002),
            series=frozenset({"arca"}),
            cars=frozenset({"41"}),
        ),
        8: Evidence("William Ostrander Sr.", seasons=years(1970, 1975), series=frozenset({"arca"})),
        9: Evidence("Bill Pennington", seasons=years(2001)),
    }
    linked, result = best_match(new, candidates)
    assert linked == 7
    assert result is not None and result.verdict is Verdict.SAME


def test_best_match_queues_two_close_candidates() -> None:
    new = Evidence("Tobias Wrenfield", seasons=years(2001), series=frozenset({"cup"}))
    twin = Evidence("Tobias Wrenfield", seasons=years(1999, 2003), series=frozenset({"cup"}))
    linked, result = best_match(new, {3: twin, 4: twin})
    assert linked is None
    assert result is not None and result.verdict is Verdict.REVIEW
    assert "candidate 4 is close (0.95)" in result.reasons


def test_best_match_queues_a_review_and_creates_when_nothing_fits() -> None:
    new = Evidence("Tobias Wrenfield")
    assert best_match(new, {}) == (None, None)
    linked, result = best_match(
        new,
        {5: Evidence("Tobias Wrenfield"), 6: Evidence("Tobias Wrenfield Jr.", seasons=years(1960))},
    )
    assert linked is None and result is not None and result.verdict is Verdict.REVIEW
    linked, result = best_match(new, {6: Evidence("Tobias Pennington")})
    assert linked is None and result is not None and result.verdict is Verdict.DIFFERENT


SAME_PERSON_SPELLINGS = [
    ("Casey Marlow Jr.", "Casey Marlow, Jr.", "C. Marlow Jr", "Marlow, Casey", "casey MARLOW ii"),
    ("Élodie Ferrand", "Elodie Ferrand", "E. Ferrand", "FERRAND, Élodie"),
    ("Bill Ostrander", "William Ostrander", "Billy Ostrander", "W. Ostrander Sr."),
    ("Ricky Van Der Wal", "Ricky VanDerWal", "R. van der Wal"),
    ("Casey Marlow", "Casey Marlowe"),
]


@pytest.mark.parametrize("spellings", SAME_PERSON_SPELLINGS)
def test_spellings_of_one_person_share_a_blocking_key(spellings: tuple[str, ...]) -> None:
    shared = frozenset.intersection(*(blocking_keys(name) for name in spellings))
    assert shared


def test_blocking_keys_keep_different_surnames_apart() -> None:
    assert not blocking_keys("Casey Marlow") & blocking_keys("Casey Pennington")
    assert not blocking_keys("Bill Ostrander") & blocking_keys("Bill Quarrington")
    assert blocking_keys("") == frozenset()
    assert blocking_keys("Bill Ostrander") & blocking_keys("Bill Ostrander Jr.") == blocking_keys(
        "Bill Ostrander"
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Casey Marlow Jr.", "marlow"),
        ("Casey Marlow, Jr.", "marlow"),
        ("Marlow, Casey", "marlow"),
        ("Casey O'Marlow III", "omarlow"),
        ("Élodie Ferrand-Vaux", "ferrandvaux"),
        ("Ricky De La Cruzado", "delacruzado"),
        ("Pennington", "pennington"),
        ("", ""),
    ],
)
def test_surname_key(name: str, key: str) -> None:
    assert surname_key(name) == key


def test_thresholds_are_ordered() -> None:
    assert 0 < identity.VETO_CEILING < identity.REVIEW_THRESHOLD < identity.SAME_THRESHOLD <= 1
    assert (
        identity.NAME_SAME > identity.NAME_NICKNAME > identity.NAME_INITIAL > identity.NAME_MISSPELT
    )


def test_names_with_dropped_letters_and_names_that_may_be_one_person() -> None:
    from pitboard.core.identity import dropped_letters, may_be_one_person

    assert dropped_letters("Avery Quil", "Avery Quillé")
    assert not dropped_letters("Avery Quill", "Avery Quill")  # the same name drops nothing
    assert not dropped_letters("Avery Quill", "Jordan Quill")
    assert not dropped_letters("Avery Q", "Avery Quill")  # more than two letters
    assert may_be_one_person("Jordan Marsh", "Jordan Marshe")
    assert not may_be_one_person("Jordan Marsh", "Riley Stroud")
