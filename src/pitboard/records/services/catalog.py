"""Series and sanctioning bodies from catalog data, and counts of everything held."""

from __future__ import annotations

from typing import Any

from pitboard.records.models import (
    Driver,
    Manufacturer,
    Person,
    Race,
    Result,
    SanctioningBody,
    Season,
    Series,
    SeriesName,
    Source,
    Team,
    Track,
)


def ensure_series(catalog: dict[str, Any], slug: str, source: Source | None = None) -> Series:
    """The series *slug* as the catalog describes it, with its name history; created if missing.

    Existing records are brought in line with the catalog (a name added to its history, say).
    """
    spec = next((s for s in catalog["series"] if s["slug"] == slug), None)
    if spec is None:
        raise KeyError(f"series {slug!r} is not in the catalog")
    body_spec = spec.get("sanctioning_body") or catalog["sanctioning_body"]
    body, _ = SanctioningBody.objects.get_or_create(
        name=body_spec["name"],
        defaults={"abbreviation": body_spec.get("abbreviation", ""), "source": source},
    )
    fields = {
        "name": spec["name"],
        "sanctioning_body": body,
        "level": spec["level"],
        "discipline": spec["discipline"],
        "country": spec.get("country", ""),
        "display_order": spec.get("display_order", 100),
    }
    series, created = Series.objects.get_or_create(slug=slug, defaults={**fields, "source": source})
    if not created and any(getattr(series, k) != v for k, v in fields.items()):
        Series.objects.filter(pk=series.pk).update(**fields)
        series.refresh_from_db()
    # The history as held, read once: every import file calls this for its series.
    held = {n.first_season: n for n in SeriesName.objects.filter(series=series)}
    for entry in spec.get("names", []):
        wanted = {
            "name": entry["name"],
            "last_season": entry.get("last"),
            "source_url": entry.get("source_url", ""),
            "note": entry.get("note", ""),
        }
        current = held.get(entry["first"])
        if current is None:
            SeriesName.objects.create(series=series, first_season=entry["first"], **wanted)
        elif any(getattr(current, k) != v for k, v in wanted.items()):
            SeriesName.objects.filter(pk=current.pk).update(**wanted)
    return series


def ensure_local_series(slug: str, name: str, source: Source | None = None) -> Series:
    """A series named in a results file: found by slug, or created as a weekly division."""
    series, _ = Series.objects.get_or_create(
        slug=slug,
        defaults={
            "source": source,
            "name": name or slug,
            "level": Series.Level.WEEKLY,
            "discipline": Series.Discipline.STOCK_CAR,
        },
    )
    return series


COUNTED = {
    "series": Series,
    "seasons": Season,
    "races": Race,
    "results": Result,
    "drivers": Driver,
    "people": Person,
    "tracks": Track,
    "teams": Team,
    "manufacturers": Manufacturer,
    "sources": Source,
}


def database_counts() -> dict[str, int]:
    """How many of each record the database holds; ``results`` counts every entry row."""
    return {name: model._default_manager.count() for name, model in COUNTED.items()}


def headline_counts() -> dict[str, int]:
    """The few counts the home page shows (four queries, not one per table)."""
    return {name: COUNTED[name]._default_manager.count() for name in HEADLINE}


HEADLINE = ("drivers", "tracks", "races", "results")
