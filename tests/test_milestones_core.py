"""Milestones found in a career's results (pitboard.core.milestones), on fictional careers."""

from __future__ import annotations

from datetime import date
from itertools import count

from pitboard.core.milestones import Milestone, Start, milestones

_ids = count(1)


def start(
    series: str,
    season: int,
    rnd: int,
    finish: int | None,
    *,
    grid: int | None = 10,
    day: date | None = None,
    rank: int | None = None,
    own: bool = True,
    result: int | None = None,
    race: int | None = None,
) -> Start:
    """A start of a fictional driver; the race id is the result's unless given."""
    result_id = result if result is not None else next(_ids)
    return Start(
        result_id=result_id,
        race_id=race if race is not None else result_id,
        series=series,
        series_rank={"weekly": 3, "tour": 2, "national": 1}[series] if rank is None else rank,
        season=season,
        round=rnd,
        date=day,
        start=grid,
        finish=finish,
        own=own,
    )


def found(career: list[Start], series: str | None) -> dict[str, Milestone]:
    """The milestones of one scope by kind (a win number as win_10, win_20…)."""
    out = {}
    for m in milestones(career):
        if m.series == series:
            out[f"win_{m.value}" if m.kind == "win_number" else m.kind] = m
    return out


def test_a_career_in_one_series_has_each_first_once_and_every_tenth_win() -> None:
    career = [start("weekly", 2016, 1, None, grid=None)]  # entered, did not start
    career += [start("weekly", 2016, 2, 14), start("weekly", 2016, 3, 8, grid=1)]
    career += [start("weekly", 2016, 4, 4), start("weekly", 2016, 5, 2)]
    career += [start("weekly", 2017, r, 1) for r in range(1, 22)]  # 21 wins
    mine = found(career, "weekly")
    assert mine["first_start"].at == career[1] and mine["first_start"].value == 14
    assert mine["first_top10"].at == career[2]
    assert mine["first_pole"].at == career[2]  # from the pole, finished eighth
    assert mine["first_top5"].at == career[3] and mine["first_top5"].value == 4
    assert mine["first_win"].at.season == 2017 and mine["first_win"].at.round == 1
    assert mine["win_10"].at.round == 10 and mine["win_20"].at.round == 20
    assert "win_30" not in mine
    assert mine["career_best"].value == 1 and mine["career_best"].at == mine["first_win"].at
    # One series: the career-wide milestones are the same races, with no ties.
    everywhere = found(career, None)
    assert {k: m.at for k, m in everywhere.items()} == {k: m.at for k, m in mine.items()}
    assert all(not m.ties for m in everywhere.values())


def test_a_pole_needs_a_start_and_a_best_finish_counts_only_finishes() -> None:
    career = [start("tour", 2020, 1, None, grid=1), start("tour", 2020, 2, 12, grid=3)]
    mine = found(career, "tour")
    assert "first_pole" not in mine  # on the pole, but did not start the race
    assert mine["career_best"].value == 12 and mine["career_best"].at == career[1]
    assert found([start("tour", 2020, 1, None)], "tour") == {}


def test_the_career_first_is_the_earliest_by_date_across_series() -> None:
    late = start("national", 2019, 3, 1, day=date(2019, 6, 9))
    early = start("weekly", 2019, 9, 1, day=date(2019, 5, 4))
    mine = found([late, early], None)
    assert mine["first_win"].at == early and not mine["first_win"].ties
    assert found([late, early], "national")["first_win"].at == late


def test_two_wins_on_the_same_day_are_a_tie_not_an_order() -> None:
    day = date(2021, 7, 17)
    tour = start("tour", 2021, 5, 1, day=day)
    weekly = start("weekly", 2021, 11, 1, day=day)
    earlier_top5 = start("weekly", 2021, 10, 3, day=date(2021, 7, 10))
    mine = found([weekly, tour, earlier_top5], None)
    first = mine["first_win"]
    assert first.at == tour  # the order of series decides which is shown first…
    assert first.ties == (weekly,)  # …and the other is named beside it
    assert mine["first_top5"].at == earlier_top5 and not mine["first_top5"].ties
    # Per series, each is its series' first win, with no doubt.
    assert found([weekly, tour], "weekly")["first_win"].at == weekly


def test_a_race_without_a_date_may_have_come_first_in_its_season() -> None:
    dated = start("tour", 2018, 2, 1, day=date(2018, 4, 1))
    undated = start("weekly", 2018, 6, 1)
    before = start("weekly", 2017, 9, 1)  # another season: certainly before
    assert found([dated, undated], None)["first_win"].ties == (undated,)
    mine = found([dated, undated, before], None)
    assert mine["first_win"].at == before and not mine["first_win"].ties


def test_a_combination_race_counts_in_both_series_and_once_in_the_career() -> None:
    # Ten wins in the East, of which the last also counted for the West.
    east = [start("tour", 2015, r, 1, rank=2, race=500 + r, result=600 + r) for r in range(1, 11)]
    combined = start("west", 2015, 4, 1, rank=4, own=False, race=510, result=610)
    west_own = [start("west", 2015, r, 2, rank=4) for r in (1, 2, 3)]
    career = [*east, combined, *west_own]
    assert found(career, "west")["first_win"].at == combined
    assert found(career, "west")["first_start"].at == west_own[0]
    assert found(career, "tour")["win_10"].at == east[-1]
    everywhere = found(career, None)
    assert everywhere["win_10"].at == east[-1]  # the combined race once: still the tenth
    assert "win_20" not in everywhere
    assert all(m.at.own for m in milestones(career) if m.series is None)


def test_the_tenth_win_names_a_win_it_could_swap_places_with() -> None:
    wins = [start("weekly", 2022, r, 1, day=date(2022, 5, r)) for r in range(1, 10)]
    tenth = start("weekly", 2022, 10, 1)  # undated
    same_season = start("tour", 2022, 1, 1, day=date(2022, 5, 20))
    mine = found([*wins, tenth, same_season], None)
    # 11 wins; the 10th by the order shown is the tour win (dated) before the undated one,
    # and the undated weekly win is named as a tie.
    assert mine["win_10"].at == same_season
    assert mine["win_10"].ties == (tenth,)
