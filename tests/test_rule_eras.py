"""Rules stay in force until a change is recorded: a season past every season a rule set names
is scored by the latest rules, and every output says so."""

from __future__ import annotations

from tests.builders import result_row, write_folder
from tests.conftest import Pitboard

DRIVERS = [f"Fictional Driver {n:02d}" for n in range(1, 21)]
RACES = 36


def _points(finish: int) -> int:
    """The Chase rules' race points: 55 for a win, then 35, 34, … (no stage results given)."""
    return 55 if finish == 1 else 37 - finish


def _finishes(race: int) -> list[str]:
    """The drivers in finishing order. Driver 01 wins the regular season's every race, the
    others finishing in their numbers' order; driver 16 wins the first nine races of the last
    ten, the others moving down one, and runs last in the final, which driver 02 wins."""
    if race <= RACES - 10:
        return list(DRIVERS)
    if race < RACES:
        return [DRIVERS[15], *DRIVERS[:15], *DRIVERS[16:]]
    return [DRIVERS[1], DRIVERS[0], *DRIVERS[2:15], *DRIVERS[16:], DRIVERS[15]]


def _season(year: int) -> list[dict]:
    return [
        result_row(
            year,
            race,
            driver,
            finish,
            DRIVERS.index(driver) + 1,
            Start=DRIVERS.index(driver) + 1,
            Pts=_points(finish),
            Laps=200,
            Led=50 if finish == 1 else 0,
            Team=f"Team {DRIVERS.index(driver) + 1:02d}",
        )
        for race in range(1, RACES + 1)
        for finish, driver in enumerate(_finishes(race), start=1)
    ]


def test_a_season_after_every_named_one_is_scored_by_the_latest_rules(
    pitboard: Pitboard, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from pitboard.records.services.points import shipped_rule_sets

    cup = [r for r in shipped_rule_sets() for s, _, _ in r.applies if s == "cup"]
    named = max(last or first for r in cup for s, first, last in r.applies if s == "cup")
    latest = max(cup, key=lambda r: max(f for s, f, _ in r.applies if s == "cup"))
    year = named + 1
    write_folder(tmp_path / "data", {"cup": _season(year)})
    pitboard.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)

    listed = pitboard.json("rules", "list", "--series", "cup")
    (season,) = [s for s in listed if s["season"] == year]
    assert season["rules"] == latest.id
    assert f"no rule set names cup {year}" in season["why"]
    assert "applies until a change is recorded" in season["why"]

    table = pitboard.json("standings", "--series", "cup", "--season", str(year))
    assert table["rules"] == latest.id and table["rules_why"] == season["why"]
    rows = {r["driver"]: r for r in table["standings"]}
    # The Chase: the top 16 reset to 2100, 2075, 2065 and 5 fewer per seed, no eliminations.
    # Driver 16, the last seed, wins nine of its ten races and is champion on points, though
    # driver 02 wins the final and driver 01 scored the most all season.
    seed_16 = 2000 + 9 * 55 + _points(20)
    assert table["standings"][0]["driver"] == DRIVERS[15]
    assert rows[DRIVERS[15]]["points"] == seed_16
    assert rows[DRIVERS[15]]["playoff"] == {"seed": 16, "eliminated_in": None}
    assert rows[DRIVERS[0]]["points"] == 2100 + 9 * _points(2) + _points(2)
    assert rows[DRIVERS[1]]["points"] == 2075 + 9 * _points(3) + 55
    assert all(r["source"] == "rules" for r in table["standings"])
    # Outside the Chase, drivers keep their points: 17th in 35 races, 16th in the final.
    assert rows[DRIVERS[16]]["points"] == 35 * _points(17) + _points(16)

    shown = pitboard.run("standings", "--series", "cup", "--season", str(year), check=True).stdout
    assert f"Rules: no rule set names cup {year}" in shown


def test_a_season_imported_part_way_starts_its_chase_where_its_schedule_says(
    pitboard: Pitboard, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Cup 2026's schedule is sourced as 36 points races, so with 30 of them run the Chase
    (the last ten) began after round 26, not after round 20 as 30 races alone would say."""
    run = 30
    rows = [row for row in _season(2026) if row["Race"] <= run]
    write_folder(tmp_path / "data", {"cup": rows})
    pitboard.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)

    table = pitboard.json("standings", "--series", "cup", "--season", "2026")
    assert table["after_round"] == run
    found = {r["driver"]: r for r in table["standings"]}
    # Reset after round 26: driver 01 seeded first, second in the four Chase races run.
    assert found[DRIVERS[0]]["points"] == 2100 + 4 * _points(2)
    assert found[DRIVERS[15]]["points"] == 2000 + 4 * 55
    assert found[DRIVERS[15]]["playoff"] == {"seed": 16, "eliminated_in": None}
    # Not in the Chase: the season's points as raced.
    assert found[DRIVERS[16]]["points"] == run * _points(17)
