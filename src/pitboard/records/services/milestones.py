"""Milestones of drivers' careers, stored: found by ``core.milestones`` in each driver's results
when a season he raced in is computed, and read by his page, the pages of the races they
happened in, the API and ``pitboard milestones``.

A change to a season can move any milestone of its drivers (an edited finish makes another
race the first win, an undone import takes away the tenth win), so every driver of the season
is computed again from his whole record: a few hundred rows per driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from pitboard.core.milestones import KINDS, Start, milestones, race_order
from pitboard.records.models import Milestone
from pitboard.records.services import bulk
from pitboard.records.services.careers import check_series, in_every_season, subject_by_slug

DRIVERS_AT_ONCE = 500  # careers read in one query

# Every result of some drivers, once in each season that counts it; columns as Start's, then
# the driver, the series' and the season's ids.
_STARTS = in_every_season(
    "SELECT res.id, r.id, s.slug, s.display_order, se.year, {round}, r.date, res.start,"
    " res.finish, {also}, res.driver_id, s.id, se.id",
    "JOIN records_series s ON s.id = se.series_id WHERE res.driver_id IN ({marks})",
)
# The table's columns as refresh writes them (bulk.insert_rows: COPY on PostgreSQL).
_COLUMNS = (
    "driver_id",
    "kind",
    "series_id",
    "season_id",
    "round",
    "race_id",
    "result_id",
    "value",
    "ties",
)


def refresh(season_ids: Iterable[int]) -> None:
    """Find again the milestones of every driver who raced in these seasons (or had one in
    them): called with the seasons' tallies, in their transaction."""
    drivers = _drivers_of(sorted(set(season_ids)))
    table = connection.ops.quote_name(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in bulk.chunks(sorted(drivers), DRIVERS_AT_ONCE):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(_STARTS.replace("{marks}", marks), [*chunk, *chunk])
            careers: dict[int, list[Start]] = {}
            series_ids: dict[str, int] = {}
            season_ids_of: dict[tuple[str, int], int] = {}
            for row in cursor.fetchall():
                result, race, slug, rank, year, rnd, day, grid, finish, also = row[:10]
                driver, series_id, season_id = row[10:]
                one = Start(result, race, slug, rank, year, rnd, day, grid, finish, not also)
                careers.setdefault(driver, []).append(one)
                series_ids[one.series] = series_id
                season_ids_of[(one.series, one.season)] = season_id
            cursor.execute(f"DELETE FROM {table} WHERE driver_id IN ({marks})", list(chunk))
            rows = [
                (
                    driver,
                    m.kind,
                    None if m.series is None else series_ids[m.series],
                    season_ids_of[(m.at.series, m.at.season)],
                    m.at.round,
                    m.at.race_id,
                    m.at.result_id,
                    m.value,
                    ",".join(str(t.race_id) for t in m.ties),
                )
                for driver, starts in careers.items()
                for m in milestones(starts)
            ]
            bulk.insert_rows(Milestone._meta.db_table, _COLUMNS, rows)


def _drivers_of(season_ids: Sequence[int]) -> set[int]:
    """The drivers with a result in these seasons (their own races, or the races they count
    as combination races), or a stored milestone in them."""
    drivers: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in bulk.chunks(season_ids, 400):
            marks = ", ".join(["%s"] * len(chunk))
            for sql in (
                "SELECT DISTINCT res.driver_id FROM records_result res"
                f" JOIN records_race r ON r.id = res.race_id WHERE r.season_id IN ({marks})",
                "SELECT DISTINCT res.driver_id FROM records_result res"
                " JOIN records_championshiprace cr"
                "   ON cr.race_id = res.race_id AND cr.round IS NOT NULL"
                " JOIN records_championship c ON c.id = cr.championship_id"
                f" WHERE c.season_id IN ({marks})",
                f"SELECT DISTINCT driver_id FROM records_milestone WHERE season_id IN ({marks})",
            ):
                cursor.execute(sql, list(chunk))
                drivers.update(pk for (pk,) in cursor.fetchall())
    return drivers


# A stored milestone with what a reader needs of its race: the milestone's series, season and
# round (those of the series it counts in), then the race's own.
_ROWS = (
    "SELECT m.kind, ms.slug, m.value, m.ties, d.slug, p.name, se.year, m.round,"
    " rs.slug, rse.year, r.round, r.date, r.name, t.name, t.slug,"
    " rs.display_order, ms.display_order"
    " FROM records_milestone m"
    " JOIN records_driver d ON d.id = m.driver_id"
    " JOIN records_person p ON p.id = d.person_id"
    " JOIN records_season se ON se.id = m.season_id"
    " LEFT JOIN records_series ms ON ms.id = m.series_id"
    " JOIN records_race r ON r.id = m.race_id"
    " JOIN records_season rse ON rse.id = r.season_id"
    " JOIN records_series rs ON rs.id = rse.series_id"
    " JOIN records_track t ON t.id = r.track_id"
)


def _in_time_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Races in time order (``core.milestones.race_order``); within a race, each series'
    milestones before the career's, a driver's together, firsts in KINDS' order."""
    kind, series, value, _, driver, *_ = row
    race_series, race_season, race_round, day = row[8:12]
    race_rank, rank = row[15:17]
    return (
        race_order(race_season, day, race_rank, race_series, race_round),
        series is None,
        rank or 0,
        driver,
        KINDS.index(kind),
        value,
    )


def of_driver(driver_id: int, series: str | None = None) -> list[dict[str, Any]]:
    """A driver's milestones in time order: each series' and the career's (series None); with
    *series*, that series' only."""
    params: list[Any]
    where, params = " WHERE m.driver_id = %s", [driver_id]
    if series is not None:
        where += " AND ms.slug = %s"
        params.append(series)
    return _documents(_ROWS + where, params)


def driver_document(slug: str, series: str | None = None) -> dict[str, Any]:
    """``{"driver": …, "milestones": […]}`` for the driver *slug* (of one series)."""
    subject = subject_by_slug("driver", slug)
    if series is not None:
        check_series(series)
    return {"driver": subject.as_dict(), "milestones": of_driver(subject.id, series)}


def at_race(race_id: int) -> list[dict[str, Any]]:
    """The milestones reached in one race, by any of its drivers."""
    return _documents(_ROWS + " WHERE m.race_id = %s", [race_id])


def _documents(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall(), key=_in_time_order)
    tie_ids = {int(pk) for row in rows for pk in row[3].split(",") if pk}
    ties = _races(tie_ids)
    return [
        {
            "kind": kind,
            "series": series,
            "season": season,
            "round": rnd,
            "date": day.isoformat() if day else None,
            "race": {
                "series": race_series,
                "season": race_season,
                "round": race_round,
                "name": name,
                "track": {"name": track, "slug": track_slug},
            },
            "driver": {"name": person, "slug": slug},
            "value": value,
            "tied_with": [ties[int(pk)] for pk in tied.split(",")] if tied else [],
        }
        for (
            kind,
            series,
            value,
            tied,
            slug,
            person,
            season,
            rnd,
            race_series,
            race_season,
            race_round,
            day,
            name,
            track,
            track_slug,
            _,
            _,
        ) in rows
    ]


def _races(race_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Race id → the race as milestones name it (series, season, round, name, date)."""
    if not race_ids:
        return {}
    marks = ", ".join(["%s"] * len(race_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, s.slug, se.year, r.round, r.name, r.date FROM records_race r"
            " JOIN records_season se ON se.id = r.season_id"
            f" JOIN records_series s ON s.id = se.series_id WHERE r.id IN ({marks})",
            [*race_ids],
        )
        return {
            pk: {
                "series": series,
                "season": year,
                "round": rnd,
                "name": name,
                "date": day.isoformat() if day else None,
            }
            for pk, series, year, rnd, name, day in cursor.fetchall()
        }


LABELS = {
    "first_start": "First start",
    "first_top10": "First top ten",
    "first_top5": "First top five",
    "first_win": "First win",
    "first_pole": "First pole",
    "career_best": "Career-best finish",
    "win_number": "Win No.",
}


def merged(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For reading: the milestones of one race, kind and value once, with every scope they
    hold in (``scopes``: series slugs, and None for the career), the career first; a
    ``label`` ("First win", "Win No. 10"). A career-best finish that is a win is left out:
    the first win says it."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for m in found:
        if m["kind"] == "career_best" and m["value"] == 1:
            continue
        race = m["race"]
        key = (
            m["driver"]["slug"],
            m["kind"],
            m["value"],
            race["series"],
            race["season"],
            race["round"],
        )
        one = out.setdefault(key, {**m, "scopes": []})
        one["scopes"].append(m["series"])
        if m["series"] is None:  # a tie is the career's: the series' order is certain
            one["tied_with"] = m["tied_with"]
    for one in out.values():
        one["scopes"].sort(key=lambda s: s is not None)
        label = LABELS[one["kind"]]
        one["label"] = f"{label} {one['value']}" if one["kind"] == "win_number" else label
    return list(out.values())
