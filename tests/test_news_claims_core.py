"""Claims in a story, found and judged without a database (pitboard.core.claims): a fictional
driver's record held in memory through the Record protocol, the same one the database gives."""

from __future__ import annotations

from datetime import date

from pitboard.core import claims
from pitboard.core.claims import Line, Reported
from pitboard.core.mentions import DRIVER, PERSON, SERIES, TRACK, Mention

JODY, CASS, COACH = 1, 2, 3
RIVERBEND, LAKESIDE = 10, 11
SERIES_ID = 20


def _line(
    season: int, rnd: int, day: str, track: int, start: int, finish: int, **kw: object
) -> Line:
    fields = {"laps_led": 0, "dnf": False, "series": "valley"} | kw
    name = {RIVERBEND: "Riverbend Speedway", LAKESIDE: "Lakeside Oval"}[track]
    return Line(
        race=season * 100 + rnd, season=season, round=rnd, day=date.fromisoformat(day),
        track=track, track_name=name, start=start, finish=finish, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


class Memory:
    """A fictional record: Jody Marlin's two seasons of the Valley Series (four races each),
    its champions, and an age a source reported of her."""

    def __init__(self) -> None:
        self.held = {
            JODY: [
                _line(2021, 1, "2021-04-03", RIVERBEND, 5, 3, laps_led=12),
                _line(2021, 2, "2021-05-01", LAKESIDE, 1, 1, laps_led=80),
                _line(2021, 3, "2021-06-05", RIVERBEND, 9, 14, dnf=True),
                _line(2021, 4, "2021-07-03", LAKESIDE, 2, 2, laps_led=5),
                _line(2022, 1, "2022-04-02", RIVERBEND, 3, 1, laps_led=40),
                _line(2022, 2, "2022-05-07", LAKESIDE, 4, 6),
                _line(2022, 3, "2022-06-04", RIVERBEND, 1, 1, laps_led=101),
                _line(2022, 4, "2022-07-02", LAKESIDE, 7, 4),
            ]
        }

    def lines(self, person: int) -> list[Line]:
        return self.held.get(person, [])

    def schedule(self, series: str, season: int) -> list[tuple[int, date | None, int]]:
        if series != "valley" or season not in (2021, 2022):
            return []
        return [(ln.round, ln.day, ln.track) for ln in self.held[JODY] if ln.season == season]

    def standing(
        self, series: str, season: int, after_round: int, person: int
    ) -> tuple[int, int] | None:
        table = {(2021, 4): (2, 160), (2022, 2): (1, 80), (2022, 4): (1, 171)}
        return table.get((season, after_round)) if person == JODY else None

    def champions(self, series: str) -> dict[int, int] | None:
        return {2021: CASS, 2022: JODY} if series == "valley" else None

    def birth(self, person: int) -> tuple[date | None, list[Reported]]:
        if person != JODY:
            return None, []
        return None, [Reported(25, date(2020, 9, 1), date(2020, 9, 1), "The Valley Times")]


def _mentions(text: str) -> list[Mention]:
    """The names of the fictional record, found by hand as the linker would find them."""
    names = {
        "Jody Marlin": (DRIVER, JODY), "Marlin": (DRIVER, JODY), "Cass Varner": (DRIVER, CASS),
        "Dale Ostrander": (PERSON, COACH), "Riverbend Speedway": (TRACK, RIVERBEND),
        "Riverbend": (TRACK, RIVERBEND), "Lakeside Oval": (TRACK, LAKESIDE),
        "Valley Series": (SERIES, SERIES_ID),
    }  # fmt: skip
    found: list[Mention] = []
    for name, (kind, ident) in sorted(names.items(), key=lambda n: -len(n[0])):
        at = text.find(name)
        while at != -1:
            if not any(m.start <= at < m.end for m in found):
                label = "Jody Marlin" if ident == JODY else name
                found.append(Mention(name, at, at + len(name), kind, ident, label, 1.0, "exact"))
            at = text.find(name, at + 1)
    return sorted(found, key=lambda m: m.start)


def check(text: str, published: str) -> list[tuple[str, int | None, str, object]]:
    day = date.fromisoformat(published)
    found = claims.find(text, _mentions(text), day, {SERIES_ID: "valley"})
    return [
        (c.predicate, c.value, c.verdict, c.correct) for c in claims.check(found, Memory(), day)
    ]


def test_a_race_its_start_finish_and_laps_led_by_track_and_season() -> None:
    text = (
        "Jody Marlin won at Riverbend Speedway in 2022 from the pole, leading 101 laps.\n\n"
        "At Lakeside Oval that year she finished fifth after starting seventh."
    )
    assert check(text, "2022-08-01") == [
        ("finish", 1, "supported", 1),  # of two Riverbend races, the one she won
        ("start", 1, "supported", 1),
        ("laps_led", 101, "supported", 101),
        ("finish", 5, "contradicted", [6, 4]),  # neither Lakeside race
        ("start", 7, "supported", 7),
    ]


def test_counts_over_a_season_two_seasons_and_a_career_as_of_the_day() -> None:
    text = (
        "Jody Marlin scored two wins and three top-five finishes in the 2021 Valley Series season,"
        " with one DNF in four starts. Over the past two seasons of the Valley Series she won"
        " four races. She has three career Valley Series wins."
    )
    got = check(text, "2022-05-10")  # after 2022's second race: one 2022 win so far
    assert got == [
        ("wins", 2, "contradicted", 1),
        ("top5", 3, "supported", 3),
        ("dnf", 1, "supported", 1),
        ("starts", 4, "supported", 4),
        ("wins", 4, "contradicted", 2),
        ("wins", 3, "contradicted", 2),
    ]
    assert [v for _, _, v, _ in check(text, "2022-12-01")][-2:] == ["contradicted", "supported"]


def test_best_first_and_only_and_the_standings() -> None:
    text = (
        "Jody Marlin's first Valley Series win came at Lakeside Oval in 2021. "
        "She finished second at Lakeside Oval in July 2021, a career-best finish. "
        "Marlin finished the 2021 season second in the standings with 160 points."
    )
    assert check(text, "2021-12-01") == [
        ("first_win", 1, "supported", 1),
        ("finish", 2, "supported", 2),
        ("best_finish", 2, "contradicted", 1),  # she had won in May
        ("standing", 2, "supported", 2),
        ("points", 160, "supported", 160),
    ]
    mid = "Marlin was first in the standings with 80 points after her 2022 Lakeside race."
    assert check(mid, "2022-05-10") == [
        ("standing", 1, "supported", 1),  # after round 2: the last run by that day
        ("points", 80, "supported", 80),
    ]


def test_championships_rounds_and_ages() -> None:
    text = (
        "Jody Marlin, a two-time Valley Series champion, is 27. The 2022 Valley Series season"
        " consisted of four races. The 27-year-old Marlin raced at Riverbend."
    )
    assert check(text, "2023-01-10") == [
        ("championships", 2, "contradicted", 1),
        ("rounds", 4, "supported", 4),
        # 25 on 1 September 2020: born 2 September 1994 to 1 September 1995, so 27 or 28
        ("age", 27, "unverifiable", None),
    ]
    assert check("The 24-year-old Jody Marlin", "2021-06-01") == [
        ("age", 24, "contradicted", [25, 26])
    ]


def test_hopes_plans_and_the_future_are_not_claims() -> None:
    text = (
        "Jody Marlin hopes to win five races in 2023. She will start from the pole at Riverbend,"
        " and she should finish in the top five. Her goal is 300 points."
    )
    assert check(text, "2023-01-10") == []


def test_who_a_claim_is_about() -> None:
    text = (
        "Cass Varner raced with Jody Marlin, who won at Lakeside Oval in May 2021.\n\n"
        "Working with Dale Ostrander, Marlin finished third at Riverbend Speedway in April 2021."
        " “I led 12 laps at Riverbend,” Marlin said."
    )
    found = claims.find(
        text, _mentions(text), date(2021, 12, 1), {SERIES_ID: "valley"}
    )  # fmt: skip
    assert [(c.predicate, c.subject_name, c.quoted) for c in found] == [
        ("finish", "Jody Marlin", False),  # an aside ("…, who won"): the person it is about
        ("finish", "Jody Marlin", False),  # not her coach: he is named after "with"
        ("laps_led", "Jody Marlin", True),  # the speaker of the quotation
    ]


def test_asides_notebook_items_and_series_not_held() -> None:
    # A year in an aside about someone else dates the aside, not the sentence's race.
    text = (
        "Jody Marlin finished sixth at Lakeside Oval, said Cass Varner, who won at Riverbend"
        " Speedway in 2019."
    )
    assert check(text, "2022-08-01") == [
        ("finish", 6, "supported", 6),  # 2022, the story's season
        ("finish", 1, "unverifiable", None),  # Cass Varner's: no result of hers is held
    ]
    # A notebook's item carries in no race: "led 40 laps" has no race or span here.
    notebook = (
        "RIVERBEND: Jody Marlin won at Riverbend Speedway in 2022.\n\nFAST: Marlin led 40 laps."
    )
    assert check(notebook, "2022-08-01") == [
        ("finish", 1, "supported", 1),
        ("laps_led", 40, "unverifiable", None),
    ]
    # A best finish stated without its race: the best of the career up to the day.
    best = "Jody Marlin's career best remains a third-place run."
    assert check(best, "2021-04-10") == [("best_finish", 3, "supported", 3)]
    assert check(best, "2021-06-01") == [("best_finish", 3, "contradicted", 1)]
    # A series the record does not hold is not taken for the story's.
    other = "In the 2021 Valley Series season Jody Marlin also won 3 Mountain Series races."
    day = date(2022, 1, 1)
    [got] = claims.check(
        claims.find(other, _mentions(other), day, {SERIES_ID: "valley"}), Memory(), day
    )  # fmt: skip
    assert got.verdict == "unverifiable" and "Mountain Series" in got.why


def test_no_result_held_is_unverifiable_not_none() -> None:
    text = "Cass Varner scored seven wins in the 2021 Valley Series season."
    assert check(text, "2022-01-01") == [("wins", 7, "unverifiable", None)]
    text = "Jody Marlin won three races in the 2019 Valley Series season."
    day = date(2023, 1, 1)
    got = claims.check(
        claims.find(text, _mentions(text), day, {SERIES_ID: "valley"}), Memory(), day
    )  # fmt: skip
    assert got[0].verdict == "unverifiable" and "is not held" in got[0].why


def test_numbers_as_written() -> None:
    assert claims.number("twenty-first") == 21
    assert claims.number("P35") == 35
    assert claims.number("4,040") == 4040
    assert claims.number("thirty-three") == 33
    assert claims.number("12th") == 12
