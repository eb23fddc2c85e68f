"""Finding the driver, track, team or manufacturer a source means — or creating it.

Each source's own key is looked up first (``SourceKey``). A driver key a source has not used
before is scored against the known people of that surname (``core.identity``): a confident
match links, an uncertain one gets its own driver and waits in the review queue
(``IdentityReview``), so nothing is merged or duplicated silently. Tracks, teams and
manufacturers new to a source are matched on their names and aliases; a name that matches two
records is ambiguous and the caller rejects those rows rather than guess.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from django.db.models import Model
from django.utils import timezone

from pitboard.core.identity import Evidence, Verdict, best_match, score, surname_key
from pitboard.core.names import name_key, slugify, unique_slug
from pitboard.core.tracks import Layout
from pitboard.records.models import (
    Driver,
    IdentityReview,
    Manufacturer,
    ManufacturerAlias,
    Person,
    PersonAlias,
    Result,
    Source,
    SourceKey,
    Team,
    TeamAlias,
    Track,
    TrackName,
)
from pitboard.records.services import bulk


@dataclass
class Resolution:
    """Ids for the keys that resolved, the keys that are ambiguous, and how many were created
    (in all, and by the source that introduced them)."""

    ids: dict[Any, int] = field(default_factory=dict)
    ambiguous: set[Any] = field(default_factory=set)
    reviews: int = 0
    made: Counter[int | None] = field(default_factory=Counter)  # source → records created

    @property
    def created(self) -> int:
        return sum(self.made.values())


def _collect(pairs: Iterable[tuple[object, int]]) -> Resolution:
    found: dict[object, set[int]] = defaultdict(set)
    for key, ident in pairs:
        found[key].add(ident)
    res = Resolution()
    for key, ids in found.items():
        if len(ids) == 1:
            res.ids[key] = next(iter(ids))
        else:
            res.ambiguous.add(key)
    return res


def source_keys(dataset: str, kind: str, keys: Iterable[str]) -> dict[str, int]:
    """The records a source's keys already stand for."""
    found: dict[str, int] = {}
    for chunk in bulk.chunks(sorted(set(keys))):
        found.update(
            SourceKey.objects.filter(dataset=dataset, kind=kind, key__in=chunk).values_list(
                "key", "object_id"
            )
        )
    return found


def record_keys(
    dataset: str, kind: str, ids: Mapping[str, int], names: Mapping[str, str], run_id: int | None
) -> None:
    bulk.insert_rows(
        SourceKey._meta.db_table,
        ("dataset", "kind", "key", "object_id", "name", "run_id"),
        [
            (dataset, kind, k[:300], ident, names.get(k, "")[:300], run_id)
            for k, ident in ids.items()
        ],
    )


@dataclass
class DriverBatch:
    """What resolving a batch's files one by one carries from file to file, while none of the
    batch's results is stored yet: what its earlier files said of their drivers (*pending*),
    the stored evidence of drivers already read (*stored*: nothing stored changes in between),
    and whether the dataset keys a driver (*keyed*)."""

    pending: dict[int, Evidence] = field(default_factory=dict)
    stored: dict[int, Evidence] = field(default_factory=dict)
    keyed: dict[int, bool] = field(default_factory=dict)


def resolve_drivers(
    names: Mapping[str, str],
    evidence: Callable[[list[str]], Mapping[str, Evidence]],
    source: Source,
    run_id: int | None,
    batch: DriverBatch | None = None,
) -> Resolution:
    """Driver ids for a source's keys (key → name as written); see the module's docstring.
    With *batch*, the keys are new to the source (the caller looked them up), and the file is
    one of a batch's (``DriverBatch``)."""
    dataset = source.dataset
    res = Resolution(ids={} if batch else source_keys(dataset, SourceKey.Kind.DRIVER, names))
    rest = [k for k in names if k not in res.ids]
    if not rest:
        return res
    candidates = _candidates({k: names[k] for k in rest})
    wanted = {d for found in candidates.values() for d in found}
    if batch is None:
        known = driver_evidence(wanted)
        keyed_here = _keyed(dataset, known)
    else:
        batch.stored.update(driver_evidence(wanted - batch.stored.keys()))
        known = {d: batch.stored[d] for d in wanted if d in batch.stored}
        for driver in known:
            if driver in batch.pending:
                known[driver] = known[driver].merged(batch.pending[driver])
        unasked = [d for d in known if d not in batch.keyed]
        keyed = _keyed(dataset, unasked)
        batch.keyed.update({d: d in keyed for d in unasked})
        keyed_here = {d for d in known if batch.keyed[d]}
    links: dict[str, int] = {}
    reviews: list[tuple[str, int, float, list[str]]] = []
    seen = evidence([k for k in rest if candidates.get(k)]) if known else {}
    for key in rest:
        pool = {d: known[d] for d in candidates.get(key, ()) if d in known}
        if not pool:
            continue
        chosen, verdict = best_match(seen[key], pool)
        if chosen is not None and chosen not in keyed_here:
            links[key] = chosen
            continue
        top = max(pool, key=lambda d: (score(pool[d], seen[key]).value, -d))
        found = score(pool[top], seen[key])
        if chosen is not None:  # the source itself keeps them apart: a human decides
            reviews.append((key, top, found.value, [*found.reasons, f"{dataset} keys them apart"]))
        elif top in keyed_here:
            continue  # the source keeps them apart and the evidence is not strong: two people
        elif verdict is not None and verdict.verdict is Verdict.REVIEW:
            reviews.append((key, top, verdict.value, list(verdict.reasons)))
    new = [k for k in rest if k not in links]
    created = _new_drivers({k: names[k] for k in new}, source)
    if batch is not None:  # the dataset keys them now; a new one has no stored result yet
        batch.keyed.update(dict.fromkeys([*links.values(), *created.values()], True))
        batch.stored.update({d: Evidence(names[k]) for k, d in created.items()})
    res.ids.update(links)
    res.ids.update(created)
    res.made[source.pk] = len(created)
    record_keys(dataset, SourceKey.Kind.DRIVER, {k: res.ids[k] for k in rest}, names, run_id)
    now = timezone.now()
    IdentityReview.objects.bulk_create(
        [
            IdentityReview(
                dataset=dataset,
                key=key[:300],
                name=names[key][:300],
                provisional_id=created[key],
                candidate_id=top,
                score=value,
                reasons=reasons,
                created_at=now,
            )
            for key, top, value, reasons in reviews
        ]
    )
    res.reviews = len(reviews)
    return res


def _keyed(dataset: str, drivers: Iterable[int]) -> set[int]:
    """Of *drivers*, those *dataset* has a key for."""
    found: set[int] = set()
    for chunk in bulk.chunks(sorted(set(drivers))):
        found.update(
            SourceKey.objects.filter(
                dataset=dataset, kind=SourceKey.Kind.DRIVER, object_id__in=chunk
            ).values_list("object_id", flat=True)
        )
    return found


def _candidates(names: Mapping[str, str]) -> dict[str, set[int]]:
    """Per new key, the drivers that might be that person: same name or alias, or same surname."""
    out: dict[str, set[int]] = defaultdict(set)
    by_key: dict[str, list[str]] = defaultdict(list)
    for key, name in names.items():
        by_key[name_key(name)].append(key)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key, name in names.items():
        if surname := surname_key(name):
            by_surname[surname].append(key)
    for chunk in bulk.chunks(list(by_key)):
        for found, driver in [
            *Person.objects.filter(name_key__in=chunk, driver__isnull=False).values_list(
                "name_key", "driver__id"
            ),
            *PersonAlias.objects.filter(
                name_key__in=chunk, person__driver__isnull=False
            ).values_list("name_key", "person__driver__id"),
        ]:
            for key in by_key[found]:
                out[key].add(driver)
    for chunk in bulk.chunks(list(by_surname)):
        for found, driver in Person.objects.filter(
            surname_key__in=chunk, driver__isnull=False
        ).values_list("surname_key", "driver__id"):
            for key in by_surname[found]:
                out[key].add(driver)
    return out


def driver_evidence(drivers: Iterable[int]) -> dict[int, Evidence]:
    """What the record knows of each driver: name, seasons, series, cars, teams, nationality."""
    ids = sorted(set(drivers))
    parts: dict[int, tuple[set[int], set[str], set[str], set[str]]] = {}
    people: dict[int, tuple[str, str]] = {}
    for chunk in bulk.chunks(ids):
        people.update(
            {
                d: (name, nat)
                for d, name, nat in Driver.objects.filter(pk__in=chunk).values_list(
                    "id", "person__name", "person__nationality"
                )
            }
        )
        rows = (
            Result.objects.filter(driver_id__in=chunk)
            .values_list(
                "driver_id",
                "race__season__year",
                "race__season__series__slug",
                "car_number",
                "team__name_key",
            )
            .distinct()
        )
        for d, year, series, car, team in rows:
            seasons, slugs, cars, teams = parts.setdefault(d, (set(), set(), set(), set()))
            seasons.add(year)
            slugs.add(series)
            if car:
                cars.add(car)
            if team:
                teams.add(team)
    out = {}
    for d, (name, nationality) in people.items():
        seasons, slugs, cars, teams = parts.get(d, (set(), set(), set(), set()))
        out[d] = Evidence(
            name,
            frozenset(seasons),
            frozenset(slugs),
            frozenset(cars),
            frozenset(teams),
            nationality,
        )
    return out


def taken_slugs(model: type[Model], names: Iterable[str]) -> set[str]:
    """The slugs of *model* that new records named *names* could collide with: each name's
    slug, and where that one is taken, its numbered siblings (``unique_slug`` needs no more;
    reading every slug would cost a file as much as the table holds)."""
    bases = sorted({slugify(n) for n in names})
    rows = model._default_manager
    taken: set[str] = set()
    for chunk in bulk.chunks(bases):
        taken.update(rows.filter(slug__in=chunk).values_list("slug", flat=True))
    for base in sorted(taken):
        taken.update(rows.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    return taken


def _new_drivers(names: Mapping[str, str], source: Source) -> dict[str, int]:
    """A person and a driver for each key; returns key → driver id."""
    if not names:
        return {}
    keys = list(names)
    tagged = {f"{i}\x1f{k}"[:200]: k for i, k in enumerate(keys)}
    people = bulk.insert_with_ids(
        Person._meta.db_table,
        (
            "name",
            "name_key",
            "surname_key",
            "birth_date",
            "hometown",
            "nationality",
            "gender",
            "source_id",
        ),
        [
            (names[k], tag, surname_key(names[k]), None, "", "", "", source.pk)
            for tag, k in tagged.items()
        ],
        ("name_key",),
    )
    # The tag made each new row findable; the person keeps the key of the name as written.
    bulk.update_rows(
        Person._meta.db_table,
        ("name_key",),
        [(name_key(names[k]), people[tag]) for tag, k in tagged.items()],
    )
    taken = taken_slugs(Driver, names.values())
    person_of = {k: people[tag] for tag, k in tagged.items()}
    drivers = bulk.insert_with_ids(
        Driver._meta.db_table,
        ("person_id", "slug", "source_id"),
        [(person_of[k], unique_slug(names[k], taken), source.pk) for k in keys],
        ("person_id",),
    )
    return {k: drivers[person_of[k]] for k in keys}


def keyed(
    dataset: str,
    kind: str,
    keys: Mapping[Any, str],
    resolve: Callable[[list[Any]], Resolution],
    names: Mapping[Any, str],
    run_id: int | None,
) -> Resolution:
    """Resolve by the source's keys first (*keys*: match key → source key); *resolve* finds or
    creates the rest by name, and their keys are recorded."""
    known = source_keys(dataset, kind, keys.values())
    res = Resolution(ids={k: known[sk] for k, sk in keys.items() if sk in known})
    rest = [k for k in keys if k not in res.ids]
    if rest:
        found = resolve(rest)
        res.ids.update(found.ids)
        res.ambiguous = found.ambiguous
        res.made = found.made
        record_keys(
            dataset,
            kind,
            {keys[k]: found.ids[k] for k in rest if k in found.ids},
            {keys[k]: names.get(k, "") for k in rest},
            run_id,
        )
    return res


@dataclass(frozen=True)
class TrackSeen:
    name: str
    surface: str
    length_miles: float | None


@dataclass(frozen=True)
class CatalogTrack:
    """A track of ``data/tracks.toml``: its current name, every name it went by, its place."""

    name: str
    layout: str
    keys: tuple[str, ...]  # the name keys of its name and aliases
    city: str
    region: str
    country: str
    source: str


@cache
def track_catalog() -> dict[tuple[str, str], CatalogTrack]:
    """The catalog's tracks by (name key, layout) of each of their names."""
    data = tomllib.loads((files("pitboard.data") / "tracks.toml").read_text("utf-8"))
    found: dict[tuple[str, str], CatalogTrack] = {}
    for spec in data["track"]:
        names = [spec["name"], *spec.get("aliases", [])]
        entry = CatalogTrack(
            spec["name"],
            spec["layout"],
            tuple(dict.fromkeys(name_key(n) for n in names)),
            spec.get("city", ""),
            spec.get("region", ""),
            spec.get("country", ""),
            spec.get("source", ""),
        )
        for key in entry.keys:
            if (key, entry.layout) in found:
                raise ValueError(f"tracks.toml: {key!r} ({entry.layout}) names two tracks")
            found[(key, entry.layout)] = entry
    return found


def resolve_tracks(
    tracks: Mapping[tuple[str, str], TrackSeen],
    source: Source | None,
    origin: Mapping[tuple[str, str], int] | None = None,
) -> Resolution:
    """Track ids for (name key, layout): the track that goes by that name, or the one the
    track catalog knows under another of its names; a new pair becomes a new track, named and
    placed as the catalog says where it lists it. *origin*: the source of each pair, where a
    batch holds several files (else *source*)."""
    catalog = track_catalog()
    listed = {k: catalog[k] for k in tracks if k in catalog}
    keys = sorted({key for key, _ in tracks} | {key for e in listed.values() for key in e.keys})
    held: dict[tuple[str, str], set[int]] = defaultdict(set)
    for chunk in bulk.chunks(keys):
        for key, layout, ident in TrackName.objects.filter(name_key__in=chunk).values_list(
            "name_key", "track__layout", "track_id"
        ):
            held[(key, layout)].add(ident)
    pairs: list[tuple[object, int]] = [(k, ident) for k in tracks for ident in held.get(k, ())]
    for k, entry in listed.items():
        # Held under another of its names: that track (the first, where a database made before
        # the catalog listed them holds the names as several).
        other = {ident for key in entry.keys for ident in held.get((key, k[1]), ())}
        if k not in held and other:
            pairs.append((k, min(other)))
    res = _collect(pairs)
    new = [k for k in tracks if k not in res.ids and k not in res.ambiguous]
    default = source.pk if source else None
    at = (origin or {}).get
    # The catalog's other names of a track found under one of them: aliases from now on.
    aliases = [
        (res.ids[k], tracks[k].name, k[0], "alias", at(k, default))
        for k in tracks
        if k in res.ids and k in listed and k not in held
    ]
    if new:
        # One new track per catalog entry, whichever of its names the batch uses.
        made = {k: (listed[k].keys[0], k[1]) if k in listed else k for k in new}
        first = {m: k for k, m in reversed(list(made.items()))}
        taken = taken_slugs(
            Track,
            [
                _track_slug_name(_track_name(tracks[k], listed.get(k)), m[1])
                for m, k in first.items()
            ],
        )
        created = bulk.insert_with_ids(
            Track._meta.db_table,
            (
                "slug",
                "name",
                "name_key",
                "layout",
                "surface",
                "length_miles",
                "city",
                "region",
                "country",
                "time_zone",
                "source_id",
            ),
            [
                _new_track(m, tracks[k], listed.get(k), taken, at(k, default))
                for m, k in first.items()
            ],
            ("name_key", "layout"),
        )
        for k in new:
            res.ids[k] = created[made[k]]
        aliases += [(created[made[k]], tracks[k].name, k[0], "alias", at(k, default)) for k in new]
        aliases += [
            (created[m], listed[k].name, m[0], "official", at(k, default))
            for m, k in first.items()
            if k in listed and m != k
        ]
        res.made.update(at(k, default) for k in first.values())
    bulk.insert_rows(
        TrackName._meta.db_table, ("track_id", "name", "name_key", "kind", "source_id"), aliases
    )
    return res


def _new_track(
    key: tuple[str, str],
    seen: TrackSeen,
    entry: CatalogTrack | None,
    taken: set[str],
    source_id: int | None,
) -> tuple[Any, ...]:
    name = _track_name(seen, entry)
    place = (entry.city, entry.region, entry.country) if entry else ("", "", "")
    return (
        unique_slug(_track_slug_name(name, key[1]), taken),
        name,
        key[0],
        key[1],
        seen.surface,
        seen.length_miles,
        *place,
        "",
        source_id,
    )


def _track_name(seen: TrackSeen, entry: CatalogTrack | None) -> str:
    return entry.name if entry else seen.name


def _track_slug_name(name: str, layout: str) -> str:
    """A road course under an oval's name gets its own slug ("… road course")."""
    if layout != Layout.OVAL and "road" not in name.lower() and "street" not in name.lower():
        return f"{name} {layout.replace('_', ' ')}"
    return name


def resolve_teams(
    teams: Mapping[str, tuple[str, str]],
    source: Source | None,
    origin: Mapping[str, int] | None = None,
) -> Resolution:
    """Team ids for name keys (key → (name, kind)); new names become new teams, from *origin*'s
    source for their key where given (else *source*)."""
    default = source.pk if source else None
    keys = list(teams)
    pairs: list[tuple[object, int]] = []
    for chunk in bulk.chunks(keys):
        pairs += Team.objects.filter(name_key__in=chunk).values_list("name_key", "id")
        pairs += TeamAlias.objects.filter(name_key__in=chunk).values_list("name_key", "team_id")
    res = _collect(pairs)
    new = [k for k in keys if k not in res.ids and k not in res.ambiguous]
    if new:
        taken = taken_slugs(Team, [teams[k][0] for k in new])
        created = bulk.insert_with_ids(
            Team._meta.db_table,
            ("name", "name_key", "slug", "kind", "source_id"),
            [
                (
                    teams[k][0],
                    k,
                    unique_slug(teams[k][0], taken),
                    teams[k][1],
                    (origin or {}).get(k, default),
                )
                for k in new
            ],
            ("name_key",),
        )
        res.ids.update({k: created[k] for k in new})
        res.made.update((origin or {}).get(k, default) for k in new)
    return res


def resolve_manufacturers(
    names: Mapping[str, str], source: Source | None, origin: Mapping[str, int] | None = None
) -> Resolution:
    """Manufacturer ids for name keys; new names become new manufacturers, from *origin*'s
    source for their key where given (else *source*)."""
    default = source.pk if source else None
    keys = list(names)
    pairs: list[tuple[object, int]] = []
    pairs += Manufacturer.objects.filter(name_key__in=keys).values_list("name_key", "id")
    pairs += ManufacturerAlias.objects.filter(name_key__in=keys).values_list(
        "name_key", "manufacturer_id"
    )
    res = _collect(pairs)
    new = [k for k in keys if k not in res.ids and k not in res.ambiguous]
    if new:
        taken = taken_slugs(Manufacturer, [names[k] for k in new])
        created = Manufacturer.objects.bulk_create(
            [
                Manufacturer(
                    name=names[k],
                    name_key=k,
                    slug=unique_slug(names[k], taken),
                    source_id=(origin or {}).get(k, default),
                )
                for k in new
            ]
        )
        res.ids.update({k: m.pk for k, m in zip(new, created, strict=True)})
        res.made.update((origin or {}).get(k, default) for k in new)
    return res
