"""Finding the driver, track, team or manufacturer a name means — or creating it.

Names are matched on their key (case, accents and punctuation aside) against the primary name
and every alias. A key that matches two records is ambiguous: the caller rejects those rows
rather than guess, and an editor settles it with an alias.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pitboard.core.names import unique_slug
from pitboard.core.tracks import Layout
from pitboard.records.models import (
    Driver,
    Manufacturer,
    ManufacturerAlias,
    Person,
    PersonAlias,
    Source,
    Team,
    TeamAlias,
    Track,
    TrackName,
)
from pitboard.records.services import bulk


@dataclass
class Resolution:
    """Ids for the keys that resolved, the keys that are ambiguous, and how many were created."""

    ids: dict[object, int] = field(default_factory=dict)
    ambiguous: set[object] = field(default_factory=set)
    created: int = 0


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


def _chunks(keys: list[str], size: int = 900) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def resolve_drivers(names: Mapping[str, str], source: Source | None) -> Resolution:
    """Driver ids for name keys (key → name as written); new names become new drivers."""
    keys = list(names)
    pairs: list[tuple[object, int]] = []
    for chunk in _chunks(keys):
        pairs += Person.objects.filter(name_key__in=chunk, driver__isnull=False).values_list(
            "name_key", "driver__id"
        )
        pairs += PersonAlias.objects.filter(
            name_key__in=chunk, person__driver__isnull=False
        ).values_list("name_key", "person__driver__id")
    res = _collect(pairs)
    new = [k for k in keys if k not in res.ids and k not in res.ambiguous]
    if new:
        source_id = source.pk if source else None
        people = bulk.insert_with_ids(
            Person._meta.db_table,
            ("name", "name_key", "birth_date", "hometown", "nationality", "gender", "source_id"),
            [(names[k], k, None, "", "", "", source_id) for k in new],
            ("name_key",),
        )
        taken = set(Driver.objects.values_list("slug", flat=True))
        drivers = bulk.insert_with_ids(
            Driver._meta.db_table,
            ("person_id", "slug", "source_id"),
            [(people[k], unique_slug(names[k], taken), source_id) for k in new],
            ("person_id",),
        )
        res.ids.update({k: drivers[people[k]] for k in new})
        res.created = len(new)
    return res


@dataclass(frozen=True)
class TrackSeen:
    name: str
    surface: str
    length_miles: float | None


def resolve_tracks(
    tracks: Mapping[tuple[str, str], TrackSeen], source: Source | None
) -> Resolution:
    """Track ids for (name key, layout); a new pair becomes a new track with that name."""
    keys = sorted({key for key, _ in tracks})
    pairs: list[tuple[object, int]] = []
    for chunk in _chunks(keys):
        pairs += [
            ((key, layout), ident)
            for key, layout, ident in TrackName.objects.filter(name_key__in=chunk).values_list(
                "name_key", "track__layout", "track_id"
            )
        ]
    res = _collect(pairs)
    new = [k for k in tracks if k not in res.ids and k not in res.ambiguous]
    if new:
        source_id = source.pk if source else None
        taken = set(Track.objects.values_list("slug", flat=True))
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
                (
                    unique_slug(_track_slug_name(tracks[k].name, k[1]), taken),
                    tracks[k].name,
                    k[0],
                    k[1],
                    tracks[k].surface,
                    tracks[k].length_miles,
                    "",
                    "",
                    "",
                    "",
                    source_id,
                )
                for k in new
            ],
            ("name_key", "layout"),
        )
        bulk.insert_rows(
            TrackName._meta.db_table,
            ("track_id", "name", "name_key", "kind", "source_id"),
            [(created[k], tracks[k].name, k[0], "alias", source_id) for k in new],
        )
        res.ids.update({k: created[k] for k in new})
        res.created = len(new)
    return res


def _track_slug_name(name: str, layout: str) -> str:
    """A road course under an oval's name gets its own slug ("… road course")."""
    if layout != Layout.OVAL and "road" not in name.lower() and "street" not in name.lower():
        return f"{name} {layout.replace('_', ' ')}"
    return name


def resolve_teams(teams: Mapping[str, tuple[str, str]], source: Source | None) -> Resolution:
    """Team ids for name keys (key → (name, kind)); new names become new teams."""
    keys = list(teams)
    pairs: list[tuple[object, int]] = []
    for chunk in _chunks(keys):
        pairs += Team.objects.filter(name_key__in=chunk).values_list("name_key", "id")
        pairs += TeamAlias.objects.filter(name_key__in=chunk).values_list("name_key", "team_id")
    res = _collect(pairs)
    new = [k for k in keys if k not in res.ids and k not in res.ambiguous]
    if new:
        taken = set(Team.objects.values_list("slug", flat=True))
        created = bulk.insert_with_ids(
            Team._meta.db_table,
            ("name", "name_key", "slug", "kind", "source_id"),
            [
                (
                    teams[k][0],
                    k,
                    unique_slug(teams[k][0], taken),
                    teams[k][1],
                    source.pk if source else None,
                )
                for k in new
            ],
            ("name_key",),
        )
        res.ids.update({k: created[k] for k in new})
        res.created = len(new)
    return res


def resolve_manufacturers(names: Mapping[str, str], source: Source | None) -> Resolution:
    """Manufacturer ids for name keys; new names become new manufacturers."""
    keys = list(names)
    pairs: list[tuple[object, int]] = []
    pairs += Manufacturer.objects.filter(name_key__in=keys).values_list("name_key", "id")
    pairs += ManufacturerAlias.objects.filter(name_key__in=keys).values_list(
        "name_key", "manufacturer_id"
    )
    res = _collect(pairs)
    new = [k for k in keys if k not in res.ids and k not in res.ambiguous]
    if new:
        taken = set(Manufacturer.objects.values_list("slug", flat=True))
        created = Manufacturer.objects.bulk_create(
            [
                Manufacturer(
                    name=names[k], name_key=k, slug=unique_slug(names[k], taken), source=source
                )
                for k in new
            ]
        )
        res.ids.update({k: m.pk for k, m in zip(new, created, strict=True)})
        res.created = len(new)
    return res
