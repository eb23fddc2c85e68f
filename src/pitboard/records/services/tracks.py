"""Tracks as readers look for them: a filtered list, and one track's history."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Max, Min, Q

from pitboard.records.models import Race, Result, Track, TrackName
from pitboard.records.services.schedule import NotFound

MOST_WINS = 10
BEST_AVERAGE = 10
MIN_STARTS_FOR_AVERAGE = 5

# Length classes a reader filters by (miles, lower bound inclusive, upper exclusive).
LENGTHS = {
    "short": (0.0, 1.0),
    "intermediate": (1.0, 2.0),
    "superspeedway": (2.0, 100.0),
}


def track_list(
    surface: str | None = None,
    length: str | None = None,
    region: str | None = None,
    country: str | None = None,
    layout: str | None = None,
) -> dict[str, Any]:
    """Every track matching the filters, with how many races it held and when."""
    where = Q()
    if surface:
        where &= Q(surface=surface)
    if layout:
        where &= Q(layout=layout)
    if length:
        if length not in LENGTHS:
            raise ValueError(f"length is one of {', '.join(LENGTHS)}, not {length!r}")
        low, high = LENGTHS[length]
        where &= Q(length_miles__gte=low, length_miles__lt=high)
    if region:
        where &= Q(region__iexact=region)
    if country:
        where &= Q(country__iexact=country)
    tracks = (
        Track.objects.filter(where)
        .annotate(
            races_count=Count("races"),
            first=Min("races__season__year"),
            last=Max("races__season__year"),
        )
        .order_by("name", "slug")
    )
    return {
        "filters": {
            "surface": surface,
            "length": length,
            "region": region,
            "country": country,
            "layout": layout,
        },
        "count": len(tracks),
        "tracks": [_track_summary(t) for t in tracks],
    }


def _track_facts(track: Track) -> dict[str, Any]:
    return {
        "name": track.name,
        "slug": track.slug,
        "layout": track.layout,
        "surface": track.surface,
        "length_miles": track.length_miles,
        "city": track.city,
        "region": track.region,
        "country": track.country,
    }


def _track_summary(track: Any) -> dict[str, Any]:
    return {
        **_track_facts(track),
        "races": track.races_count,
        "first_season": track.first,
        "last_season": track.last,
    }


def track_filters() -> dict[str, list[str]]:
    """The values each filter can take in this database."""

    def values(field: str) -> list[str]:
        found = Track.objects.order_by(field).values_list(field, flat=True).distinct()
        return [v for v in found if v]  # ordered by the field alone, so each value once

    return {
        "surface": values("surface"),
        "layout": values("layout"),
        "length": list(LENGTHS),
        "region": values("region"),
        "country": values("country"),
    }


def _track(slug: str) -> Track:
    track = Track.objects.filter(slug=slug).first()
    if track is None:
        raise NotFound(f"no track with the slug {slug!r}")
    return track


def winners(slug: str) -> list[dict[str, Any]]:
    """Every race at the track, newest first, with its winner."""
    track = _track(slug)
    won = {
        race_id: {"name": name, "slug": dslug}
        for race_id, name, dslug in Result.objects.filter(race__track=track, finish=1)
        .values_list("race_id", "driver__person__name", "driver__slug")
        .order_by("race_id", "entry")
    }
    races = (
        Race.objects.filter(track=track)
        .order_by("-season__year", "season__series__display_order", "-round")
        .values_list("id", "season__series__slug", "season__year", "round", "name", "date")
    )
    return [
        {
            "series": series,
            "season": year,
            "round": rnd,
            "name": name,
            "date": day.isoformat() if day else None,
            "winner": won.get(pk),
        }
        for pk, series, year, rnd, name, day in races
    ]


def track_page(slug: str) -> dict[str, Any]:
    """A track's facts, names, races with winners, most wins and best average finish."""
    track = _track(slug)
    names = [
        {"name": n.name, "kind": n.kind, "first_year": n.first_year, "last_year": n.last_year}
        for n in TrackName.objects.filter(track=track).order_by("first_year", "name")
    ]
    starts = Result.objects.filter(race__track=track, finish__isnull=False)
    most = (
        starts.filter(finish=1)
        .values("driver__person__name", "driver__slug")
        .annotate(wins=Count("id"))
        .order_by("-wins", "driver__person__name")[:MOST_WINS]
    )
    average = (
        starts.values("driver__person__name", "driver__slug")
        .annotate(starts=Count("id"), avg=Avg("finish"))
        .filter(starts__gte=MIN_STARTS_FOR_AVERAGE)
        .order_by("avg", "-starts", "driver__person__name")[:BEST_AVERAGE]
    )
    races = winners(slug)
    return {
        **_track_facts(track),
        "time_zone": track.time_zone,
        "opened": track.opened,
        "closed": track.closed,
        "names": names,
        "races_count": len(races),
        "first_season": min((r["season"] for r in races), default=None),
        "last_season": max((r["season"] for r in races), default=None),
        "most_wins": [
            {
                "driver": {"name": m["driver__person__name"], "slug": m["driver__slug"]},
                "wins": m["wins"],
            }
            for m in most
        ],
        "best_average": [
            {
                "driver": {"name": a["driver__person__name"], "slug": a["driver__slug"]},
                "starts": a["starts"],
                "avg_finish": round(a["avg"], 2),
            }
            for a in average
        ],
        "races": races,
    }
