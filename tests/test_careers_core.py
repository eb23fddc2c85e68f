"""The careers core without Django: statements' checks, ages, stat lines, and firsts on
fictional data (ties on the same day, missing attributes, several sanctioning bodies, a
combination race)."""

from __future__ import annotations

import datetime as dt

import pytest

from pitboard.core.careers import (
    InvalidStatement,
    born_between,
    check,
    describe,
    numbers_in,
    overlap,
    stated_numbers,
    statline,
)
from pitboard.core.firsts import Event, Query, first


def test_a_statement_must_fit_its_property() -> None:
    check("team_stint", {"team": "Fictional Racing", "seasons": [2020, 2021]}, {})
    with pytest.raises(InvalidStatement) as bad:
        check("team_stint", {"team": "Fictional Racing"}, {})
    assert bad.value.field == "value.seasons"
    with pytest.raises(InvalidStatement) as bad:
        check("team_stint", {"seasons": [2020], "schedule": "most of it"}, {})
    assert bad.value.field == "value.schedule" and "full-time" in str(bad.value)
    with pytest.raises(InvalidStatement) as bad:
        check("relative", {"person": "x", "relation": "parent", "shoe_size": 9}, {})
    assert bad.value.field == "value.shoe_size"
    with pytest.raises(InvalidStatement) as bad:
        check("injury", {"injury": "broken wrist", "date": "2020-02-30"}, {})
    assert bad.value.field == "value.date"
    with pytest.raises(InvalidStatement) as bad:
        check("hair_colour", {"colour": "red"}, {})
    assert bad.value.field == "property"
    with pytest.raises(InvalidStatement) as bad:
        check("nationality", {"country": "CA"}, {"mood": "happy"})
    assert bad.value.field == "qualifiers.mood"


def test_two_reported_ages_give_birth_ranges_that_may_disagree() -> None:
    # Aged 24 some day in January or February 2017; aged 33 some day in 2025.
    early = born_between(24, dt.date(2017, 1, 1), dt.date(2017, 2, 19))
    late = born_between(33, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert early == (dt.date(1992, 1, 2), dt.date(1993, 2, 19))
    assert late == (dt.date(1991, 1, 2), dt.date(1992, 12, 31))
    assert overlap([early, late]) == (dt.date(1992, 1, 2), dt.date(1992, 12, 31))
    assert overlap([early, born_between(40, dt.date(2025, 1, 1), dt.date(2025, 6, 1))]) is None
    # Born on 29 February: a year without one has the 28th.
    assert born_between(1, dt.date(2025, 2, 28), dt.date(2025, 2, 28))[1] == dt.date(2024, 2, 28)


def test_stat_lines_read_as_a_writer_would() -> None:
    line = statline({"starts": 13, "wins": 1, "podiums": 7, "top5": 12})
    assert line == "1 win, 7 podiums and 12 top fives in 13 starts"
    assert statline({"starts": 20, "wins": 0, "top5": 0, "top10": 6}) == "6 top tens in 20 starts"
    assert statline({"starts": 20, "wins": 0, "top5": 0}) == "0 wins in 20 starts"
    assert statline({"starts": 1, "wins": 1}) == "1 win in 1 start"
    assert statline({"starts": 0}) == "0 starts"
    assert statline({"wins": 2, "top5": None}) == "2 wins"


def test_numbers_of_a_statement_are_found_in_words_and_digits() -> None:
    given = stated_numbers({"starts": 13, "wins": 1, "date": "2016-08-27"}, {"note": "x"})
    assert given == {"13", "1", "2016", "27", "august"}
    text = "One win on August 27, 2016, and 12 top fives in 13 races; over 7,000 followers."
    found = numbers_in(text)
    assert given <= found and {"12", "7000"} <= found
    assert numbers_in("Top-five finishes, a third place") == {"5", "3"}


def test_statements_in_words() -> None:
    assert (
        describe("team_stint", {"team": "Fictional Racing", "seasons": [2019, 2020, 2021],
                                "series": "arca", "schedule": "part-time"}, None, {"arca": "ARCA"})
        == "2019–2021, Fictional Racing, ARCA, part-time"
    )  # fmt: skip
    assert describe("relative", {"person": "k", "relation": "parent"}, "Pat Doe") == (
        "Pat Doe (parent)"
    )
    assert describe("race_result", {"season": 2016, "finish": 1, "date": "2016-08-27",
                                    "track": "Fictional Speedway"}) == (
        "2016-08-27, Fictional Speedway: finished 1st"
    )  # fmt: skip
    summary = {"season": 2022, "series": "arca", "starts": 20, "position": 7, "points": 774}
    assert describe("season_summary", summary) == "2022 arca: 20 starts, 7th in points, 774 points"


# Firsts ----------------------------------------------------------------------------------------

D = dt.date


def event(
    driver: int,
    day: dt.date | None,
    finish: int = 1,
    *,
    season: int | None = None,
    series: str = "tour",
    sanction: str | None = "NASCAR",
    country: str | None = "US",
    nationality: str | None = "CA",
    gender: str | None = "female",
    start: int = 5,
) -> Event:
    return Event(
        driver,
        season or (day.year if day else 2000),
        day,
        finish,
        start,
        series,
        sanction,
        country,
        nationality,
        gender,
    )


ASK = Query("win", sanction="NASCAR", country="US", nationality="CA", gender="female")


def test_the_earliest_win_that_fits_every_attribute_answers() -> None:
    events = [
        event(1, D(2016, 8, 27)),
        event(2, D(2018, 5, 1)),
        event(3, D(2010, 6, 1), finish=2),  # not a win
        event(4, D(2009, 6, 1), nationality="US"),  # another nationality
        event(5, D(2008, 6, 1), country="CA"),  # in another country
    ]
    found = first(ASK, events)
    assert [e.driver for e in found.answers] == [1]
    assert found.missing == []


def test_two_winners_on_the_same_day_are_both_first() -> None:
    found = first(
        ASK, [event(7, D(2016, 8, 27)), event(3, D(2016, 8, 27)), event(1, D(2017, 1, 1))]
    )
    assert [e.driver for e in found.answers] == [3, 7]


def test_missing_attributes_are_reported_not_guessed() -> None:
    events = [
        event(1, D(2016, 8, 27)),
        event(2, D(2012, 7, 1), gender=None),  # might be the first: her gender is unknown
        event(3, D(2013, 7, 1), gender=None),
        event(4, D(2011, 7, 1), nationality=None),
        event(5, D(2014, 7, 1), country=None),
        event(6, D(2019, 7, 1), gender=None),  # after the answer: cannot change it
        event(8, None, season=2016),  # no date, in the answer's season
    ]
    found = first(ASK, events)
    assert [e.driver for e in found.answers] == [1]
    joined = " | ".join(found.missing)
    assert (
        "the driver's gender: unknown for 2 qualifying event(s) before the answer (2 drivers)"
        in joined
    )
    assert "the driver's nationality: unknown for 1" in joined
    assert "the country of the track: unknown for 1" in joined
    assert "the dates of 1 qualifying event(s) of 2016, which may have come first" in joined


def test_the_sanctioning_body_decides_between_series() -> None:
    events = [
        event(1, D(2015, 5, 1), series="arca", sanction="ARCA"),
        event(2, D(2016, 8, 27), series="weekly", sanction="NASCAR"),
    ]
    assert [e.driver for e in first(ASK, events).answers] == [2]
    arca = Query("win", sanction="ARCA", nationality="CA", gender="female")
    assert [e.driver for e in first(arca, events).answers] == [1]
    anyone = Query("win", nationality="CA", gender="female")
    assert [e.driver for e in first(anyone, events).answers] == [1]


def test_a_combination_race_counts_once_for_its_driver() -> None:
    # One race counted by two series (an East/West combination race): two results, one event.
    day = D(2014, 6, 1)
    events = [
        event(1, day, series="east", sanction="NASCAR"),
        event(1, day, series="west", sanction="NASCAR"),
        event(2, D(2014, 6, 8)),
    ]
    found = first(Query("win", sanction="NASCAR"), events)
    assert [e.driver for e in found.answers] == [1]
    west = first(Query("win", series="west"), events)
    assert [(e.driver, e.series) for e in west.answers] == [(1, "west")]


def test_poles_tens_and_starts() -> None:
    events = [
        event(1, D(2010, 1, 1), finish=8, start=1),
        event(2, D(2009, 1, 1), finish=12, start=3),
        event(3, D(2011, 1, 1), finish=4, start=2),
    ]
    assert [e.driver for e in first(Query("pole"), events).answers] == [1]
    assert [e.driver for e in first(Query("top10"), events).answers] == [1]
    assert [e.driver for e in first(Query("top5"), events).answers] == [3]
    assert [e.driver for e in first(Query("start"), events).answers] == [2]
    assert first(Query("win"), events).answers == []


def test_an_undated_win_of_an_earlier_season_comes_first() -> None:
    found = first(ASK, [event(1, D(2015, 5, 1)), event(2, None, season=2012)])
    assert [e.driver for e in found.answers] == [2]
    assert found.missing == ["the answers' dates: known only as the 2012 season"]


def test_undated_answers_say_so() -> None:
    found = first(Query("win"), [event(1, None, season=1960), event(2, None, season=1961)])
    assert [e.driver for e in found.answers] == [1]
    assert found.missing == ["the answers' dates: known only as the 1960 season"]


def test_every_property_is_documented() -> None:
    from pitboard.core.careers import PROPERTIES
    from tests.conftest import REPO

    text = (REPO / "docs" / "careers.md").read_text()
    missing = [name for name in PROPERTIES if f"| `{name}` |" not in text]
    assert not missing, f"docs/careers.md lacks {missing}"
