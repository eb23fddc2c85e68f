"""Stat lines: "1 win, 7 podiums and 12 top fives in 13 starts", from the results where there
are any for the query, else from the season summaries publications reported."""

from __future__ import annotations

import json
from typing import Any

from pitboard.core.careers import statline
from pitboard.core.names import name_key
from pitboard.records.services import bulk
from pitboard.records.services.careers import LookupError_

# A start is a result with a finishing position (docs/statistics.md); poles are starts from first.
_RESULTS_SQL = (
    "SELECT COUNT(r.finish),"
    " COALESCE(SUM(CASE WHEN r.finish = 1 THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN r.finish <= 3 THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN r.finish <= 5 THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN r.finish <= 10 THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN r.finish IS NOT NULL AND r.start = 1 THEN 1 ELSE 0 END), 0)"
    " FROM records_result r"
    " JOIN records_race ra ON ra.id = r.race_id"
    " JOIN records_season se ON se.id = ra.season_id"
    " JOIN records_series sr ON sr.id = se.series_id"
    " JOIN records_track t ON t.id = ra.track_id"
    " WHERE r.driver_id = %s"
)
_COUNTED = ("starts", "wins", "podiums", "top5", "top10", "poles")
_SUMMARIES_SQL = (
    "SELECT s.id, s.value FROM careers_statement s JOIN records_driver d"
    " ON d.person_id = s.subject_id WHERE d.id = %s AND s.property = 'season_summary'"
    " AND s.rank <> 'deprecated' ORDER BY s.id"
)


def track_ids(track: str) -> list[int]:
    """The tracks a --track value means: a slug, else a name or former name, any case."""
    found = bulk.select_rows("SELECT id FROM records_track WHERE slug = %s", (track,))
    if not found:
        key = name_key(track)
        found = bulk.select_rows(
            "SELECT id FROM records_track WHERE name_key = %s"
            " UNION SELECT track_id FROM records_trackname WHERE name_key = %s",
            (key, key),
        )
    return sorted(row[0] for row in found)


def of_driver(
    driver_id: int, series: str | None = None, season: int | None = None, track: str | None = None
) -> dict[str, Any]:
    """``{"text", "counts", "basis", "sources"}`` for the driver's results that match; where no
    result matches, the reported season summaries that match, citing their publications."""
    sql, params = _RESULTS_SQL, list[Any]([driver_id])
    if series is not None:
        sql, params = sql + " AND sr.slug = %s", [*params, series]
    if season is not None:
        sql, params = sql + " AND se.year = %s", [*params, season]
    tracks = track_ids(track) if track is not None else []
    if track is not None and not tracks:
        raise LookupError_(f"no track {track!r} (give its slug or name)")
    if track is not None:
        marks = ", ".join(["%s"] * len(tracks)) or "NULL"
        sql, params = sql + f" AND ra.track_id IN ({marks})", [*params, *tracks]
    counts = dict(zip(_COUNTED, bulk.select_rows(sql, params)[0], strict=True))
    if counts["starts"]:
        shown = {k: counts[k] for k in ("wins", "podiums", "top5", "top10", "starts")}
        return {"text": statline(shown), "counts": counts, "basis": "results", "sources": []}
    reported = _reported(driver_id, series, season, track)
    if reported is not None:
        return reported
    return {"text": statline({"starts": 0}), "counts": counts, "basis": "results", "sources": []}


def _reported(
    driver_id: int, series: str | None, season: int | None, track: str | None
) -> dict[str, Any] | None:
    matched = []
    for sid, value in bulk.select_rows(_SUMMARIES_SQL, (driver_id,)):
        v = json.loads(value) if isinstance(value, str) else value
        if series is not None and v.get("series") != series:
            continue
        if season is not None and v.get("season") != season:
            continue
        if track is not None and name_key(v.get("track") or "") != name_key(track):
            continue
        if v.get("starts") is None:
            continue  # a summary without starts (a points position) is no stat line
        matched.append((sid, v))
    if not matched:
        return None
    counts: dict[str, int | None] = {}
    for name in _COUNTED:
        given = [v.get(name) for _, v in matched]
        counts[name] = sum(given) if all(g is not None for g in given) else None
    return {
        "text": statline(counts),
        "counts": counts,
        "basis": "reported",
        "sources": _sources([sid for sid, _ in matched]),
    }


def _sources(statement_ids: list[int]) -> list[dict[str, Any]]:
    marks = ", ".join(["%s"] * len(statement_ids))
    rows = bulk.select_rows(
        "SELECT DISTINCT p.key, p.title, p.publisher, p.url FROM careers_reference r"
        f" JOIN careers_publication p ON p.id = r.publication_id WHERE r.statement_id IN ({marks})"
        " ORDER BY p.key",
        statement_ids,
    )
    return [
        {"key": key, "title": title, "publisher": publisher or None, "url": url or None}
        for key, title, publisher, url in rows
    ]
