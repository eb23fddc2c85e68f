"""Stat lines: "1 win, 7 podiums and 12 top fives in 13 starts", from the results where there
are any for the query, else from the season summaries publications reported."""

from __future__ import annotations

from typing import Any

from pitboard.careers.services import catalog_series, cited_by, json_value
from pitboard.core.careers import statline
from pitboard.core.names import name_key
from pitboard.records.services import bulk
from pitboard.records.services.careers import LookupError_, series_order

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
# Reported seasons and races: the preferred first, then in the order they were stated.
_STATED_SQL = (
    "SELECT s.id, s.property, s.value FROM careers_statement s JOIN records_driver d"
    " ON d.person_id = s.subject_id WHERE d.id = %s"
    " AND s.property IN ('season_summary', 'race_result', 'team_stint')"
    " AND s.rank <> 'deprecated'"
    " ORDER BY CASE WHEN s.rank = 'preferred' THEN 0 ELSE 1 END, s.id"
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
    """``{"text", "counts", "basis", "sources", "note"}`` for the driver's results that match;
    where none does, the reported season summaries that match (the first-ranked of each season
    where publications disagree), else the races publications report, citing them; else "0
    starts" where the results cover the scope, "no results held" where they do not."""
    known = {*catalog_series(), *series_order()}
    if series is not None and series not in known:
        raise LookupError_(f"no series {series!r} (known: {', '.join(sorted(known))})")
    tracks = track_ids(track) if track is not None else None
    sql, params = _scoped(_RESULTS_SQL, [driver_id], series, season, tracks)
    counts: dict[str, int | None] = dict(
        zip(_COUNTED, bulk.select_rows(sql, params)[0], strict=True)
    )
    if counts["starts"]:
        shown = {k: counts[k] for k in ("wins", "podiums", "top5", "top10", "starts")}
        return _line(statline(shown), counts, "results")
    reported = _reported(driver_id, series, season, track)
    if reported is not None:
        return reported
    if track is not None and not tracks:
        raise LookupError_(f"no track {track!r} (give its slug or name)")
    if not _covered(series, season, tracks):
        scope = " ".join(str(p) for p in (series, season, track) if p is not None)
        nothing = dict.fromkeys(_COUNTED)
        return _line(f"no results held for {scope}", nothing, "results")
    return _line(statline({"starts": 0}), counts, "results")


def _line(
    text: str,
    counts: dict[str, int | None],
    basis: str,
    sources: list[dict[str, Any]] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    return {"text": text, "counts": counts, "basis": basis, "sources": sources or [], "note": note}


def _covered(series: str | None, season: int | None, tracks: list[int] | None) -> bool:
    """Whether the results hold any race of the scope, whoever drove in it."""
    sql, params = _scoped(
        "SELECT 1 FROM records_race ra JOIN records_season se ON se.id = ra.season_id"
        " JOIN records_series sr ON sr.id = se.series_id WHERE 1 = 1",
        [],
        series,
        season,
        tracks,
    )
    return bool(bulk.select_rows(sql + " LIMIT 1", params))


def _scoped(
    sql: str, params: list[Any], series: str | None, season: int | None, tracks: list[int] | None
) -> tuple[str, list[Any]]:
    """*sql* narrowed to a series, a season and tracks (None: any)."""
    if series is not None:
        sql, params = sql + " AND sr.slug = %s", [*params, series]
    if season is not None:
        sql, params = sql + " AND se.year = %s", [*params, season]
    if tracks is not None:
        marks = ", ".join(["%s"] * len(tracks)) or "NULL"
        sql, params = sql + f" AND ra.track_id IN ({marks})", [*params, *tracks]
    return sql, params


def _matches(v: dict[str, Any], series: str | None, season: int | None, track: str | None) -> bool:
    if series is not None and v.get("series") != series:
        return False
    if season is not None and v.get("season") != season:
        return False
    return track is None or name_key(v.get("track") or "") == name_key(track)


def _reported(
    driver_id: int, series: str | None, season: int | None, track: str | None
) -> dict[str, Any] | None:
    summaries: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    races: list[tuple[int, dict[str, Any]]] = []
    stints: list[tuple[int, dict[str, Any]]] = []
    for sid, prop, value in bulk.select_rows(_STATED_SQL, (driver_id,)):
        v = json_value(value)
        if prop == "team_stint":  # a stint's races, where it gives them, in its one season
            if v.get("races") is None or len(v["seasons"]) != 1:
                continue
            v = {**v, "season": v["seasons"][0]}
        if not _matches(v, series, season, track):
            continue
        if prop == "race_result":
            races.append((sid, v))
        elif prop == "team_stint":
            stints.append((sid, v))
        elif v.get("starts") is not None:  # a summary without starts is no stat line
            # Publications that disagree on a season: the first-ranked one counts.
            group = (v["season"], v.get("series"), v.get("division"), v.get("track"))
            summaries.setdefault(group, (sid, v))
    if summaries:
        counts: dict[str, int | None] = {}
        for name in _COUNTED:
            given = [v.get(name) for _, v in summaries.values()]
            counts[name] = sum(g for g in given if g is not None) if None not in given else None
        ids = [sid for sid, _ in summaries.values()]
        return _line(statline(counts), counts, "reported", _sources(ids))
    if races:
        finishes = [v["finish"] for _, v in races]
        starts = [v.get("start") for _, v in races]
        counts = {
            "starts": len(races),
            "wins": sum(f == 1 for f in finishes),
            "podiums": sum(f <= 3 for f in finishes),
            "top5": sum(f <= 5 for f in finishes),
            "top10": sum(f <= 10 for f in finishes),
            "poles": sum(s == 1 for s in starts) if None not in starts else None,
        }
        shown = {k: counts[k] for k in ("wins", "podiums", "top5", "top10", "starts")}
        note = "only the races publications report: the driver may have started others"
        return _line(statline(shown), counts, "reported", _sources([s for s, _ in races]), note)
    if stints:
        starts = sum(v["races"] for _, v in stints)
        counts = {**dict.fromkeys(_COUNTED), "starts": starts}
        note = "a stint's number of races, as reported: nothing of its finishes"
        return _line(statline(counts), counts, "reported", _sources([s for s, _ in stints]), note)
    return None


def _sources(statement_ids: list[int]) -> list[dict[str, Any]]:
    """The publications the statements cite, each once, by key."""
    found = {pub["key"]: pub for pubs in cited_by(statement_ids).values() for pub in pubs}
    return [found[key] for key in sorted(found)]
