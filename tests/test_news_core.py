"""Cleaning an article and finding what it mentions, without a database: fictional texts and
names (pitboard.core.news, pitboard.core.mentions)."""

from __future__ import annotations

from pitboard.core import mentions as m
from pitboard.core.news import clean

STORY = """Home News Schedule

Quill Takes Harrow Opener

Avery Quill won the opener of the Harrow Thunder Series at Harrow Bowl on Saturday, her first win.

Quill led 40 of 50 laps.

Avery  Quill won the opener of the Harrow Thunder Series
at Harrow Bowl on Saturday, her first\xa0win!

Photos courtesy of the Harrow Bowl media office.

By Sam Ledger

Sam Ledger is a freelance writer covering short tracks for the Harrow Herald.

Follow the series on Instagram and Facebook to check out every race.
"""


def test_cleaning_keeps_the_story_and_says_what_it_removed_and_why() -> None:
    cleaned = clean(STORY)
    assert cleaned.title == "Quill Takes Harrow Opener"
    assert cleaned.author == "Sam Ledger"
    assert cleaned.body.split("\n\n") == [
        "Avery Quill won the opener of the Harrow Thunder Series at Harrow Bowl on Saturday, "
        "her first win.",
        "Quill led 40 of 50 laps.",
    ]
    kinds = [r.kind for r in cleaned.removed]
    assert kinds == ["chrome", "repeat", "disclaimer", "byline", "blurb", "blurb"]
    for r in cleaned.removed:  # each piece is where the text as given has it
        assert STORY[r.start : r.end] == r.text and r.why
    # The paragraphs' spans point into the body.
    assert [cleaned.body[s:e] for s, e in cleaned.paragraphs][1] == "Quill led 40 of 50 laps."


def test_a_text_without_a_title_line_keeps_its_first_paragraph() -> None:
    text = "Avery Quill won again.\n\nShe leads the points."
    cleaned = clean(text)
    assert cleaned.title == "" and cleaned.body == text and cleaned.removed == []
    assert clean(text, title="Given").title == "Given"


def gazetteer() -> m.Gazetteer:
    return m.Gazetteer(
        [
            m.Name("Avery Quill", m.DRIVER, 1, "Avery Quill", 2028, 2032, frozenset({"thunder"})),
            # A namesake who raced long before, in another series.
            m.Name("Avery Quill", m.DRIVER, 2, "Avery Quill", 1971, 1975, frozenset({"cup"})),
            m.Name("Morgan Quill", m.PERSON, 3, "Morgan Quill"),
            m.Name("Harrow Bowl Speedway", m.TRACK, 4, "Harrow Bowl Speedway"),
            m.Name("Harrow Bowl", m.TRACK, 4, "Harrow Bowl Speedway", short=True),
            m.Name("Kansas", m.TRACK, 5, "Kansas Speedway", short=True),
            m.Name("Riverbend", m.TRACK, 9, "Riverbend Speedway", short=True),
            m.Name("Quill Racing", m.TEAM, 6, "Quill Racing"),
            m.Name("Harrow Lightning Series", m.SERIES, 7, "Harrow Thunder Series", 2020, 2029),
            m.Name("Harrow Thunder Series", m.SERIES, 7, "Harrow Thunder Series", 2030, None),
            m.Name("Thunder Series", m.SERIES, 8, "Ohio Thunder Series", 1990, 1999),
        ]
    )


def found(text: str, season: int | None = 2031) -> list[tuple[str, str, int | None, str]]:
    return [
        (x.text, x.kind, x.ident, x.method)
        for x in m.find(text, gazetteer(), season, places=("Kansas", "North Carolina"))
    ]


def test_names_link_longest_first_and_surnames_after_a_full_mention() -> None:
    text = (
        "Quill was quick. Avery Quill of Quill Racing won the Harrow Thunder Series race at "
        "Harrow Bowl Speedway; Quill's mother Morgan Quill watched."
    )
    assert found(text) == [
        ("Avery Quill", "driver", 1, "exact"),  # the one racing in 2031
        ("Quill Racing", "team", 6, "exact"),
        ("Harrow Thunder Series", "series", 7, "exact"),  # not "Thunder Series"
        ("Harrow Bowl Speedway", "track", 4, "exact"),
        ("Quill", "driver", 1, "surname"),  # "Quill" before the full name is nobody yet
        ("Morgan Quill", "person", 3, "exact"),
    ]
    # After two Quills are named, "Quill" alone says neither.
    assert ("Quill", "driver", 1, "surname") not in found(
        "Avery Quill and Morgan Quill arrived. Quill won."
    )


def test_the_season_chooses_between_namesakes_and_between_a_series_names() -> None:
    assert found("Avery Quill won.", season=1973)[0][2] == 2
    assert found("Avery Quill won.", season=2031)[0][2] == 1
    # The series' old name, in an old story, is the same series.
    assert found("the Harrow Lightning Series opener", season=2025)[0][:3] == (
        "Harrow Lightning Series",
        "series",
        7,
    )


def test_a_shortened_track_name_needs_its_context() -> None:
    assert found("She finished eighth at Kansas.")[0][:3] == ("Kansas", "track", 5)
    # A state's name is the state unless "at" says otherwise; lower case is no name.
    assert found("She moved to Kansas in May.") == []
    assert found("a kansas wind") == []
    assert found("Racing at Harrow Bowl again.")[0][:3] == ("Harrow Bowl", "track", 4)
    # One word: after a preposition, or before the race it names; not a state's name.
    assert found("the fall Riverbend race")[0][:3] == ("Riverbend", "track", 9)
    assert [x for x in found("Riverbend said so, and Kansas race fans agreed.") if x[1]] == []


def test_a_series_goes_by_its_short_forms() -> None:
    assert m.series_forms("NASCAR Camping World Truck Series") == {
        "NASCAR Camping World Truck Series", "Camping World Truck Series", "Truck Series"
    }  # fmt: skip
    assert m.series_forms("NASCAR K&N Pro Series East") == {
        "NASCAR K&N Pro Series East", "K&N Pro Series East", "K&N East"
    }  # fmt: skip
    assert m.series_forms("ARCA Menards Series West") == {"ARCA Menards Series West", "ARCA West"}


def test_names_that_match_nothing_are_proposed_never_linked() -> None:
    out = m.find(
        "Avery Quill joined Zephyr Mountain Motorsports. She drove Late Models in North Carolina.",
        gazetteer(),
        2031,
        places=("North Carolina",),
    )
    proposed = [x for x in out if x.method == "proposed"]
    assert [x.text for x in proposed] == ["Zephyr Mountain Motorsports"]
    # Initials are part of a name; a full stop ending a sentence is not.
    said = m.find("Fans met J.J. Wren at A.J. Foyt Speedway. Then Lou Ash left.", gazetteer())
    assert [x.text for x in said] == ["J.J. Wren", "A.J. Foyt Speedway", "Lou Ash"]
    assert proposed[0].ident is None and proposed[0].confidence == 0
    # A near spelling of a known name links, with less confidence.
    [fuzzy] = [x for x in m.find("Averry Quill won.", gazetteer(), 2031) if x.method == "fuzzy"]
    assert fuzzy.ident in (1, 2) and fuzzy.confidence < 0.8


def test_odd_texts_keep_their_offsets_and_their_words() -> None:
    # Windows line endings still part paragraphs; a credit needs a picture, a byline a name.
    crlf = "Quill Wins\r\n\r\nAvery Quill won.\r\n\r\n"
    crlf += "Her engine, courtesy of her uncle's shop, held."
    cleaned = clean(crlf)
    assert cleaned.title == "Quill Wins" and cleaned.removed == []
    assert cleaned.body == "Avery Quill won.\n\nHer engine, courtesy of her uncle's shop, held."
    assert clean("Avery Quill won.\n\nBy Sunday night.").removed == []
    # A letter whose lower case is two characters does not shift what follows.
    text = "İzmir fans cheered.\n\nAvery Quill won at Harrow Bowl Speedway."
    for x in m.find(text, gazetteer(), 2031):
        assert text[x.start : x.end] == x.text
    assert [x.text for x in m.find(text, gazetteer(), 2031)][:1] == ["Avery Quill"]
    # Dashes are spaces to the matcher, whichever dash.
    assert found("the Harrow Thunder–Series")[0][:3] == ("Harrow Thunder–Series", "series", 7)


def test_a_surname_inside_another_name_is_not_the_person() -> None:
    names = m.Gazetteer(
        [
            m.Name("Kyle Busch", m.DRIVER, 1, "Kyle Busch"),
            m.Name("Kurt Busch", m.DRIVER, 2, "Kurt Busch"),
        ]
    )
    text = "Kyle Busch beat his brother at the Busch Light Clash. Busch said so."
    out = [(x.text, x.ident, x.method) for x in m.find(text, names, 2024)]
    assert ("Busch", 1, "surname") in out  # "Busch said"
    assert [x for x in out if x[0] == "Busch"] == [("Busch", 1, "surname")]
    assert ("Busch Light Clash", None, "proposed") in out


def test_a_namesake_is_the_one_of_the_series_the_story_names() -> None:
    # Both Avery Quills race in 2031 here; the story names the Thunder Series.
    names = m.Gazetteer(
        [
            m.Name("Avery Quill", m.DRIVER, 1, "Avery Quill", 2030, 2032, frozenset({"cup"})),
            m.Name("Avery Quill", m.DRIVER, 2, "Avery Quill", 2030, 2032, frozenset({"thunder"})),
            m.Name("Harrow Thunder Series", m.SERIES, 7, "Harrow Thunder Series", 2030, None,
                   frozenset({"thunder"})),
        ]
    )  # fmt: skip
    [driver, series] = m.find("Avery Quill won a Harrow Thunder Series race.", names, 2031)
    assert (driver.ident, driver.confidence, series.ident) == (2, 0.9, 7)
