"""Loading careers files: the starter data shipped with pitboard, or a file in the same shape.

A careers file holds ``publications``, ``people``, ``tracks``, ``series`` and ``statements``
(docs/careers.md). Every person, track, series and statement cites at least one publication.
Loading is all or nothing: a bad record stops the load with its file, line and field, and the
database is left as it was. Loading again changes nothing; a statement the file changes is
updated in place, and a rank an editor chose in the admin is kept.

People meet the results through the identity service: the ids a results dataset gives a person
(``keys``) are recorded as that dataset's keys, so an import that runs later finds the same
person, and one that ran earlier is found by them; a person without such keys is matched on
name and the seasons and series the file states, and an uncertain match waits for review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from pitboard.careers.models import Publication, Reference, Statement
from pitboard.core.careers import PERSON, PROPERTIES, InvalidStatement, check
from pitboard.core.identity import Evidence, surname_key
from pitboard.core.names import name_key
from pitboard.core.tracks import Layout
from pitboard.records.models import (
    IdentityReview,
    Person,
    SanctioningBody,
    Series,
    Source,
    SourceKey,
    Track,
)
from pitboard.records.services import versions
from pitboard.records.services.identity import (
    TrackSeen,
    record_keys,
    resolve_drivers,
    resolve_tracks,
    source_keys,
)

DATASET = "pitboard-starter"
_LINKS = URLValidator(schemes=["http", "https"])
# How each results dataset keys its drivers: racing-reference by its own id, nascaR.data by name.
_DATASET_KEY = {"racing-reference": lambda k: k, "nascaR.data": name_key}


def starter_file() -> Path:
    return Path(str(files("pitboard.data") / "starter" / "careers.toml"))


class CareersFileError(ValueError):
    """A record the file cannot hold: says which file, line, record and field."""

    def __init__(self, path: Path, line: int | None, where: str, message: str) -> None:
        at = f"{path}:{line}" if line else str(path)
        super().__init__(f"{at}: {where}: {message}")


@dataclass
class Loaded:
    publications: int = 0
    people: int = 0
    people_created: int = 0
    tracks: int = 0
    series: int = 0
    statements_created: int = 0
    statements_changed: int = 0
    reviews: int = 0
    changed: bool = False  # anything written: the data version goes up

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Cite:
    publication: str
    start: int | None
    end: int | None


def load(path: Path | None = None) -> Loaded:
    """Load a careers file (by default the starter data) into the database."""
    path = path or starter_file()
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CareersFileError(path, None, "file", f"not a TOML file: {exc}") from exc
    text = raw.decode("utf-8")
    _validate(path, text, data)
    # A person's name is a statement too, citing where the file found it.
    named = [
        {
            "key": f"{p['key']}/name",
            "subject": p["key"],
            "property": "name",
            "value": {"name": p["name"].strip()},
            "cite": p["cite"],
        }
        for p in data.get("people", [])
    ]
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(
            dataset=DATASET,
            uri=str(path),
            sha256=hashlib.sha256(raw).hexdigest(),
            defaults={"retrieved_at": timezone.now(), "citation": "pitboard careers file"},
        )
        out = Loaded()
        pubs = _publications(data.get("publications", []), source, out)
        people = _people(data.get("people", []), data.get("statements", []), source, out)
        places = _tracks(path, text, data.get("tracks", []), source, out)
        series = _series(path, text, data.get("series", []), source, out)
        subjects: dict[str, Person | Track | Series] = {**people, **places, **series}
        _statements([*named, *data.get("statements", [])], subjects, pubs, out)
        _place_tracks(places.values())
        if out.changed or out.people_created or out.statements_created or out.statements_changed:
            versions.bump()
    return out


# Checking -----------------------------------------------------------------------------------------


def _line(text: str, key: str) -> int | None:
    match = re.search(rf"^key\s*=\s*[\"']{re.escape(key)}[\"']", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _validate(path: Path, text: str, data: Mapping[str, Any]) -> None:
    unknown = set(data) - {"publications", "people", "tracks", "series", "statements"}
    if unknown:
        raise CareersFileError(
            path, None, "file", f"unknown table(s): {', '.join(sorted(unknown))}"
        )
    seen: set[str] = set()

    def fail(record: Mapping[str, Any], where: str, message: str) -> CareersFileError:
        key = str(record.get("key", "?"))
        return CareersFileError(path, _line(text, key), f"{key} {where}", message)

    def unique(record: Mapping[str, Any], kind: str) -> str:
        key = record.get("key")
        if not isinstance(key, str) or not key:
            raise CareersFileError(path, None, kind, "a record without a key")
        if key in seen:
            raise fail(record, "key", "used twice")
        seen.add(key)
        return key

    pubs: set[str] = set()
    for pub in data.get("publications", []):
        pubs.add(unique(pub, "publication"))
        if not pub.get("title"):
            raise fail(pub, "title", "a publication needs a title")
        for name in ("published", "published_after", "published_before"):
            if name in pub and not isinstance(pub[name], dt.date):
                raise fail(pub, name, "not a date (write 2017-02-19)")
        for name in ("title", "publisher", "author", "url", "date_note", "note", "sha256"):
            if name in pub and not isinstance(pub[name], str):
                raise fail(pub, name, "not a string")
        if pub.get("url"):
            try:
                _LINKS(pub["url"])
            except ValidationError as exc:
                raise fail(pub, "url", "not an http or https address") from exc
    people: set[str] = set()
    for person in data.get("people", []):
        people.add(unique(person, "person"))
        if not isinstance(person.get("name"), str) or not person["name"].strip():
            raise fail(person, "name", "a person needs a name")
        keys = person.get("keys", {})
        if not isinstance(keys, dict):
            raise fail(person, "keys", 'a table: keys = { racing-reference = "…" }')
        for dataset, given in keys.items():
            if dataset not in _DATASET_KEY:
                raise fail(person, f"keys.{dataset}", f"known: {', '.join(_DATASET_KEY)}")
            if not isinstance(given, str) or not given:
                raise fail(person, f"keys.{dataset}", "the dataset's id, as a string")
        _check_cites(person, pubs, fail)
    about: dict[str, str] = dict.fromkeys(people, "person")
    for track in data.get("tracks", []):
        about[unique(track, "track")] = "track"
        if not isinstance(track.get("name"), str) or not track["name"].strip():
            raise fail(track, "name", "a track needs its name")
        if track.get("layout", "oval") not in set(Layout):
            raise fail(track, "layout", f"one of {', '.join(Layout)}")
        _check_cites(track, pubs, fail)
    for series in data.get("series", []):
        about[unique(series, "series")] = "series"
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", series["key"]):
            raise fail(series, "key", "a series' key is its slug: lower case, digits, hyphens")
        for name in ("name", "level", "discipline", "sanctioning_body", "country"):
            if name in series and not isinstance(series[name], str):
                raise fail(series, name, "not a string")
        if series.get("level", Series.Level.WEEKLY) not in Series.Level.values:
            raise fail(series, "level", f"one of {', '.join(Series.Level.values)}")
        if series.get("discipline", Series.Discipline.OTHER) not in Series.Discipline.values:
            raise fail(series, "discipline", f"one of {', '.join(Series.Discipline.values)}")
        _check_cites(series, pubs, fail)
    for person in data.get("people", []):
        seen.add(f"{person['key']}/name")
    for st in data.get("statements", []):
        unique(st, "statement")
        if st.get("subject") not in about:
            raise fail(
                st, "subject", f"no person, track or series {st.get('subject')!r} in the file"
            )
        value = st.get("value")
        if not isinstance(value, dict):
            raise fail(st, "value", "a statement needs a value table")
        if not isinstance(st.get("qualifiers", {}), dict):
            raise fail(st, "qualifiers", 'a table: qualifiers = { note = "…" }')
        try:
            check(str(st.get("property")), value, st.get("qualifiers", {}), about[st["subject"]])
        except InvalidStatement as exc:
            raise fail(st, exc.field, str(exc).split(": ", 1)[1]) from exc
        if st["property"] == "location":  # it may fill the track's own columns
            if "country" in value and not re.fullmatch(r"[A-Z]{2}", value["country"]):
                raise fail(st, "value.country", "an ISO 3166 code: US, CA")
            for name in ("city", "region"):
                if len(value.get(name, "")) > 100:
                    raise fail(st, f"value.{name}", "longer than 100 characters")
        spec = PROPERTIES[st["property"]]
        for name, kind in {**spec.required, **spec.optional}.items():
            if kind == PERSON and name in value and value[name] not in people:
                raise fail(st, f"value.{name}", f"no person {value[name]!r} in the file")
        if st.get("rank", "normal") not in ("preferred", "normal", "deprecated"):
            raise fail(st, "rank", "preferred, normal or deprecated")
        if st.get("rank", "normal") != "normal" and not str(st.get("rank_reason", "")).strip():
            raise fail(st, "rank_reason", "a preferred or deprecated statement says why")
        _check_cites(st, pubs, fail)


def _check_cites(record: Mapping[str, Any], pubs: set[str], fail: Any) -> None:
    cites = record.get("cite")
    if not cites:
        raise fail(record, "cite", "every record cites a publication")
    if not isinstance(cites, list):
        raise fail(record, "cite", 'a list: cite = [{ source = "…", span = [0, 10] }]')
    for i, cite in enumerate(cites):
        if not isinstance(cite, dict):
            raise fail(record, f"cite[{i}]", '{ source = "…", span = [0, 10] }')
        if cite.get("source") not in pubs:
            raise fail(record, f"cite[{i}].source", f"no publication {cite.get('source')!r}")
        span = cite.get("span")
        if span is not None and not (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(n, int) and n >= 0 for n in span)
            and span[0] < span[1]
        ):
            raise fail(record, f"cite[{i}].span", "two offsets, start before end")


def _cites(record: Mapping[str, Any]) -> list[_Cite]:
    return [
        _Cite(c["source"], *(c["span"] if c.get("span") else (None, None))) for c in record["cite"]
    ]


# Writing ----------------------------------------------------------------------------------------


def _publications(
    records: Iterable[Mapping[str, Any]], source: Source, out: Loaded
) -> dict[str, Publication]:
    found = {}
    for rec in records:
        fields = {
            name: rec.get(name, "")
            for name in ("title", "publisher", "author", "url", "date_note", "note", "sha256")
        }
        dates = {n: rec.get(n) for n in ("published", "published_after", "published_before")}
        given = {**fields, **dates}
        pub = Publication.objects.filter(key=rec["key"]).first()
        if pub is None:
            pub = Publication.objects.create(key=rec["key"], source=source, **given)
            out.changed = True
        elif any(getattr(pub, name) != value for name, value in given.items()):
            Publication.objects.filter(pk=pub.pk).update(source=source, **given)
            pub.refresh_from_db()
            out.changed = True
        found[rec["key"]] = pub
        out.publications += 1
    return found


def _stated_career(statements: Iterable[Mapping[str, Any]]) -> dict[str, tuple[set[int], set[str]]]:
    """Per person, the seasons and series the file says they raced: identity evidence."""
    career: dict[str, tuple[set[int], set[str]]] = {}
    for st in statements:
        value = st["value"]
        seasons, series = career.setdefault(st["subject"], (set(), set()))
        if st["property"] in ("team_stint", "season_summary", "race_result"):
            seasons.update(value.get("seasons") or [value["season"]])
            if value.get("series"):
                series.add(value["series"])
    return career


def _people(
    records: list[Mapping[str, Any]],
    statements: list[Mapping[str, Any]],
    source: Source,
    out: Loaded,
) -> dict[str, Person]:
    """The person each record means: already loaded, keyed by a results dataset, matched by
    the identity service, or new."""
    career = _stated_career(statements)
    found: dict[str, Person] = {}
    for rec in records:
        key, name = rec["key"], rec["name"].strip()
        kind = SourceKey.Kind.DRIVER if rec.get("driver") else SourceKey.Kind.PERSON
        driver_id = None
        own = source_keys(DATASET, kind, [key]).get(key)
        theirs = _their_drivers(rec.get("keys", {}))
        if kind == SourceKey.Kind.PERSON:
            if own is None:
                own = Person.objects.create(
                    name=name, name_key=name_key(name), surname_key=surname_key(name), source=source
                ).pk
                record_keys(DATASET, kind, {key: own}, {key: name}, None)
                out.people_created += 1
            person = Person.objects.get(pk=own)
            if person.name != name:
                # A careers file made this person (drivers come from the results): the file's
                # name now is the name.
                Person.objects.filter(pk=own).update(
                    name=name, name_key=name_key(name), surname_key=surname_key(name)
                )
                person.name = name
                out.changed = True
        else:
            if own is not None:
                driver_id = own
            elif theirs:
                driver_id = theirs[0]
                record_keys(DATASET, kind, {key: driver_id}, {key: name}, None)
            else:
                seasons, series = career.get(key, (set(), set()))
                evidence = Evidence(name, frozenset(seasons), frozenset(series))
                res = resolve_drivers({key: name}, _given(key, evidence), source, None)
                driver_id = res.ids[key]
                out.people_created += res.made.get(source.pk, 0)
                out.reviews += res.reviews
            _key_for_results(rec.get("keys", {}), driver_id, name, theirs, out)
            person = Person.objects.get(driver__id=driver_id)
        found[key] = person
        out.people += 1
    return found


def _tracks(
    path: Path, text: str, records: list[Mapping[str, Any]], source: Source, out: Loaded
) -> dict[str, Track]:
    """The track each record names: one the results or the track catalog know by that name
    (any of its names), else a new one, placed by the catalog where it lists it."""
    wanted = {
        rec["key"]: (name_key(rec["name"]), rec.get("layout", Layout.OVAL.value)) for rec in records
    }
    if not wanted:
        return {}
    seen = {wanted[rec["key"]]: TrackSeen(rec["name"].strip(), "", None) for rec in records}
    res = resolve_tracks(seen, source)
    found: dict[str, Track] = {}
    for rec in records:
        ident = res.ids.get(wanted[rec["key"]])
        if ident is None:
            raise CareersFileError(
                path, _line(text, rec["key"]), f"{rec['key']} name", "names two tracks: say which"
            )
        found[rec["key"]] = Track.objects.get(pk=ident)
    out.tracks = len(found)
    out.changed |= bool(res.made)
    return found


def _series(
    path: Path, text: str, records: list[Mapping[str, Any]], source: Source, out: Loaded
) -> dict[str, Series]:
    """The series each record names by its slug (the key): one pitboard holds, else a new one
    with the record's name, level and sanctioning body."""
    found: dict[str, Series] = {}
    for rec in records:
        series = Series.objects.filter(slug=rec["key"]).first()
        if series is None:
            if not rec.get("name"):
                where = _line(text, rec["key"])
                raise CareersFileError(path, where, f"{rec['key']} name", "a new series: its name")
            body = None
            if rec.get("sanctioning_body"):
                given = rec["sanctioning_body"]
                body = (
                    SanctioningBody.objects.filter(abbreviation=given).first()
                    or SanctioningBody.objects.get_or_create(name=given)[0]
                )
            series = Series.objects.create(
                slug=rec["key"],
                name=rec["name"],
                level=rec.get("level", Series.Level.WEEKLY),
                discipline=rec.get("discipline", Series.Discipline.OTHER),
                country=rec.get("country", ""),
                sanctioning_body=body,
                source=source,
            )
            out.changed = True
        found[rec["key"]] = series
    out.series = len(found)
    return found


def _place_tracks(tracks: Iterable[Track]) -> None:
    """A track's empty city, region or country, from the first-ranked location statement
    about it; a place a source already gave is never changed."""
    for track in tracks:
        located = Statement.objects.filter(track=track, property="location").exclude(
            rank="deprecated"
        )
        for st in located.shown():
            blank = {k: st.value[k] for k in ("city", "region", "country") if st.value.get(k)}
            blank = {k: v for k, v in blank.items() if not getattr(track, k)}
            if blank:
                Track.objects.filter(pk=track.pk).update(**blank)
                for name, given in blank.items():
                    setattr(track, name, given)


def _given(key: str, evidence: Evidence) -> Callable[[list[str]], dict[str, Evidence]]:
    return lambda _: {key: evidence}


def _their_drivers(keys: Mapping[str, str]) -> list[int]:
    """The drivers the results datasets already key as this person, in the file's order."""
    drivers: list[int] = []
    for dataset, given in keys.items():
        found = source_keys(dataset, SourceKey.Kind.DRIVER, [_DATASET_KEY[dataset](given)])
        drivers += [d for d in found.values() if d not in drivers]
    return drivers


def _key_for_results(
    keys: Mapping[str, str], driver: int, name: str, theirs: list[int], out: Loaded
) -> None:
    """Record the results datasets' keys for this driver where they key nobody yet, so a later
    import finds the person. Two datasets keying two different drivers that the file says are
    one person go to the identity review queue, never merged silently."""
    for dataset, given in keys.items():
        key = _DATASET_KEY[dataset](given)
        if key not in source_keys(dataset, SourceKey.Kind.DRIVER, [key]):
            record_keys(dataset, SourceKey.Kind.DRIVER, {key: driver}, {key: given}, None)
    for other in theirs:
        if (
            other != driver
            and not IdentityReview.objects.filter(
                dataset=DATASET, provisional_id=other, candidate_id=driver
            ).exists()
        ):
            IdentityReview.objects.create(
                dataset=DATASET,
                key=name,
                name=name,
                provisional_id=other,
                candidate_id=driver,
                score=1.0,
                reasons=["the careers file gives both drivers' ids to one person"],
                created_at=timezone.now(),
            )
            out.reviews += 1


def _statements(
    records: Iterable[Mapping[str, Any]],
    subjects: Mapping[str, Person | Track | Series],
    pubs: Mapping[str, Publication],
    out: Loaded,
) -> None:
    for rec in records:
        value = _stored(rec["value"])
        qualifiers = _stored(rec.get("qualifiers", {}))
        other = subjects[value["person"]] if "person" in value else None
        about = subjects[rec["subject"]]
        fields = {
            "subject": about if isinstance(about, Person) else None,
            "track": about if isinstance(about, Track) else None,
            "series": about if isinstance(about, Series) else None,
            "property": rec["property"],
            "value": value,
            "qualifiers": qualifiers,
            "other": other,
            "dataset": DATASET,
        }
        statement = Statement.objects.filter(key=rec["key"]).first()
        if statement is None:
            statement = Statement.objects.create(
                key=rec["key"],
                rank=rec.get("rank", "normal"),
                rank_reason=rec.get("rank_reason", ""),
                **fields,
            )
            out.statements_created += 1
        elif statement.edited:
            continue  # an editor's version of it stands
        else:
            before = _as_loaded(statement)
            for name, given in fields.items():
                setattr(statement, name, given)
            statement.rank = rec.get("rank", "normal")
            statement.rank_reason = rec.get("rank_reason", "")
            if _as_loaded(statement) != before:
                statement.save()
                out.statements_changed += 1
        out.changed |= _references(statement, _cites(rec), pubs)


def _as_loaded(st: Statement) -> tuple[Any, ...]:
    return (
        st.subject_id,
        st.track_id,
        st.series_id,
        st.property,
        st.value,
        st.qualifiers,
        st.other_id,
        st.rank,
        st.rank_reason,
    )


def _stored(part: Mapping[str, Any]) -> dict[str, Any]:
    """A value or qualifiers as JSON holds them: dates as ISO text; a person as its key."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in part.items()}


def _references(statement: Statement, cites: list[_Cite], pubs: Mapping[str, Publication]) -> bool:
    """The file's references of the statement become those it gives now; references an editor
    added stay. Whether any changed."""
    wanted = {(pubs[c.publication].pk, c.start, c.end) for c in cites}
    have = {(r.publication_id, r.start, r.end): r for r in statement.references.all()}
    gone = [r for key, r in have.items() if key not in wanted and r.dataset == DATASET]
    for ref in gone:
        ref.delete()
    new = wanted - have.keys()
    Reference.objects.bulk_create(
        [
            Reference(statement=statement, publication_id=p, start=s, end=e, dataset=DATASET)
            for p, s, e in sorted(new, key=str)
        ]
    )
    return bool(gone or new)
