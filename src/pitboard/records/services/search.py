"""One search box over drivers, tracks, teams and races, ranked as the CLI ranks names."""

from __future__ import annotations

from typing import Any

from pitboard.core.names import Candidate, MatchKind, rank
from pitboard.records.models import Driver, Race, Team, TeamAlias, Track, TrackName
from pitboard.records.services.careers import driver_candidates, simple_candidates

SHOWN = 10


def _race_candidates() -> list[Candidate]:
    return [
        Candidate(pk, f"{year} {name}", (name,))
        for pk, name, year in Race.objects.exclude(name="").values_list(
            "id", "name", "season__year"
        )
    ]


KINDS = ("drivers", "tracks", "teams", "races")


def search(q: str, limit: int = SHOWN) -> dict[str, Any]:
    """Matches of *q* of each kind, best tier first (exact > alias > prefix > contains >
    fuzzy), as `pitboard driver NAME` ranks them. Close spellings are shown only where no kind
    has anything closer ("Dover" finds the track, not drivers named Dove or Hoover), and
    ``groups`` lists the kinds found, the kind with the closest match first."""
    found = {
        "drivers": rank(q, driver_candidates(), limit),
        "tracks": rank(q, simple_candidates(Track, TrackName, "track_id"), limit),
        "teams": rank(q, simple_candidates(Team, TeamAlias, "team_id"), limit),
        "races": rank(q, _race_candidates(), limit),
    }
    best = {kind: matches[0].kind for kind, matches in found.items() if matches}
    if any(tier < MatchKind.FUZZY for tier in best.values()):
        found = {
            k: m if best.get(k, MatchKind.FUZZY) < MatchKind.FUZZY else [] for k, m in found.items()
        }
    groups = sorted((k for k in KINDS if found[k]), key=lambda k: (best[k], KINDS.index(k)))
    drivers, tracks, teams, races = (found[kind] for kind in KINDS)
    driver_slugs = dict(
        Driver.objects.filter(id__in=[m.candidate.id for m in drivers]).values_list("id", "slug")
    )
    track_slugs = dict(
        Track.objects.filter(id__in=[m.candidate.id for m in tracks]).values_list("id", "slug")
    )
    team_slugs = dict(
        Team.objects.filter(id__in=[m.candidate.id for m in teams]).values_list("id", "slug")
    )
    race_keys = {
        pk: (series, year, rnd)
        for pk, series, year, rnd in Race.objects.filter(
            id__in=[m.candidate.id for m in races]
        ).values_list("id", "season__series__slug", "season__year", "round")
    }
    return {
        "query": q,
        "groups": groups,
        "drivers": [
            {"name": m.candidate.name, "slug": driver_slugs[m.candidate.id], "match": _kind(m)}
            for m in drivers
        ],
        "tracks": [
            {"name": m.candidate.name, "slug": track_slugs[m.candidate.id], "match": _kind(m)}
            for m in tracks
        ],
        "teams": [
            {"name": m.candidate.name, "slug": team_slugs[m.candidate.id], "match": _kind(m)}
            for m in teams
        ],
        "races": [
            {
                "name": m.candidate.name,
                "series": race_keys[m.candidate.id][0],
                "season": race_keys[m.candidate.id][1],
                "round": race_keys[m.candidate.id][2],
                "match": _kind(m),
            }
            for m in races
        ],
    }


def _kind(match: Any) -> str:
    return str(match.kind.name.lower())
