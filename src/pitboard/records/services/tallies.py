"""Season tallies: each driver's, team's and make's sums per season, kept with the standings.

A career document by series or season reads a few tally rows (one per season raced) instead of
every result of the career. The tallies of a season are written again, set-based in SQL, every
time its stored standings are (``standings.refresh_stale``): when an import, an undo, a merge
or an edit changes its results. Page views only read them. A driver's tally also keeps his
results of the season in race order (track and finish), for the driver page's finishes chart
and best tracks, and his team and make of the season, for whom a title counts. Beside them,
the car tallies say who drove each team's and make's cars (``CarTally``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from django.db import connection
from django.db.models import F, Max, Min, Q, QuerySet, Sum

from pitboard.core.stats import SeasonCount, Tally
from pitboard.records.models import CarTally, ChampionshipRace, SeasonTally
from pitboard.records.services import bulk

# Result columns per tally kind.
FIELDS = {"driver": "driver_id", "team": "team_id", "manufacturer": "manufacturer_id"}

# Tally's sums, in its field order, over a group of results (``{points}``: the points the
# season counts; see careers.OWN_SEASON and LINKED_SEASON).
SUMS = """
    COUNT(res.finish),
    SUM(CASE WHEN res.finish = 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN res.finish <= 5 THEN 1 ELSE 0 END),
    SUM(CASE WHEN res.finish <= 10 THEN 1 ELSE 0 END),
    SUM(CASE WHEN res.start = 1 AND res.finish IS NOT NULL THEN 1 ELSE 0 END),
    COALESCE(SUM(res.laps), 0),
    COALESCE(SUM(res.laps_led), 0),
    SUM(CASE WHEN res.status_class <> 'running' THEN 1 ELSE 0 END),
    COALESCE(SUM({points}), 0),
    COALESCE(SUM(CASE WHEN res.finish IS NOT NULL THEN res.start END), 0),
    COUNT(CASE WHEN res.finish IS NOT NULL THEN res.start END),
    COALESCE(SUM(res.finish), 0),
    MIN(res.finish),
    COUNT(*)
"""
# The tally table's columns: the subject and season, then Tally's fields in its order.
COLUMNS = ("kind", "subject_id", "season_id", "also", *(f.name for f in fields(Tally)))


def with_linked(season_ids: Iterable[int]) -> set[int]:
    """*season_ids* and the seasons that count races of theirs as combination races: a change
    to those races' results changes what the linked seasons count too."""
    ids = set(season_ids)
    linked: set[int] = set()
    for chunk in bulk.chunks(sorted(ids)):
        linked.update(
            ChampionshipRace.objects.filter(race__season_id__in=chunk, round__isnull=False)
            .values_list("championship__season_id", flat=True)
            .distinct()
        )
    return ids | linked


def refresh(season_ids: Iterable[int]) -> None:
    """Write the tallies of these seasons again from their results (own and linked)."""
    ids = sorted(set(season_ids))
    table = connection.ops.quote_name(SeasonTally._meta.db_table)
    insert = f"INSERT INTO {table} ({bulk.quoted(COLUMNS)}) "
    with connection.cursor() as cursor:
        for chunk in bulk.chunks(ids, 400):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE season_id IN ({marks})", list(chunk))
            for kind, field in FIELDS.items():
                own = (
                    f"SELECT %s, res.{field}, r.season_id, %s, {SUMS.format(points='res.points')}"
                    " FROM records_result res JOIN records_race r ON r.id = res.race_id"
                    f" WHERE r.season_id IN ({marks}) AND res.{field} IS NOT NULL"
                    f" GROUP BY res.{field}, r.season_id"
                )
                linked = (
                    f"SELECT %s, res.{field}, c.season_id, %s, {SUMS.format(points='st.points')}"
                    " FROM records_result res"
                    " JOIN records_championshiprace cr"
                    "   ON cr.race_id = res.race_id AND cr.round IS NOT NULL"
                    " JOIN records_championship c ON c.id = cr.championship_id"
                    " LEFT JOIN records_resultstatement st"
                    "   ON st.result_id = res.id AND st.dataset = cr.dataset"
                    f" WHERE c.season_id IN ({marks}) AND res.{field} IS NOT NULL"
                    f" GROUP BY res.{field}, c.season_id"
                )
                cursor.execute(insert + own, [kind, False, *chunk])
                cursor.execute(insert + linked, [kind, True, *chunk])
            for column, field in (("main_team_id", "team_id"), ("main_make_id", "manufacturer_id")):
                cursor.execute(
                    _MAIN.format(table=table, column=column, field=field, marks=marks), chunk
                )
            _store_finishes(cursor, table, marks, chunk)
            _store_cars(cursor, marks, chunk)


# Who drove a team's cars (per car number) and a make's, season by season: own results only.
# Per kind: the car number written, and what it adds to the grouping.
_CARS = {
    "team": ("COALESCE(res.car_number, '')", ", COALESCE(res.car_number, '')"),
    "manufacturer": ("''", ""),
}


def _store_cars(cursor: Any, marks: str, chunk: Sequence[int]) -> None:
    """Write the car tallies of these seasons again (``CarTally``)."""
    table = connection.ops.quote_name(CarTally._meta.db_table)
    cursor.execute(f"DELETE FROM {table} WHERE season_id IN ({marks})", list(chunk))
    for kind, (car, by_car) in _CARS.items():
        field = FIELDS[kind]
        cursor.execute(
            f"INSERT INTO {table} (kind, subject_id, season_id, driver_id, car_number, starts,"
            f" wins) SELECT %s, res.{field}, r.season_id, res.driver_id, {car}, COUNT(*),"
            " SUM(CASE WHEN res.finish = 1 THEN 1 ELSE 0 END)"
            " FROM records_result res JOIN records_race r ON r.id = res.race_id"
            f" WHERE r.season_id IN ({marks}) AND res.{field} IS NOT NULL"
            f" GROUP BY res.{field}, r.season_id, res.driver_id{by_car}",
            [kind, *chunk],
        )


def _store_finishes(cursor: Any, table: str, marks: str, chunk: Sequence[int]) -> None:
    """Write each driver's own results of these seasons, in race order, on his tally."""
    cursor.execute(
        "SELECT r.season_id, res.driver_id, r.track_id, res.finish"
        " FROM records_result res JOIN records_race r ON r.id = res.race_id"
        f" WHERE r.season_id IN ({marks})"
        " ORDER BY r.season_id, res.driver_id, r.round, res.entry",
        list(chunk),
    )
    lines: dict[tuple[int, int], list[str]] = {}
    for season, driver, track, finish in cursor.fetchall():
        lines.setdefault((season, driver), []).append(f"{track}:{'' if finish is None else finish}")
    cursor.executemany(
        f"UPDATE {table} SET finishes = %s WHERE kind = 'driver' AND also = FALSE"
        " AND season_id = %s AND subject_id = %s",
        [(",".join(parts), season, driver) for (season, driver), parts in lines.items()],
    )


def parse_finishes(text: str) -> tuple[tuple[int, int | None], ...]:
    """The (track id, finish or None) pairs of a tally's ``finishes``."""
    if not text:
        return ()
    out = []
    for part in text.split(","):
        track, _, finish = part.partition(":")
        out.append((int(track), int(finish) if finish else None))
    return tuple(out)


# A driver's team or make of the season: that of most of his own starts, the lowest id on a tie.
_MAIN = """
UPDATE {table} SET {column} = best.car FROM (
    SELECT r.season_id AS season_id, res.driver_id AS driver_id, res.{field} AS car,
        ROW_NUMBER() OVER (
            PARTITION BY r.season_id, res.driver_id ORDER BY COUNT(*) DESC, res.{field}
        ) AS pick
    FROM records_result res JOIN records_race r ON r.id = res.race_id
    WHERE r.season_id IN ({marks}) AND res.{field} IS NOT NULL
    GROUP BY r.season_id, res.driver_id, res.{field}
) best
WHERE best.pick = 1 AND {table}.kind = 'driver' AND {table}.also = FALSE
    AND {table}.season_id = best.season_id AND {table}.subject_id = best.driver_id
"""


def season_tallies(
    kind: str, subject_id: int, series: str | None = None, *, finishes: bool = False
) -> list[SeasonCount]:
    """The tally of every season a subject raced in (of one series), with a driver's final
    place in it and, with *finishes*, his results of it in race order."""
    where = "t.kind = %s AND t.subject_id = %s"
    params: list[Any] = [kind, subject_id]
    if series is not None:
        where += " AND s.slug = %s"
        params.append(series)
    sums = ", ".join(f"t.{name}" for name in COLUMNS[4:])
    starts = "t.finishes" if finishes else "''"
    sql = (
        f"SELECT s.slug, se.year, t.also, t.place, {starts}, se.id, s.display_order, {sums}"
        " FROM records_seasontally t"
        " JOIN records_season se ON se.id = t.season_id"
        f" JOIN records_series s ON s.id = se.series_id WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        SeasonCount(
            slug,
            year,
            bool(also),
            Tally(*sums),
            place,
            parse_finishes(text),
            season_id,
            rank,
        )
        for slug, year, also, place, text, season_id, rank, *sums in rows
    ]


def counted(kind: str, where: Q, *stats: str) -> QuerySet[Any, Any]:
    """Per driver (``driver_id``), team or make of *kind*: the sums of *stats* and the first
    and last season, over the season tallies that *where* selects (each start once: in its own
    series). A values queryset, to be ordered and sliced."""
    return (
        SeasonTally.objects.filter(where, kind=kind, also=False)
        .values(**{f"{kind}_id": F("subject_id")})
        .annotate(
            **{stat: Sum(stat) for stat in stats},
            first=Min("season__year"),
            last=Max("season__year"),
        )
    )


def store_places(season_id: int, last_round: int) -> None:
    """Note each driver's final place (in the stored standings after *last_round*) on his
    tally of the season."""
    table = connection.ops.quote_name(SeasonTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET place = (SELECT sr.position FROM records_standingrow sr"
            f" WHERE sr.season_id = {table}.season_id AND sr.after_round = %s"
            f" AND sr.driver_id = {table}.subject_id)"
            " WHERE season_id = %s AND kind = 'driver'",
            [last_round, season_id],
        )
