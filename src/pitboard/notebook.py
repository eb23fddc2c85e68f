"""The record book as pandas DataFrames, for notebooks and scripts (docs/python.md).

``import pitboard`` then ``pitboard.results(series="truck", seasons=range(2020, 2025))``,
``pitboard.standings("truck", 2024)`` or ``pitboard.career("Ty Majeski")``. The database is the
one ``pitboard.connect(URL)`` names, else ``PITBOARD_DATABASE_URL``, else ``pitboard.sqlite3``
in the working directory, as for the command line. One database per process.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import pandas as pd

RESULT_COLUMNS = [
    "series", "season", "round", "date", "race", "track", "track_slug", "driver", "driver_slug",
    "car_number", "team", "make", "start", "finish", "laps", "laps_led", "status", "points",
]  # fmt: skip


def connect(database: str | None = None) -> None:
    """Use *database* (a ``sqlite:///FILE`` or ``postgresql://…`` URL) from now on; without
    one, ``PITBOARD_DATABASE_URL`` or ``pitboard.sqlite3`` here. The schema is brought up to
    date, as ``pitboard init`` would."""
    from django.apps import apps

    if apps.ready:
        from django.db import connection

        if database and os.environ.get("PITBOARD_DATABASE_URL") != database:
            raise RuntimeError(
                f"already connected to {connection.settings_dict['NAME']}: one database per process"
            )
        return
    from pitboard.cli import setup_django
    from pitboard.schema import migrate

    setup_django(database)
    migrate(verbose=False)


def results(
    series: str | None = None,
    seasons: int | Iterable[int] | None = None,
    driver: str | None = None,
) -> pd.DataFrame:
    """Every result, one row per car in a race, oldest first (columns: ``RESULT_COLUMNS``);
    only *series* (a slug), *seasons* (a year or several) and *driver* (a name, an alias or
    a slug, found as the command line finds it) when given."""
    connect()
    from pitboard.records.services import bulk

    where, params = ["1 = 1"], []
    if series is not None:
        where.append("s.slug = %s")
        params.append(series)
    if seasons is not None:
        years = [seasons] if isinstance(seasons, int) else list(seasons)
        where.append(f"se.year IN ({', '.join(['%s'] * len(years))})" if years else "1 = 0")
        params += years
    if driver is not None:
        where.append("x.driver_id = %s")
        params.append(_subject("driver", driver).id)
    rows = bulk.select_rows(
        "SELECT s.slug, se.year, r.round, r.date, r.name, t.name, t.slug, p.name, d.slug,"
        " x.car_number, tm.name, m.name, x.start, x.finish, x.laps, x.laps_led, x.status_text,"
        " x.points"
        " FROM records_result x JOIN records_race r ON r.id = x.race_id"
        " JOIN records_season se ON se.id = r.season_id"
        " JOIN records_series s ON s.id = se.series_id"
        " JOIN records_track t ON t.id = r.track_id"
        " JOIN records_driver d ON d.id = x.driver_id"
        " JOIN records_person p ON p.id = d.person_id"
        " LEFT JOIN records_team tm ON tm.id = x.team_id"
        " LEFT JOIN records_manufacturer m ON m.id = x.manufacturer_id"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY se.year, s.slug, r.round, x.finish IS NULL, x.finish, x.id",
        params,
    )
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    for column in ("start", "finish", "laps", "laps_led", "points"):
        frame[column] = frame[column].astype("Int64")  # a missing value stays missing
    return frame


def standings(
    series: str, season: int, after_round: int | None = None, kind: str = "driver"
) -> pd.DataFrame:
    """The standings of a season (after *after_round*, else its last), by the series' rule
    set, as ``pitboard standings`` gives them: one row per competitor."""
    connect()
    from pitboard.records.services.points import PointsError
    from pitboard.records.services.standings import standings_document

    try:
        document = standings_document(series, season, after_round=after_round, kind=kind)
    except PointsError as exc:
        raise ValueError(str(exc)) from exc
    return pd.DataFrame(document["standings"])


def career(name: str, by: str = "season", series: str | None = None) -> pd.DataFrame:
    """A driver's career (*name*: a name, an alias or a slug), one row per series and *by*
    (``series``, ``season`` or ``track``), as ``pitboard driver NAME --by …`` gives it."""
    connect()
    from pitboard.core.stats import Grouping
    from pitboard.records.services.careers import career_document

    document = career_document(_subject("driver", name), Grouping(by), series)
    return pd.DataFrame(document["rows"])


def _subject(kind: str, name: str) -> Any:
    from pitboard.records.services.careers import LookupError_, find

    try:
        subject, _ = find(kind, name)
    except LookupError_ as exc:
        raise LookupError(str(exc)) from exc
    return subject
