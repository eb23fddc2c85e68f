"""The racing core, without Django."""

from __future__ import annotations

import subprocess
import sys

from pitboard.core.names import Candidate, MatchKind, fix_mojibake, name_key, pick, rank, slugify
from pitboard.core.stats import (
    Grouping,
    ResultLine,
    StatLine,
    Tally,
    best_of,
    career,
    finishing_tally,
)
from pitboard.core.status import StatusClass, classify
from pitboard.core.tracks import Layout, layout_of, surface_of


def test_core_imports_no_django() -> None:
    code = (
        "import sys, pitboard.core.names, pitboard.core.stats, pitboard.core.status, "
        "pitboard.core.tracks; print(any(m.startswith('django') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_name_keys_ignore_case_accents_and_punctuation_but_keep_suffixes() -> None:
    assert name_key("Élodie  O'Hara-Smith") == "elodie o hara smith"
    assert name_key("Avery Quill Jr.") == name_key("avery quill jr")
    assert name_key("Avery Quill Jr.") != name_key("Avery Quill Sr.")
    assert slugify("Avery Quill Jr.") == "avery-quill-jr"


def test_mojibake_is_repaired_only_when_it_round_trips() -> None:
    assert fix_mojibake("Cheddarâ€™s 300") == "Cheddar’s 300"
    assert fix_mojibake("Café 200") == "Café 200"


PEOPLE = [
    Candidate(1, "Avery Quill"),
    Candidate(2, "Avery Quillan"),
    Candidate(3, "Jordan Marsh", ("J.D. Marsh",)),
    Candidate(4, "Riley Marsh"),
]


def test_ranking_prefers_exact_then_alias_then_prefix_then_contains_then_fuzzy() -> None:
    assert [m.candidate.id for m in rank("avery quill", PEOPLE)] == [1]
    assert rank("J.D. Marsh", PEOPLE)[0].kind is MatchKind.ALIAS
    prefix = rank("Avery", PEOPLE)
    assert {m.candidate.id for m in prefix} == {1, 2} and prefix[0].kind is MatchKind.PREFIX
    contains = rank("marsh", PEOPLE)
    assert {m.candidate.id for m in contains} == {3, 4}
    assert contains[0].kind is MatchKind.CONTAINS
    fuzzy = rank("Jordan Mash", PEOPLE)
    assert fuzzy[0].candidate.id == 3 and fuzzy[0].kind is MatchKind.FUZZY


def test_a_close_spelling_is_fuzzy_a_shared_word_is_not() -> None:
    people = [Candidate(1, "Ted Lane"), Candidate(2, "Doc Lane"), Candidate(3, "Jimmie Harlow")]
    assert rank("Lane Pullum", people) == []  # only "Lane" resembles anything
    assert [m.candidate.id for m in rank("Jimmy Harlow", people)] == [3]
    assert [m.candidate.id for m in rank("Jimie Harlo", people)] == [3]


def test_ambiguous_matches_are_not_picked() -> None:
    assert pick(rank("Avery", PEOPLE)) is None
    assert pick(rank("Riley", PEOPLE)).candidate.id == 4  # type: ignore[union-attr]
    assert pick(rank("Nobody", PEOPLE)) is None


def test_status_classes() -> None:
    assert classify("running") is StatusClass.RUNNING
    assert classify("Accident") is StatusClass.ACCIDENT
    assert classify("DVP") is StatusClass.ACCIDENT
    assert classify("broken rear axle") is StatusClass.MECHANICAL
    assert classify("oil pressure") is StatusClass.MECHANICAL
    assert classify("disqualified") is StatusClass.DISQUALIFIED
    assert classify("did not qualify") is StatusClass.DID_NOT_QUALIFY
    assert classify("out of fuel") is StatusClass.OTHER
    assert classify("running", classified=False) is StatusClass.DID_NOT_START


def test_layouts_and_surfaces() -> None:
    assert layout_of("Lakeview Oval", "paved") is Layout.OVAL
    assert layout_of("Lakeview Oval", "road") is Layout.ROAD_COURSE
    assert layout_of("Pinecrest Road Course", None) is Layout.ROAD_COURSE
    assert layout_of("Harbor Street Course", "road") is Layout.STREET_COURSE
    assert surface_of("road") == "paved" and surface_of("dirt") == "dirt" and surface_of(None) == ""


def line(
    series: str,
    season: int,
    finish: int | None,
    start: int | None = None,
    status: str = "running",
    points: int | None = 10,
) -> ResultLine:
    return ResultLine(series, season, "Lakeview Oval", start, finish, 100, 5, status, points)


def test_aggregate_counts_starts_only_for_classified_results() -> None:
    lines = [
        line("a", 2020, 1, 1),
        line("a", 2020, 4, None, "engine"),
        line("a", 2021, 12, 3, "accident", None),
        line("a", 2021, None, None, "did_not_start", 0),
    ]
    _, stat = career(lines, Grouping.SERIES)
    assert (stat.starts, stat.wins, stat.top5, stat.top10, stat.poles) == (3, 1, 2, 2, 1)
    assert (stat.avg_start, stat.avg_finish, stat.best_finish, stat.dnf) == (2.0, 5.67, 1, 3)
    assert (stat.laps, stat.laps_led, stat.points) == (400, 20, 20)


def test_career_groups_in_series_order() -> None:
    lines = [line("b", 2021, 2), line("a", 2021, 1), line("a", 2020, 3)]
    order = {"a": 1, "b": 2}.__getitem__
    rows, total = career(lines, Grouping.SEASON, order)
    assert [(r.series, r.season) for r in rows] == [("a", 2020), ("a", 2021), ("b", 2021)]
    assert (total.series, total.starts, total.wins, total.avg_finish) == (None, 3, 1, 2.0)
    by_series, _ = career(lines, Grouping.SERIES, order)
    assert [r.series for r in by_series] == ["a", "b"]


def test_a_combination_race_counts_in_both_series_rows_and_once_in_the_total() -> None:
    shared = line("east", 2019, 1)
    lines = [line("east", 2019, 3), shared, shared._replace(series="west", also=True)]
    rows, total = career(lines, Grouping.SERIES)
    assert [(r.series, r.starts, r.wins) for r in rows] == [("east", 2, 1), ("west", 1, 1)]
    assert (total.starts, total.wins) == (2, 1)
    # Asked for one series, its total is its row.
    _, west = career(lines[2:], Grouping.SERIES, total_series="west")
    assert (west.series, west.starts) == ("west", 1)


def test_best_of_ranks_wins_then_average_finish_among_enough_starts() -> None:
    rows = [
        StatLine("", None, "Lakeview Oval", starts=10, wins=2, avg_finish=8.0),
        StatLine("", None, "Cedar Ridge", starts=12, wins=2, avg_finish=6.5),
        StatLine("", None, "Pinecrest", starts=2, wins=2, avg_finish=1.0),
        StatLine("", None, "Birch Hollow", starts=5, wins=0, avg_finish=3.0),
    ]
    best = best_of(rows, min_starts=3, limit=2)
    assert [row.track for row in best] == ["Cedar Ridge", "Lakeview Oval"]


def test_merging_tallies_adds_every_sum_and_keeps_the_best_finish() -> None:
    from dataclasses import fields

    one = Tally(**{f.name: i + 1 for i, f in enumerate(fields(Tally))})
    two = Tally(**{f.name: 100 * (i + 1) for i, f in enumerate(fields(Tally))})
    one.merge(two)
    for i, f in enumerate(fields(Tally)):
        expected = i + 1 if f.name == "best" else 101 * (i + 1)
        assert getattr(one, f.name) == expected, f.name


def test_a_finishing_tally_counts_finishes_only() -> None:
    tally = finishing_tally([1, 4, None, 12, 1])
    assert (tally.entries, tally.starts, tally.wins, tally.top5, tally.top10) == (5, 4, 2, 3, 3)
    assert (tally.best, tally.finish_sum, tally.laps, tally.poles) == (1, 18, 0, 0)
    assert tally.line("cup", None, None).avg_finish == 4.5


def test_standings_moves_name_the_places_and_points_a_race_changed() -> None:
    from pitboard.core.standings import moves

    before = [
        {"driver": "Ada", "position": 1, "points": 50},
        {"driver": "Bo", "position": 2, "points": 45},
    ]
    after = [
        {"driver": "Bo", "position": 1, "points": 95},
        {"driver": "Ada", "position": 2, "points": 90},
        {"driver": "Cy", "position": 3, "points": 30},
    ]
    assert [
        (r["driver"], r["was_position"], r["gained"], r["moved"]) for r in moves(before, after)
    ] == [
        ("Bo", 2, 50, 1),
        ("Ada", 1, 40, -1),
        ("Cy", None, 30, None),
    ]
