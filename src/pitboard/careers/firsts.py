"""``pitboard firsts``: results and reported races as the firsts' events, and the answer as a
document with its evidence, its sources and what is missing (``core.firsts``)."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from typing import Any

from django.db import connection

from pitboard.careers.services import catalog_series, cited_by, json_value, track_slugs
from pitboard.core.countries import country_name, country_of
from pitboard.core.firsts import Event, Query, Scan, gender_key, same_attribute
from pitboard.core.names import name_key
from pitboard.records.services import bulk
from pitboard.records.services.careers import LookupError_, series_order

_CHUNK = 5_000  # results read at a time
_CONDITION = {
    "win": "r.finish = 1",
    "top5": "r.finish <= 5",
    "top10": "r.finish <= 10",
    "pole": "r.start = 1 AND r.finish IS NOT NULL",
    "start": "r.finish IS NOT NULL",
}
_RESULTS_SQL = (
    "SELECT r.driver_id, se.year, ra.date, r.finish, r.start, sr.slug, sb.abbreviation,"
    " t.country, p.nationality, p.gender, p.id, ra.id, ra.name, ra.round, t.name, t.slug,"
    " d.slug, p.name"
    " FROM records_result r"
    " JOIN records_race ra ON ra.id = r.race_id"
    " JOIN records_season se ON se.id = ra.season_id"
    " JOIN records_series sr ON sr.id = se.series_id"
    " LEFT JOIN records_sanctioningbody sb ON sb.id = sr.sanctioning_body_id"
    " JOIN records_track t ON t.id = ra.track_id"
    " JOIN records_driver d ON d.id = r.driver_id"
    " JOIN records_person p ON p.id = d.person_id"
    " WHERE {condition}"
)
# What publications state of people's gender and nationality (not deprecated; preferred first).
_STATED_SQL = (
    "SELECT s.id, s.subject_id, s.property, s.value, s.rank FROM careers_statement s"
    " WHERE s.property IN ('gender', 'nationality') AND s.rank <> 'deprecated'"
    " ORDER BY CASE WHEN s.rank = 'preferred' THEN 0 ELSE 1 END, s.id"
)
_REPORTED_SQL = (
    "SELECT s.id, s.value, d.id, d.slug, p.id, p.name, p.nationality, p.gender"
    " FROM careers_statement s JOIN records_person p ON p.id = s.subject_id"
    " JOIN records_driver d ON d.person_id = p.id"
    " WHERE s.property = 'race_result' AND s.rank <> 'deprecated'"
)


def _day(given: Any) -> dt.date | None:
    if given is None or isinstance(given, dt.date):
        return given
    return dt.date.fromisoformat(str(given)[:10])


def firsts(query: Query) -> dict[str, Any]:
    """``{"query", "answers": [{"driver", "date", "race", "track", "basis", "evidence",
    "sources"}], "missing": […]}``."""
    _check_scope(query)
    stated = _stated()
    sources = cited_by()
    reported = _reported(query, stated, sources)
    scan = Scan(query)
    dated = sorted((e for e in reported if e.date is not None), key=_date)
    for event in heapq.merge(_from_results(query, stated, dated=True), dated, key=_date):
        if scan.past(event.date):
            break
        scan.add(event)
    for event in _from_results(query, stated, dated=False):
        scan.add(event)
    for event in reported:
        if event.date is None:
            scan.add(event)
    answer = scan.answer()
    missing = answer.missing + _totals(query, answer.answers, stated) + _coverage(query)
    return {
        "query": query.as_dict(),
        "answers": [_document(e, query, stated, sources) for e in answer.answers],
        "missing": missing,
    }


def _date(event: Event) -> dt.date:
    return event.date or dt.date.min


def _check_scope(query: Query) -> None:
    """LookupError_ for a series, sanctioning body or gender nobody has: a typo is not an
    answer that nobody did it."""
    reported = [json_value(v) for (v,) in bulk.select_rows(
        "SELECT value FROM careers_statement WHERE property IN ('race_result', 'gender')"
    )]  # fmt: skip
    if query.series is not None:
        slugs = {*catalog_series(), *series_order()}
        if query.series not in slugs:
            raise LookupError_(f"no series {query.series!r} (known: {', '.join(sorted(slugs))})")
    if query.sanction is not None:
        bodies = {a for (a,) in bulk.select_rows(
            "SELECT abbreviation FROM records_sanctioningbody WHERE abbreviation <> ''"
        )} | {v["sanction"] for v in reported if v.get("sanction")}  # fmt: skip
        if query.sanction.casefold() not in {b.casefold() for b in bodies}:
            named = ", ".join(sorted(bodies)) or "none"
            raise LookupError_(f"no sanctioning body {query.sanction!r} (known: {named})")
    if query.gender is not None:
        genders = {gender_key(g) for (g,) in bulk.select_rows(
            "SELECT DISTINCT gender FROM records_person WHERE gender <> ''"
        )} | {gender_key(v["gender"]) for v in reported if v.get("gender")}  # fmt: skip
        genders |= {"female", "male"}
        if gender_key(query.gender) not in genders:
            words = ", ".join(sorted(genders))
            raise LookupError_(f"no one is stated to be {query.gender!r} (known: {words})")


def _totals(
    query: Query, answers: list[Event], stated: dict[tuple[int, str], tuple[str, int]]
) -> list[str]:
    """Seasons known only as reported totals (no dates) that may hold an earlier event."""
    need = {"win": "wins", "top5": "top5", "top10": "top10", "pole": "poles", "start": "starts"}
    horizon = min((e.season for e in answers), default=10_000)
    answered = {(e.driver, e.season) for e in answers}
    found = []
    for prop, value, driver, name, person, nationality, gender in bulk.select_rows(
        "SELECT s.property, s.value, d.id, p.name, p.id, p.nationality, p.gender"
        " FROM careers_statement s JOIN records_person p ON p.id = s.subject_id"
        " JOIN records_driver d ON d.person_id = p.id WHERE s.rank <> 'deprecated'"
        " AND s.property IN ('season_summary', 'team_stint')"
    ):
        v = json_value(value)
        if prop == "team_stint":
            # A stint holds starts on days not known, how many the value may not say.
            if query.event != "start":
                continue
            season, count = min(v["seasons"]), v.get("races")
        else:
            season, count = v["season"], v.get(need[query.event])
        if not (count or prop == "team_stint") or season > horizon:
            continue
        if query.series and v.get("series") != query.series:
            continue
        if (driver, season) in answered and count is not None and count <= 1:
            continue  # the answer itself
        event = Event(
            driver, season, None, None, None, v.get("series"), None, None,
            nationality or stated.get((person, "nationality"), ("", 0))[0] or None,
            gender or stated.get((person, "gender"), ("", 0))[0] or None,
        )  # fmt: skip
        if any(
            same_attribute(attr, getattr(query, attr), getattr(event, attr)) is False
            for attr in ("nationality", "gender")
        ):
            continue
        if f"{name} {season}" not in found:
            found.append(f"{name} {season}")
    if not found:
        return []
    return [
        f"seasons known only as reported totals, without dates, that may hold an earlier "
        f"{query.event}: {', '.join(sorted(found))}"
    ]


def _stated() -> dict[tuple[int, str], tuple[str, int]]:
    """(person, gender|nationality) → (value, statement id): the first-ranked statement."""
    found: dict[tuple[int, str], tuple[str, int]] = {}
    for sid, person, prop, value, _ in bulk.select_rows(_STATED_SQL):
        v = json_value(value)
        given = v.get("gender") if prop == "gender" else v.get("country")
        if given:
            found.setdefault((person, prop), (str(given), sid))
    return found


def _from_results(
    query: Query, stated: dict[tuple[int, str], tuple[str, int]], *, dated: bool
) -> Iterator[Event]:
    """The results that may qualify, read a chunk at a time: the dated ones in date order
    (the caller stops reading past the answer), or those without a date."""
    sql = _RESULTS_SQL.format(condition=_CONDITION[query.event])
    params: list[Any] = []
    # Narrow in SQL only on what is known; an unknown value stays, to be reported as missing.
    if query.series:
        sql, params = sql + " AND sr.slug = %s", [*params, query.series]
    if query.country:
        sql += " AND (t.country = '' OR t.country = %s)"
        params.append(query.country.upper())
    if query.sanction:
        sql += (
            " AND (sb.abbreviation IS NULL OR sb.abbreviation = '' OR UPPER(sb.abbreviation) = %s)"
        )
        params.append(query.sanction.upper())
    if query.nationality:  # the country, or a part of it (GB-SCT); unknown stays
        sql += " AND (p.nationality = '' OR p.nationality = %s OR p.nationality LIKE %s)"
        params += [query.nationality.upper(), country_of(query.nationality.upper()) + "-%"]
    sql += " AND ra.date IS NOT NULL ORDER BY ra.date" if dated else " AND ra.date IS NULL"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_CHUNK):
            for row in rows:
                (driver, season, date, finish, start, series, sanction, country, nationality,
                 gender, person) = row[:11]  # fmt: skip
                nationality = nationality or stated.get((person, "nationality"), ("", 0))[0]
                gender = gender or stated.get((person, "gender"), ("", 0))[0]
                yield Event(
                    driver, season, _day(date), finish, start, series, sanction, country,
                    nationality or None, gender or None, "results", row,
                )  # fmt: skip


def _result_about(row: tuple[Any, ...]) -> dict[str, Any]:
    """What an answer says of a result: its row of ``_RESULTS_SQL``."""
    (_, season, _, finish, start, series, _, country, _, _, person, race, race_name, rnd,
     track, track_slug, slug, name) = row  # fmt: skip
    return {
        "person": person,
        "driver": {"name": name, "slug": slug},
        "race": {"id": str(race), "name": race_name, "series": series, "season": season,
                 "round": rnd},
        "track": {"name": track, "slug": track_slug, "country": country or None},
        "finish": finish,
        "start": start,
    }  # fmt: skip


def _reported(
    query: Query,
    stated: dict[tuple[int, str], tuple[str, int]],
    sources: dict[int, list[dict[str, Any]]],
) -> list[Event]:
    """Races publications report, unless the results hold the same race for the driver."""
    events = []
    rows = bulk.select_rows(_REPORTED_SQL)
    held = _held_results([row[2] for row in rows])
    slugs = track_slugs([json_value(row[1]).get("track") or "" for row in rows])
    for sid, value, driver, slug, person, name, nationality, gender in rows:
        v = json_value(value)
        day = _day(v.get("date"))
        same_track = (driver, v["season"], name_key(v.get("track") or ""))
        if (day is not None and (driver, day) in held) or same_track in held:
            continue
        nationality = nationality or stated.get((person, "nationality"), ("", 0))[0]
        gender = gender or stated.get((person, "gender"), ("", 0))[0]
        events.append(
            Event(
                driver, v["season"], day, v.get("finish"), v.get("start"), v.get("series"),
                v.get("sanction"), v.get("country"), nationality or None, gender or None,
                "reported",
                {
                    "person": person,
                    "driver": {"name": name, "slug": slug},
                    "race": None,
                    "reported": {k: v[k] for k in ("series", "division", "season") if k in v},
                    "track": {
                        "name": v.get("track"),
                        "slug": slugs.get(v.get("track") or ""),
                        "country": v.get("country"),
                    },
                    "finish": v.get("finish"),
                    "start": v.get("start"),
                    "statement": sid,
                    "sources": sources.get(sid, []),
                },
            )
        )  # fmt: skip
    return events


def _held_results(drivers: list[int]) -> set[tuple[Any, ...]]:
    """(driver, date) and (driver, season, track name key) of the drivers' results."""
    held: set[tuple[Any, ...]] = set()
    for chunk in bulk.chunks(sorted(set(drivers))):
        marks = ", ".join(["%s"] * len(chunk))
        for driver, date, season, track in bulk.select_rows(
            "SELECT r.driver_id, ra.date, se.year, t.name_key FROM records_result r"
            " JOIN records_race ra ON ra.id = r.race_id"
            " JOIN records_season se ON se.id = ra.season_id"
            f" JOIN records_track t ON t.id = ra.track_id WHERE r.driver_id IN ({marks})",
            list(chunk),
        ):
            held.add((driver, season, track))
            if date is not None:
                held.add((driver, _day(date)))
    return held


def _document(
    event: Event,
    query: Query,
    stated: dict[tuple[int, str], tuple[str, int]],
    sources: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    about = event.about if event.basis == "reported" else _result_about(event.about)
    person = about["person"]
    evidence = []
    cited: list[dict[str, Any]] = list(about.get("sources", []))
    place = {"win": "won", "top5": "finished in the top five", "top10": "finished in the top ten",
             "pole": "started from the pole", "start": "started"}[query.event]  # fmt: skip
    where = about["track"]["name"] or "an unnamed track"
    if event.basis == "reported":
        evidence.append(
            f"reported race: {place} at {where} ({_when(event)}), finishing {event.finish}"
        )
    else:
        race = about["race"]
        evidence.append(
            f"result: {place} in {race['name']} at {where} ({_when(event)}; {race['series']}"
            f" round {race['round']}), finishing {event.finish}"
        )
        cited.append({"key": "results", "title": f"pitboard results, {race['series']}",
                      "publisher": None, "url": f"/api/v1/races/{race['id']}"})  # fmt: skip
    for prop, value in (("nationality", event.nationality), ("gender", event.gender)):
        if not value:
            continue
        said = stated.get((person, prop))
        shown = country_name(value) if prop == "nationality" else value
        if said and said[0] == value:
            evidence.append(f"{prop}: {shown}, as a publication states")
            cited += [s for s in sources.get(said[1], []) if s not in cited]
        else:
            evidence.append(f"{prop}: {shown}, as the results data gives it")
    if event.sanction:
        evidence.append(f"sanctioned by {event.sanction}")
    if event.country:
        evidence.append(f"in {country_name(event.country)}")
    return {
        "driver": about["driver"],
        "date": event.date.isoformat() if event.date else None,
        "season": event.season,
        "race": about["race"] or about.get("reported"),
        "track": about["track"],
        "basis": event.basis,
        "evidence": evidence,
        "sources": cited,
    }


def _when(event: Event) -> str:
    return event.date.isoformat() if event.date else f"season {event.season}"


def _coverage(query: Query) -> list[str]:
    """What the results cover for the scope asked: anything outside is known only as reported."""
    sql = (
        "SELECT sr.slug, MIN(se.year), MAX(se.year) FROM records_season se"
        " JOIN records_series sr ON sr.id = se.series_id"
        " LEFT JOIN records_sanctioningbody sb ON sb.id = sr.sanctioning_body_id"
        " WHERE EXISTS (SELECT 1 FROM records_race ra WHERE ra.season_id = se.id)"
    )
    params: list[Any] = []
    if query.sanction:
        sql, params = sql + " AND UPPER(sb.abbreviation) = UPPER(%s)", [query.sanction]
    if query.series:
        sql, params = sql + " AND sr.slug = %s", [*params, query.series]
    rows = bulk.select_rows(sql + " GROUP BY sr.slug ORDER BY MIN(se.year), sr.slug", params)
    held = ", ".join(f"{slug} {lo}–{hi}" for slug, lo, hi in rows) or "none"
    scope = f"{query.sanction}-sanctioned " if query.sanction else ""
    return [
        f"results held for {scope}series: {held}; other {scope}racing (weekly tracks, "
        "divisions and seasons outside these) is known only where a publication reports it"
    ]
