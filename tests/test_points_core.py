"""The rules engine on fictional series: every rule feature, without Django."""

from __future__ import annotations

import pytest

from pitboard.core.points import Entry, score_race
from pitboard.core.rules import RuleError, parse
from pitboard.core.standings import Penalty, PlayoffFacts, ScoredRace, on_cars, season_standings

BASE = {
    "id": "test",
    "name": "Fictional",
    "era": "test",
    "sources": ["test"],
    "positions": {"table": [10, 8, 6, 4, 2], "beyond": 1},
}


def rules(**extra: object):
    return parse({**BASE, **extra}, "test.toml")


def race(
    *finishes: int | None,
    led: dict[int, int] | None = None,
    start: dict[int, int] | None = None,
    stages: dict[int, tuple[int | None, ...]] | None = None,
) -> list[Entry]:
    """Drivers 1, 2, 3… finishing where given."""
    led, start, stages = led or {}, start or {}, stages or {}
    return [
        Entry(
            driver,
            finish,
            start=start.get(driver),
            laps_led=led.get(driver, 0),
            stage_finishes=stages.get(driver, ()),
        )
        for driver, finish in enumerate(finishes, start=1)
    ]


def totals(rule_set, entries, **kwargs) -> list[int]:
    return [p.total for p in score_race(rule_set, entries, **kwargs)]


def test_position_table_and_beyond() -> None:
    assert totals(rules(), race(1, 2, 3, 6, 7, None)) == [10, 8, 6, 1, 1, 0]


def test_bonuses_win_pole_led_and_most_led_shared() -> None:
    r = rules(bonuses={"win": 3, "pole": 1, "led_lap": 1, "most_laps_led": 2})
    entries = race(1, 2, 3, led={1: 10, 2: 10, 3: 1}, start={3: 1})
    assert totals(r, entries) == [10 + 3 + 1 + 2, 8 + 1 + 2, 6 + 1 + 1]


def test_stage_points_and_a_race_paying_an_extra_stage() -> None:
    r = rules(stage_points={"table": [3, 2, 1], "stages": 2})
    entries = race(1, 2, stages={1: (1, 2, 1), 2: (2, 1, None)})
    assert totals(r, entries) == [10 + 3 + 2, 8 + 2 + 3]
    assert totals(r, entries, paying_stages=3) == [10 + 3 + 2 + 3, 8 + 2 + 3]


def test_show_up_attempt_and_passing_points() -> None:
    r = rules(show_up=5, attempt=2, passing=1)
    entries = race(1, 2, None, start={1: 4, 2: 1})
    assert totals(r, entries) == [10 + 5 + 3, 8 + 5, 2]


def test_minimum_laps() -> None:
    r = rules(min_laps_fraction=0.5)
    entries = [Entry(1, 1, laps=100), Entry(2, 2, laps=40)]
    assert totals(r, entries, scheduled_laps=100) == [10, 0]


def test_ineligible_driver_scores_zero_and_others_keep_their_places() -> None:
    r = rules(eligibility={"declared_series": True, "ineligible": "zero"})
    assert totals(r, race(1, 2, 3), eligible=lambda d: d != 1) == [0, 8, 6]


def test_ineligible_driver_skipped_and_others_move_up() -> None:
    r = rules(eligibility={"declared_series": True, "ineligible": "skip"})
    assert totals(r, race(1, 2, 3), eligible=lambda d: d != 1) == [0, 10, 8]


def test_a_driver_credited_with_two_cars_scores_once() -> None:
    r = rules(eligibility={"one_car_per_driver": True})
    entries = [Entry(1, 4), Entry(2, 1), Entry(1, 2)]
    points = score_race(r, entries)
    assert [p.total for p in points] == [0, 10, 8]
    assert [p.eligible for p in points] == [False, True, True]


def scored(rule_set, *races: list[Entry]) -> list[ScoredRace]:
    return [ScoredRace(n, e, score_race(rule_set, e)) for n, e in enumerate(races, start=1)]


def test_ties_broken_on_wins_then_countback() -> None:
    r = rules()
    # Drivers 1 and 2 both score 20 with one win each; 1 has a second place, 2 has none.
    season = scored(r, race(1, 3, 2), race(2, 1, 3), race(5, 4, 1))
    table = season_standings(r, season)
    assert {row.driver: row.points for row in table} == {1: 20, 2: 20, 3: 24}
    assert [row.driver for row in table] == [3, 1, 2]


def test_drops_worst_and_best_of() -> None:
    worst = rules(drops={"worst": 1})
    season = scored(worst, race(1, 2), race(5, 1), race(2, 1))
    assert {r.driver: r.points for r in season_standings(worst, season)} == {1: 18, 2: 20}
    best = rules(drops={"best_of": 1})
    assert {r.driver: r.points for r in season_standings(best, season)} == {1: 10, 2: 10}


def test_penalty_and_its_appeal_outcome_as_data() -> None:
    r = rules()
    season = scored(r, race(1, 2), race(1, 2))
    upheld = season_standings(r, season, penalties=[Penalty(1, after_round=2, points=5)])
    assert {row.driver: row.points for row in upheld} == {1: 15, 2: 16}
    # An appeal that rescinds the penalty removes it from the facts: the standings follow.
    assert {row.driver: row.points for row in season_standings(r, season)} == {1: 20, 2: 16}
    # Before the round it applies from, the penalty does not show.
    early = season_standings(
        r, season, after_round=1, penalties=[Penalty(1, after_round=2, points=5)]
    )
    assert early[0].points == 10


PLAYOFF = {
    "name": "Playoffs",
    "races": 3,
    "field": 4,
    "qualify": "wins_then_points",
    "reset_kind": "base",
    "reset_base": 100,
    "rounds": [
        {"name": "Semi", "races": 2, "advance": 2},
        {"name": "Final", "races": 1, "reset": 200, "final": True},
    ],
}


def test_playoff_seeds_elimination_tie_on_best_finish_and_final() -> None:
    r = rules(playoff=PLAYOFF)
    regular = [race(1, 2, 3, 4, 5), race(2, 1, 3, 4, 5)]
    # Semi: 1 wins a race and goes on; 2 and 3 tie on points for the last place, and 3 goes on
    # for its better best finish in the round (2nd against 3rd).
    semi = [race(1, 3, 2, 5, 4), race(5, 3, 4, 2, 1)]
    final = [race(2, 1, 3, 4, 5)]
    table = season_standings(r, scored(r, *regular, *semi, *final))
    assert {row.driver: row.seed for row in table if row.seed} == {1: 1, 2: 2, 3: 3, 4: 4}
    out = {row.driver: row.eliminated_in for row in table}
    assert (out[1], out[2], out[3], out[4]) == (None, "Semi", None, "Semi")
    assert [row.driver for row in table[:2]] == [1, 3]  # the final's better finisher wins
    # Part-way through, with the schedule's length known: the regular season is not over.
    early = season_standings(r, scored(r, *regular), scheduled_races=5)
    assert all(row.seed is None for row in early)
    assert season_standings(r, scored(r, *regular, *semi), scheduled_races=5)[0].seed == 1


def test_playoff_field_starts_every_race_unless_waived() -> None:
    r = rules(playoff={**PLAYOFF, "field": 2, "start_every_race": True})
    # Driver 5 wins the second race but missed the first; driver 4 missed it too, without a win.
    regular = [race(1, 2, 3, None, None), race(2, 3, 4, 5, 1)]
    rest = [race(1, 2, 3, 4, 5)] * 3
    seeded = {row.driver for row in season_standings(r, scored(r, *regular, *rest)) if row.seed}
    assert seeded == {1, 2}  # the winner who missed a race is not in; the next by points is
    waived = PlayoffFacts(waivers=frozenset({5}))
    table = season_standings(r, scored(r, *regular, *rest), playoff_facts=waived)
    assert {row.driver for row in table if row.seed} == {1, 5}


def test_a_win_that_does_not_count_and_a_driver_added_to_the_field() -> None:
    r = rules(playoff={**PLAYOFF, "field": 2, "win_rank_limit": None})
    regular = [race(1, 2, 3, 4, 5), race(5, 2, 3, 4, 1)]
    rest = [race(1, 2, 3, 4, 5)] * 3
    facts = PlayoffFacts(non_counting_wins=frozenset({(5, 2)}), added=(4,))
    table = season_standings(r, scored(r, *regular, *rest), playoff_facts=facts)
    seeds = {row.driver: row.seed for row in table if row.seed}
    assert set(seeds) == {1, 2, 4}  # 5's win is not a ticket in; 4 is added and seeded last
    assert seeds[4] == 3
    r = rules(playoff={**PLAYOFF, "reset_kind": "playoff_points", "race_win_playoff_points": 5})
    regular = [race(1, 2, 3, 4, 5), race(2, 1, 3, 4, 5)]
    counted = season_standings(r, scored(r, *regular, *rest))
    facts = PlayoffFacts(non_counting_wins=frozenset({(2, 2)}))
    uncounted = season_standings(r, scored(r, *regular, *rest), playoff_facts=facts)
    points = {row.driver: row.playoff_points for row in counted}
    assert (points[2], {row.driver: row.playoff_points for row in uncounted}[2]) == (5, 0)


def test_a_winner_ranked_below_every_other_contender_still_gets_in() -> None:
    # No rank limit on winners: a win counts from the bottom of the table (regression: the
    # limit must not become the number of drivers allowed in the playoff).
    r = rules(playoff={**PLAYOFF, "start_every_race": True})
    # Driver 5 missed race 2 (so five contenders); driver 6 won it and ranks sixth of six.
    regular = [
        race(1, 3, 4, 5, 2, 6),
        race(2, 3, 4, 5, None, 1),
        race(5, 1, 3, 4, 2, 6),
        race(4, 5, 1, 3, 2, 6),
    ]
    rest = [race(1, 2, 3, 4, 5, 6)] * 3
    table = season_standings(r, scored(r, *regular, *rest))
    assert {row.driver for row in table if row.seed} == {1, 2, 3, 6}


def test_a_combination_race_counts_for_two_championships() -> None:
    east = rules(id="east", positions={"table": [10, 8, 6], "beyond": 1})
    west = rules(id="west", positions={"table": [50, 45, 40], "beyond": 5})
    combined = race(1, 2, 3)  # east drivers 1, 2; west driver 3
    east_points = score_race(east, combined, eligible=lambda d: d in (1, 2))
    west_points = score_race(west, combined, eligible=lambda d: d == 3)
    assert [p.total for p in east_points] == [10, 8, 0]
    assert [p.total for p in west_points] == [0, 0, 40]


def test_bad_rule_sets_are_named() -> None:
    with pytest.raises(RuleError, match=r"test\.toml: unknown key 'bonus'"):
        rules(bonus={"win": 1})
    with pytest.raises(RuleError, match="missing 'positions'"):
        parse({k: v for k, v in BASE.items() if k != "positions"}, "test.toml")
    with pytest.raises(RuleError, match=r"positions\.table: expected a list of whole numbers"):
        rules(positions={"table": ["ten"]})


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"playoff": {**PLAYOFF, "reset_kind": "playof_points"}},
            r"test\.toml: playoff\.reset_kind = 'playof_points': not one of 'base', 'ranked', "
            r"'playoff_points'",
        ),
        (
            {"playoff": {**PLAYOFF, "qualify": "wins"}},
            r"test\.toml: playoff\.qualify = 'wins': not one of 'points', 'wins_then_points'",
        ),
        (
            {"eligibility": {"ineligible": "skipped"}},
            r"test\.toml: eligibility\.ineligible = 'skipped': not one of 'zero', 'skip'",
        ),
        (
            {"tiebreakers": ["wins", "countbak"]},
            r"test\.toml: tiebreakers\[1\] = 'countbak': not one of 'wins', 'countback', "
            r"'last_finish'",
        ),
    ],
)
def test_a_misspelt_option_fails_naming_the_file_key_and_choices(
    extra: dict[str, object], message: str
) -> None:
    """An unknown option value is an error when the file is read, not a silent default when a
    season is scored (an unknown reset_kind used to score as "base")."""
    with pytest.raises(RuleError, match=message):
        rules(**extra)


def test_standings_by_round_agree_with_each_round_on_its_own() -> None:
    from pitboard.core.standings import standings_by_round

    r = rules(playoff=PLAYOFF, drops={"worst": 1})
    season = scored(
        r,
        race(1, 2, 3, 4, 5),
        race(2, 1, 3, 4, 5),
        race(1, 3, 2, 5, 4),
        race(5, 3, 4, 2, 1),
        race(2, 1, 3, 4, 5),
    )
    penalties = [Penalty(2, after_round=2, points=3)]
    for rnd, table in standings_by_round(r, season, penalties=penalties):
        alone = season_standings(r, season, after_round=rnd, penalties=penalties)
        assert [(x.driver, x.points, x.seed) for x in table] == [
            (x.driver, x.points, x.seed) for x in alone
        ], rnd


def test_mismatch_causes_are_named() -> None:
    from pitboard.core.points import RacePoints, mismatch_cause

    r = rules(bonuses={"led_lap": 5, "most_laps_led": 5})
    got = RacePoints(1, position=8)
    assert mismatch_cause(r, Entry(1, 2, official_points=0), got) == "zero in the official record"
    assert mismatch_cause(r, Entry(1, 2, official_points=13), got) == (
        "laps-led bonus given to another driver"
    )
    assert mismatch_cause(r, Entry(1, 2, official_points=10), got) == "paid for another position"
    assert mismatch_cause(r, Entry(1, 2, official_points=-40), got) == "penalty"
    assert mismatch_cause(r, Entry(1, 2, official_points=9), got) == (
        "other difference (a typo in the record?)"
    )
    fastest = rules(bonuses={"fastest_lap": 1}, stage_points={"table": [3, 2, 1], "stages": 2})
    assert mismatch_cause(fastest, Entry(1, 2, official_points=9), got).startswith(
        "fastest-lap point"
    )


def test_rules_stay_in_force_until_a_later_rule_set_starts() -> None:
    from pitboard.core.rules import era, in_force

    old = rules(id="old", applies=[{"series": "s", "from": 2000, "to": 2004}])
    new = rules(id="new", applies=[{"series": "s", "from": 2010, "to": 2011}])
    again = rules(id="again", applies=[{"series": "s", "from": 2010}])
    sets = [old, new]
    assert in_force(sets, "s", 1999) is None and in_force(sets, "t", 2005) is None
    assert era(sets, "s", 2003).why(2003) == "old applies to s from 2000 to 2009"  # type: ignore[union-attr]
    # Past its sources (2004) and before the next rule set (2010): still in force, said so.
    gap = era(sets, "s", 2007)
    assert gap is not None and gap.rules is old and gap.last == 2009 and gap.extended(2007)
    assert gap.why(2007).startswith("no rule set names s 2007: old (sourced from 2000 to 2004)")
    late = era(sets, "s", 2040)
    assert late is not None and late.rules is new and late.last is None
    assert late.why(2040) == (
        "no rule set names s 2040: new (sourced from 2010 to 2011), the last to start before "
        "it, applies until a change is recorded"
    )
    # Two starting together: the one listed last; with no `to`, never past what it names.
    both = era([old, new, again], "s", 2040)
    assert both is not None and both.rules is again and not both.extended(2040)
    assert both.why(2040) == "again applies to s from 2010 on"


def test_a_segment_bonus_for_entering_every_race_of_each_whole_segment() -> None:
    """ARCA from 2020: 50 points for each five races entered in full, paid after the fifth."""
    from pitboard.core.season import SeasonFacts, score_season
    from pitboard.core.standings import standings_by_round, with_official_points

    r = rules(segments={"races": 2, "points": 50})
    # Driver 1 enters all five races; driver 2 misses race 3; driver 3 only the last one.
    season = [
        (1, race(1, 2)),
        (2, race(2, 1)),
        (3, race(1)),
        (4, race(1, 2)),
        (5, race(1, 2, 3)),
    ]
    scored = score_season(r, season, SeasonFacts())
    table = {row.driver: row.points for row in season_standings(r, scored)}
    assert table == {1: 10 + 8 + 10 + 10 + 10 + 100, 2: 8 + 10 + 8 + 8 + 50, 3: 6}
    # The bonus counts from the segment's last race on (round 5 opens a segment it cannot close).
    by_round = {
        rnd: {s.driver: s.points for s in rows} for rnd, rows in standings_by_round(r, scored)
    }
    assert (by_round[1][1], by_round[2][1], by_round[4][2]) == (10, 68, 8 + 10 + 8 + 50)
    # A record that adds the bonus to the race's points agrees with the rules there.
    embedded = [Entry(1, 1, official_points=60), Entry(2, 2, official_points=8)]
    _, used = with_official_points([ScoredRace(2, embedded, score_race(r, embedded))], 50)
    assert used == set()


def test_playoff_points_of_the_round_a_driver_goes_out_in_are_not_kept() -> None:
    """Out of the playoff, a driver falls back to the first reset plus the playoff points
    carried into the round that put the driver out, and earns none after (the published tables of
    2017 on agree only this way)."""
    r = rules(
        stage_points={"table": [3, 2, 1], "stages": 1},
        playoff={
            **PLAYOFF,
            "reset_kind": "playoff_points",
            "race_win_playoff_points": 5,
            "stage_win_playoff_points": 1,
            "rounds": [
                {"name": "First", "races": 2, "advance": 3},
                {"name": "Second", "races": 1, "reset": 200, "advance": 2},
            ],
        },
    )
    regular = [race(1, 2, 3, 4, 5), race(2, 1, 3, 4, 5)]  # 1 and 2 win: 5 playoff points each
    first = [race(2, 3, 4, 1, 5, stages={3: (1,)}), race(1, 2, 3, 5, 4)]
    second = [race(2, 1, 3, 4, 5, stages={3: (1,)})]
    table = {row.driver: row for row in season_standings(r, scored(r, *regular, *first, *second))}
    # Driver 3: seeded on 100, wins a stage (1 playoff point) in the round that ends its run,
    # and another after: 100 + 13 in the first round + 9 in the second, no playoff point.
    assert table[3].eliminated_in == "First" and table[3].points == 100 + 13 + 9
    # Those who go on carry theirs: 1 has 5 + 5 (a win in each part) into the second round.
    # 4 won race 3 and goes out in the second round: back on 100, with the 5 playoff points
    # carried into that round and the 16 race points scored since the reset.
    assert table[1].points == 200 + 10 + 8
    assert table[4].eliminated_in == "Second" and table[4].points == 100 + 5 + 16


def test_a_penalty_after_the_final_drops_a_finalist_behind_another() -> None:
    r = rules(
        playoff={
            **PLAYOFF,
            "rounds": [
                {"name": "Semi", "races": 2, "advance": 3},
                {"name": "Final", "races": 1, "reset": 200, "final": True},
            ],
        }
    )
    season = scored(r, race(1, 2, 3, 4, 5), race(2, 1, 3, 4, 5), *[race(1, 2, 3, 4, 5)] * 3)
    assert [row.driver for row in season_standings(r, season)[:3]] == [1, 2, 3]
    docked = season_standings(r, season, penalties=[Penalty(2, after_round=5, points=5)])
    assert [(row.driver, row.points) for row in docked[:3]] == [(1, 210), (3, 206), (2, 203)]


def test_an_owner_penalty_docks_the_car_its_driver_drove_that_round() -> None:
    """Owner points are docked from the car (team and number) the penalized driver drove in
    the penalty's round, whoever drives it before or after."""
    races = [
        (1, [Entry(7, 1, owner=70, car="33"), Entry(8, 2, owner=80, car="5")]),
        (2, [Entry(9, 1, owner=70, car="33"), Entry(7, 2, owner=80, car="5")]),
    ]
    labels = {1: (70, "33"), 2: (80, "5")}  # car id → (team, number), as regroup names them
    assert on_cars(races, labels, [Penalty(7, 1, 150)]) == [Penalty(1, 1, 150)]
    assert on_cars(races, labels, [Penalty(7, 2, 25)]) == [Penalty(2, 2, 25)]
    with pytest.raises(ValueError, match="driver 9, who drove no car of a team in round 1"):
        on_cars(races, labels, [Penalty(9, 1, 10)])
