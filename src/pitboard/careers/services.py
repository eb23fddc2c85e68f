"""Reading careers: a person's statements with their references, for the page and the API."""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pitboard.core.careers import (
    PROPERTIES,
    Rank,
    describe,
    ordinal,
    relation_rest,
    statline,
    years_text,
)
from pitboard.core.countries import country_name
from pitboard.core.names import name_key
from pitboard.records.services import bulk
from pitboard.records.services.careers import LookupError_, subject_by_slug

# Statements about the person, and those naming the person (a parent, a coach): their subject,
# other person and the drivers' slugs, in the order a reader sees them.
_STATEMENTS_SQL = (
    "SELECT s.id, s.subject_id = me.pid, s.other_id, s.property, s.value, s.qualifiers, s.rank,"
    " s.rank_reason, sp.name, sd.slug, op.name, od.slug, s.subject_id"
    " FROM {me} me CROSS JOIN careers_statement s"
    " JOIN records_person sp ON sp.id = s.subject_id"
    " LEFT JOIN records_driver sd ON sd.person_id = s.subject_id"
    " LEFT JOIN records_person op ON op.id = s.other_id"
    " LEFT JOIN records_driver od ON od.person_id = s.other_id"
    " WHERE s.subject_id = me.pid OR s.other_id = me.pid"
    " ORDER BY s.id"
)
# Statements about a track or a series, in the same columns.
_PLACE_SQL = (
    "SELECT s.id, 1, s.other_id, s.property, s.value, s.qualifiers, s.rank, s.rank_reason,"
    " NULL, NULL, op.name, od.slug, NULL"
    " FROM careers_statement s"
    " LEFT JOIN records_person op ON op.id = s.other_id"
    " LEFT JOIN records_driver od ON od.person_id = s.other_id"
    " WHERE s.{column} = (SELECT id FROM {table} WHERE slug = %s)"
    " ORDER BY s.id"
)
_REFERENCES_SQL = (
    "SELECT r.statement_id, r.start, r.end, p.id, p.key, p.title, p.publisher, p.author, p.url,"
    " p.published, p.published_after, p.published_before, p.date_note, p.note"
    " FROM careers_reference r JOIN careers_publication p ON p.id = r.publication_id"
    " WHERE r.statement_id IN ({}) ORDER BY r.statement_id, r.id"
)
_RANK_ORDER = {Rank.PREFERRED: 0, Rank.NORMAL: 1, Rank.DEPRECATED: 2}
_ORDER = {name: i for i, name in enumerate(PROPERTIES)}


def json_value(given: Any) -> Any:
    """A JSON column's value: SQLite gives its text, PostgreSQL the value."""
    return json.loads(given) if isinstance(given, str) else given


def cited_by(statement_ids: list[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Statement id → the publications it cites (key, title, publisher, url), for the given
    statements or every one."""
    sql = (
        "SELECT DISTINCT r.statement_id, p.key, p.title, p.publisher, p.url"
        " FROM careers_reference r JOIN careers_publication p ON p.id = r.publication_id"
    )
    params: list[int] = []
    if statement_ids is not None:
        sql += f" WHERE r.statement_id IN ({', '.join(['%s'] * len(statement_ids)) or 'NULL'})"
        params = statement_ids
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sid, key, title, publisher, url in bulk.select_rows(
        sql + " ORDER BY r.statement_id, p.key", params
    ):
        found[sid].append(
            {"key": key, "title": title, "publisher": publisher or None, "url": url or None}
        )
    return found


def of_person(person_id: int) -> dict[str, Any]:
    return _about(_STATEMENTS_SQL.format(me="(SELECT %s AS pid)"), (person_id,))


def person_document(person_id: int) -> dict[str, Any]:
    """``{"person": {"id", "name", "slug"}, "statements", "mentions", "sources"}``; the slug is
    the driver's where the person is one. LookupError_ for an unknown id."""
    if not 0 < person_id < 2**63:  # ids are 64-bit: a larger number names nobody
        raise LookupError_(f"no person {person_id}")
    found = bulk.select_rows(
        "SELECT p.name, d.slug FROM records_person p"
        " LEFT JOIN records_driver d ON d.person_id = p.id WHERE p.id = %s",
        (person_id,),
    )
    if not found:
        raise LookupError_(f"no person {person_id}")
    name, slug = found[0]
    return {"person": {"id": person_id, "name": name, "slug": slug}, **of_person(person_id)}


def place_document(kind: str, slug: str) -> dict[str, Any]:
    """``{"statements", "sources"}`` of a track or a series (*kind*); LookupError_ for a slug
    that names none."""
    table = {"track": "records_track", "series": "records_series"}[kind]
    if not bulk.select_rows(f"SELECT 1 FROM {table} WHERE slug = %s", (slug,)):
        raise LookupError_(f"no {kind} {slug!r}")
    found = of_track(slug) if kind == "track" else of_series(slug)
    return {"statements": found["statements"], "sources": found["sources"]}


def of_track(slug: str) -> dict[str, Any]:
    """What publications say of a track (where it is), with the sources, as ``of_person``."""
    return _about(_PLACE_SQL.format(column="track_id", table="records_track"), (slug,))


def of_series(slug: str) -> dict[str, Any]:
    """What publications say of a series (its names then and now), as ``of_person``."""
    return _about(_PLACE_SQL.format(column="series_id", table="records_series"), (slug,))


def driver_document(slug: str) -> dict[str, Any]:
    """``{"driver": …, "statements": […], "mentions": […], "sources": […]}`` for a driver."""
    subject = subject_by_slug("driver", slug)
    return {"driver": subject.as_dict(), **of_driver(slug)}


def of_driver(slug: str) -> dict[str, Any]:
    """The same as ``of_person`` for the person a driver's page is about."""
    me = "(SELECT person_id AS pid FROM records_driver WHERE slug = %s)"
    return _about(_STATEMENTS_SQL.format(me=me), (slug,))


def _about(sql: str, params: tuple[Any, ...]) -> dict[str, Any]:
    """``statements`` about the person, ``mentions`` (statements of others naming them: the
    drivers a coach coached, a parent's children) and the ``sources`` they cite, numbered in
    order of first citation; each statement's ``cites`` holds those numbers."""
    rows = bulk.select_rows(sql, params)
    if not rows:
        return {"statements": [], "mentions": [], "sources": []}
    by_id: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    ids = [row[0] for row in rows]
    marks = ", ".join(["%s"] * len(ids))
    for ref in bulk.select_rows(_REFERENCES_SQL.format(marks), ids):
        by_id[ref[0]].append(ref)
    sources: dict[int, dict[str, Any]] = {}
    statements, mentions = [], []
    ordered = sorted(
        rows, key=lambda r: (_ORDER.get(r[3], 99), _RANK_ORDER.get(r[6], 3), _season(r), r[0])
    )
    for (
        sid,
        own,
        other,
        prop,
        value,
        qualifiers,
        rank,
        reason,
        sname,
        sslug,
        oname,
        oslug,
        subject,
    ) in ordered:
        cites = []
        for (
            _,
            start,
            end,
            pub,
            key,
            title,
            publisher,
            author,
            url,
            on,
            after,
            before,
            note,
            about_it,
        ) in by_id[sid]:
            if pub not in sources:
                sources[pub] = {
                    "n": len(sources) + 1,
                    "key": key,
                    "title": title,
                    "publisher": publisher or None,
                    "author": author or None,
                    "url": url or None,
                    "published": iso_day(on),
                    "published_after": iso_day(after),
                    "published_before": iso_day(before),
                    "date_note": note or None,
                    "note": about_it or None,
                }
            cites.append(
                {"n": sources[pub]["n"], "span": [start, end] if start is not None else None}
            )
        item = {
            "id": sid,
            "property": prop,
            "label": PROPERTIES[prop].label if prop in PROPERTIES else prop,
            "value": json_value(value),
            "qualifiers": json_value(qualifiers) or {},
            "rank": rank,
            "rank_reason": reason or None,
            "cites": cites,
        }
        if own:
            item["other"] = (
                {"name": oname, "slug": oslug, "id": other} if other is not None else None
            )
            statements.append(item)
        else:
            item["subject"] = {"name": sname, "slug": sslug, "id": subject}
            mentions.append(item)
    return {"statements": statements, "mentions": mentions, "sources": list(sources.values())}


def _season(row: tuple[Any, ...]) -> int:
    value = json_value(row[4]) or {}
    if value.get("current"):  # a name as of the publication: after the ones of past seasons
        return 9999
    seasons = value.get("seasons") or [value.get("season") or 0]
    return int(min(seasons))


def iso_day(day: Any) -> str | None:
    """A date column's value as ISO text: PostgreSQL gives a date, SQLite its text."""
    return day.isoformat() if hasattr(day, "isoformat") else (str(day) if day else None)


# How a statement naming someone reads on that someone's page.
_MENTIONED_AS = {"coached_by": "coached", "relative": "family"}


@cache
def catalog_series() -> dict[str, str]:
    """Every series pitboard knows, imported or not: slug → current name."""
    found: dict[str, str] = {}
    for name in ("nascar_series.toml", "regional_series.toml"):
        data = tomllib.loads(files("pitboard.data").joinpath(name).read_text())
        found |= {s["slug"]: s["name"] for s in data["series"]}
    return found


def track_slugs(names: list[str]) -> dict[str, str]:
    """Track name as a statement writes it → the slug of the one track that goes by it (none
    where no track, or several, do)."""
    keys = {name_key(n): n for n in names if n}
    if not keys:
        return {}
    found: dict[str, set[str]] = defaultdict(set)
    for key, slug in bulk.select_rows(
        "SELECT tn.name_key, t.slug FROM records_trackname tn"
        " JOIN records_track t ON t.id = tn.track_id"
        f" WHERE tn.name_key IN ({', '.join(['%s'] * len(keys))})",
        list(keys),
    ):
        found[key].add(slug)
    return {keys[k]: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _pieces(text: str, track: str | None, slug: str | None) -> list[tuple[str, str | None]]:
    """The text as (words, link) pieces: the track's name linked to its page."""
    if not (track and slug and track in text):
        return [(text, None)]
    before, after = text.split(track, 1)
    return [(before, None), (track, f"/tracks/{slug}/"), (after, None)]


def in_words(about: dict[str, Any], series: Mapping[str, str]) -> dict[str, Any]:
    """*about* (``of_person``) with each statement's ``text`` in plain words, and as
    ``pieces`` (words, link) with a track it names linked; the page leaves out the name
    statement that only repeats the page's heading."""
    series = {**catalog_series(), **series}
    names = [st for st in about["statements"] if st["property"] == "name"]
    if len(names) == 1 and names[0]["rank"] == "normal":
        about["statements"].remove(names[0])
    for st in about["statements"]:
        st["cited"] = sorted({c["n"] for c in st["cites"]})
        if st["property"] == "nationality":
            st["value"] = {**st["value"], "country": country_name(st["value"]["country"])}
        if st.get("other"):  # the page links the name: the words are the rest
            st["text"] = relation_rest(st["property"], st["value"])
        else:
            st["text"] = describe(st["property"], st["value"], None, series)
    slugs = track_slugs([st["value"].get("track") or "" for st in about["statements"]])
    for st in about["statements"]:
        track = st["value"].get("track")
        st["pieces"] = _pieces(st["text"], track, slugs.get(track or ""))
    for st in about["mentions"]:
        st["cited"] = sorted({c["n"] for c in st["cites"]})
        st["label"] = _MENTIONED_AS.get(st["property"], st["label"])
        value = st["value"]
        seasons = value.get("seasons")
        # Said of this person: "parent of Amber Balcaen", "coached Kaz Grala, 2015".
        st["before"] = f"{value['relation']} of" if value.get("relation") else ""
        st["text"] = years_text(seasons) if seasons else ""
    return about


def _where(value: Mapping[str, Any]) -> str:
    """A division and its track as one label: "Limited Sportsman, Motor Mile Speedway"."""
    division, track = value.get("division") or "", value.get("track") or ""
    if track and track not in division:
        return f"{division}, {track}" if division else track
    return division


def ladder_parts(
    about: dict[str, Any], series: Mapping[str, str]
) -> tuple[dict[str, dict[int, str]], list[tuple[int, str, str]]]:
    """From *about* (``in_words``): per ladder row (a series' name, else the division or track
    reported), the seasons reported with what and which sources; and the injuries and
    milestones to mark, by season."""
    series = {**catalog_series(), **series}
    rows: dict[str, dict[int, str]] = {}
    marks: list[tuple[int, str, str]] = []
    for st in about["statements"]:
        if st["rank"] == "deprecated":
            continue
        v, cited = st["value"], "".join(f"[{n}]" for n in st["cited"])
        if st["property"] in ("team_stint", "season_summary", "race_result"):
            slug = v.get("series")
            label = series[slug] if slug in series else _where(v) or slug or "reported"
            for season in v.get("seasons") or [v["season"]]:
                said = rows.setdefault(label, {})
                both = (said.get(season), f"{st['text']} {cited}")
                said[season] = "; ".join(p for p in both if p)
        elif st["property"] in ("injury", "milestone"):
            season = v.get("season") or (int(v["date"][:4]) if v.get("date") else None)
            if season is not None:
                marks.append((season, st["property"], f"{st['text']} {cited}"))
    return rows, marks


# What a timeline shows of a statement, by property (others are not placed in time).
_TIMED = ("team_stint", "season_summary", "race_result", "injury", "milestone", "coached_by")


def timeline(
    about: dict[str, Any], seasons: list[dict[str, Any]], milestones: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Year by year, what the results say (each season's line, the milestones found in them)
    and what publications report (stints, seasons, races, injuries, milestones, coaching),
    each item labelled ``results`` or ``reported`` with its sources' numbers: ``[{"year",
    "items": [{"basis", "label", "text", "cited"}]}]``, oldest first."""
    years: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in seasons:
        counts = {k: row.get(k) for k in ("wins", "top5", "top10", "starts")}
        text = statline(counts)
        if row.get("final_position"):
            text += f", {ordinal(row['final_position'])} in points"
        years[row["season"]].append(
            {"basis": "results", "label": row["series_name"], "text": text, "cited": []}
        )
    for m in milestones:
        race = m["race"]
        where = race["name"] or race["track"]["name"]
        years[m["season"]].append(
            {"basis": "results", "label": m["label"], "text": where, "cited": []}
        )
    for st in about["statements"]:
        if st["property"] not in _TIMED or st["rank"] == "deprecated":
            continue
        v = st["value"]
        when = v.get("seasons") or ([v["season"]] if v.get("season") else [])
        if not when and v.get("date"):
            when = [int(str(v["date"])[:4])]
        if st.get("other") and st["property"] == "coached_by":
            text = f"{st['other']['name']} {st['text']}".strip()
        else:
            text = st["text"]
        for year in when[:1]:  # a stint of several seasons is told where it begins
            for lead in (f"{year}, ", f"{year} "):  # the heading says the year
                text = text.removeprefix(lead)
            years[year].append(
                {"basis": "reported", "label": st["label"], "text": text, "cited": st["cited"]}
            )
    return [{"year": y, "items": years[y]} for y in sorted(years)]
