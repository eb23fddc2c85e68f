"""Stored standings follow the results: bulk imports mark a season stale, edits refresh it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pitboard.importers.base import run_import
from pitboard.importers.results_format import ResultsFormatImporter
from pitboard.records.models import Driver, Penalty, Result, Season, SeasonTally, StandingRow
from pitboard.records.services.points import PointsError
from pitboard.records.services.standings import refresh_stale, stored_standings
from tests.conftest import REPO

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


@pytest.fixture
def imported(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    reports, _ = run_import(ResultsFormatImporter(), str(EXAMPLE), rejects_dir=tmp_path)
    assert reports[0].inserted == 9
    return Season.objects.get(series__slug="thunder-stock", year=2025)


def leader(table: dict) -> tuple[str, int]:
    row = table["standings"][0]
    return row["driver"], row["points"]


def test_an_import_stores_its_seasons_standings_and_tallies(imported: Season) -> None:
    """Computed when the import commits: reading them writes nothing."""
    assert not imported.standings_stale
    assert StandingRow.objects.filter(season=imported, after_round=1).count() == 6
    quill = SeasonTally.objects.get(
        season=imported, kind="driver", subject_id=Driver.objects.get(slug="avery-quill").pk
    )
    assert (quill.starts, quill.wins, quill.points) == (2, 1, 87)
    table = stored_standings("thunder-stock", 2025)
    assert leader(table) == ("Avery Quill", 87) and table["after_round"] == 2
    assert stored_standings("thunder-stock", 2025, after_round=1)["standings"][0]["driver"] == (
        "Avery Quill"
    )


def test_a_stale_season_is_computed_by_the_next_command_not_by_a_read(imported: Season) -> None:
    from pitboard.schema import migrate

    Season.objects.filter(pk=imported.pk).update(standings_stale=True)
    StandingRow.objects.filter(season=imported).delete()
    with pytest.raises(PointsError, match="has no standings"):
        stored_standings("thunder-stock", 2025)
    migrate()  # what every command runs first
    assert leader(stored_standings("thunder-stock", 2025)) == ("Avery Quill", 87)


def test_an_edited_result_refreshes_its_season_when_the_edit_commits(imported: Season) -> None:
    waiting = Season.objects.create(series=imported.series, year=2024)  # new: stale
    done = Season.objects.get(pk=imported.pk)
    result = Result.objects.get(driver__person__name="Jordan Marsh", race__round=2)
    result.points = 60  # an official correction
    result.save()
    assert leader(stored_standings("thunder-stock", 2025)) == ("Jordan Marsh", 102)
    marsh = SeasonTally.objects.get(season=imported, kind="driver", subject_id=result.driver_id)
    assert marsh.points == 102
    # The queue of stale seasons is drained with it.
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert not waiting.standings_stale and not done.standings_stale


def test_a_penalty_and_its_appeal(imported: Season) -> None:
    refresh_stale()
    quill = Result.objects.filter(driver__person__name="Avery Quill").first()
    assert quill is not None
    penalty = Penalty.objects.create(
        season=imported,
        race=quill.race,
        driver=quill.driver,
        points=10,
        announced=timezone.now().date(),
        reason="fictional: illegal carburetor spacer",
    )
    assert leader(stored_standings("thunder-stock", 2025)) == ("Jordan Marsh", 87)
    penalty.appeal = Penalty.Appeal.RESCINDED
    penalty.save()
    assert leader(stored_standings("thunder-stock", 2025)) == ("Avery Quill", 87)


def test_sourced_facts_are_checked_and_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pitboard.records.services.points import PointsError, _sourced

    path = tmp_path / "cup" / "2030.toml"
    path.parent.mkdir()
    drivers = {"Avery Quill": 1}
    cases = {
        '[[waivers]]\ndriver = "Avery Quill"\n': r"cup/2030\.toml: waivers\[0\]: field 'source'",
        '[[waivers]]\ndriver = "Nobody"\nsource = "x"\n': r"waivers\[0\]: field 'driver': no dri",
        '[[penalties]]\ndriver = "Avery Quill"\nsource = "x"\n': r"penalties\[0\]: field 'round'",
        '[[penalty]]\ndriver = "Avery Quill"\n': r"unknown section 'penalty'",
        '[[waivers]]\ndriver = "Avery Quill"\nsorce = "x"\n': r"unknown field 'sorce'",
        "[schedule]\nraces = 36\n": r"cup/2030\.toml: schedule: field 'source' is required",
        '[schedule]\nraces = "36"\nsource = "x"\n': r"schedule: field 'races' must be a whole",
        '[schedule]\nraces = 36\nsource = "x"\nrace = 1\n': r"schedule: unknown field 'race'",
        "schedule = 36\n": r"cup/2030\.toml: schedule must be a table",
    }
    for text, message in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PointsError, match=message):
            _sourced(path, drivers)
    path.write_text(
        '[[penalties]]\ndriver = "Avery Quill"\nround = 2\npoints = 5\nsource = "https://x"\n',
        encoding="utf-8",
    )
    assert _sourced(path, drivers)["penalties"][0]["id"] == 1


def test_a_series_without_rules_has_no_owner_standings(imported: Season) -> None:
    from pitboard.records.services.points import PointsError
    from pitboard.records.services.standings import standings_document

    with pytest.raises(PointsError, match="no owner standings: no rule set applies"):
        standings_document("thunder-stock", 2025, kind="owner")
    table = standings_document("thunder-stock", 2025)
    assert table["rules"] == "official-record"
    assert table["rules_why"].startswith("no rule set names thunder-stock 2025")


def test_stored_standings_follow_a_change_of_rules(imported: Season, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rule set added (or an upgrade's new rules or facts) makes every stored table stale
    when the schema is next brought up to date, as `serve` and the imports do on starting."""
    from pitboard.records.services.versions import current, follow_scoring

    follow_scoring()
    refresh_stale()  # as the schema's migrate does after it
    assert stored_standings("thunder-stock", 2025)["rules"] == "official-record"
    assert not follow_scoring()  # nothing changed: the stored tables stand
    template = REPO / "src" / "pitboard" / "rulesets" / "template-weekly-short-track.toml"
    mine = tmp_path / "rules"
    mine.mkdir()
    (mine / "thunder.toml").write_text(
        template.read_text().replace('id = "template-weekly-short-track"', 'id = "thunder-2025"')
        + '\n[[applies]]\nseries = "thunder-stock"\nfrom = 2025\n'
    )
    monkeypatch.setenv("PITBOARD_RULESETS", str(mine))
    version = current()[0]
    assert follow_scoring()
    imported.refresh_from_db()
    assert imported.standings_stale and current()[0] > version  # cached pages go too
    refresh_stale()
    assert stored_standings("thunder-stock", 2025)["rules"] == "thunder-2025"


def test_an_undone_import_leaves_no_tallies(imported: Season) -> None:
    """The numbers pages read go with the results: an undone import leaves none behind."""
    from pitboard.records.models import ImportRun
    from pitboard.records.services.undo import undo_run

    assert SeasonTally.objects.filter(kind="team").exists()
    undo_run(ImportRun.objects.get().pk)
    assert not SeasonTally.objects.exists() and not StandingRow.objects.exists()


def test_an_edit_moves_a_start_to_another_team_and_car(imported: Season) -> None:
    """The team and make pages read who drove which car from the car tallies: an edited result
    moves its start from one roster to the other when the edit commits."""
    from pitboard.records.models import Team
    from pitboard.records.services.teams import team_roster, winners_in_cars

    def cars(slug: str) -> list[tuple[str, str, int, int]]:
        return [
            (car["number"], driver["name"], driver["starts"], driver["wins"])
            for season in team_roster(slug)["seasons"]
            for car in season["cars"]
            for driver in car["drivers"]
        ]

    assert cars("marsh-motorsports") == [("8", "Jordan Marsh", 2, 1)]
    assert cars("quill-racing") == [("08", "Avery Quill", 2, 1)]
    result = Result.objects.get(driver__person__name="Jordan Marsh", race__round=2)
    result.team = Team.objects.get(slug="quill-racing")
    result.car_number = "88"
    result.save()
    assert cars("marsh-motorsports") == [("8", "Jordan Marsh", 1, 0)]
    assert cars("quill-racing") == [("08", "Avery Quill", 2, 1), ("88", "Jordan Marsh", 1, 1)]
    ford = result.manufacturer_id
    assert [w["name"] for w in winners_in_cars("manufacturer", ford)] == ["Jordan Marsh"]


def test_an_undone_import_leaves_no_car_tallies(imported: Season) -> None:
    from pitboard.records.models import CarTally, ImportRun
    from pitboard.records.services.undo import undo_run

    assert CarTally.objects.filter(kind="team").exists()
    assert CarTally.objects.filter(kind="manufacturer").exists()
    undo_run(ImportRun.objects.get().pk)
    assert not CarTally.objects.exists()


def test_an_edited_finish_moves_a_first_win(imported: Season) -> None:
    """Milestones are found again for every driver of a season when an edit commits."""
    from pitboard.records.services.milestones import of_driver

    def firsts(name: str) -> dict[str, tuple[int, int]]:
        """Kind → (round, value) of the driver's career milestones."""
        driver = Driver.objects.get(person__name=name)
        return {
            m["kind"]: (m["round"], m["value"]) for m in of_driver(driver.pk) if m["series"] is None
        }

    assert firsts("Jordan Marsh")["first_win"] == (2, 1)
    assert firsts("Avery Quill")["first_win"] == (1, 1)
    quill = Result.objects.get(driver__person__name="Avery Quill", race__round=1)
    marsh = Result.objects.get(driver__person__name="Jordan Marsh", race__round=1)
    quill.finish, marsh.finish = 2, 1  # a corrected finish order
    quill.save()
    marsh.save()
    assert firsts("Jordan Marsh")["first_win"] == (1, 1)
    assert "first_win" not in firsts("Avery Quill")  # second in both races now
    assert firsts("Avery Quill")["career_best"] == (1, 2)


def test_a_race_given_its_date_is_placed_in_the_career(transactional_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two first wins in one season, in two series, one race without a date: the career's
    first win names the other as a tie, until the race gets its date."""
    from pitboard.records.models import Race
    from pitboard.records.services.milestones import of_driver

    results = tmp_path / "two-series.csv"
    results.write_text(
        "series,season,round,date,track,driver,start,finish\n"
        "alpha-late-models,2024,1,2024-05-04,Pine Hollow Speedway,Dana Whitlock,2,1\n"
        "alpha-late-models,2024,1,2024-05-04,Pine Hollow Speedway,Lou Brandt,1,2\n"
        "beta-modifieds,2024,1,,Cedar Ridge Raceway,Dana Whitlock,3,1\n"
        "beta-modifieds,2024,1,,Cedar Ridge Raceway,Lou Brandt,4,2\n",
        encoding="utf-8",
    )
    run_import(ResultsFormatImporter(), str(results), rejects_dir=tmp_path)
    whitlock = Driver.objects.get(person__name="Dana Whitlock")

    def first_win() -> tuple[str, list[str]]:
        (career,) = [
            m for m in of_driver(whitlock.pk) if m["kind"] == "first_win" and m["series"] is None
        ]
        return career["race"]["series"], [t["series"] for t in career["tied_with"]]

    assert first_win() == ("alpha-late-models", ["beta-modifieds"])
    undated = Race.objects.get(season__series__slug="beta-modifieds")
    undated.date = timezone.datetime(2024, 4, 27).date()  # a week earlier
    undated.save()
    assert first_win() == ("beta-modifieds", [])
