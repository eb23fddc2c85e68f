"""Points and standings from the records: load a season, score it by its rule set, compare.

The racing logic lives in ``pitboard.core`` (rules, points, standings); this module turns rows
into the core's dataclasses and back into documents.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.db import connection

from pitboard.core.names import name_key
from pitboard.core.points import Entry, mismatch_cause
from pitboard.core.rules import OFFICIAL_RECORD, Era, RuleSet, era, in_force, load, load_folder
from pitboard.core.season import SeasonFacts, score_season
from pitboard.core.standings import Penalty, PlayoffFacts
from pitboard.records.models import Penalty as PenaltyRecord
from pitboard.records.models import Season as SeasonRecord
from pitboard.records.models import Series, SourceKey
from pitboard.records.services.careers import in_every_season

RULESETS_ENV = "PITBOARD_RULESETS"


class PointsError(Exception):
    """A season or rule set that cannot be scored, said in one line."""


@cache
def shipped_rule_sets() -> tuple[RuleSet, ...]:
    folder = Path(str(files("pitboard.rulesets")))
    return tuple(load_folder(folder))


def scoring_inputs() -> list[Path]:
    """Every file the standings are computed from: the scoring code of the core, the shipped
    rule sets and the user's, the season facts and the sourced facts."""
    core = Path(str(files("pitboard.core")))
    data = Path(str(files("pitboard.data")))
    found = [core / f"{name}.py" for name in ("points", "rules", "season", "standings")]
    found += sorted(Path(str(files("pitboard.rulesets"))).glob("*.toml"))
    extra = os.environ.get(RULESETS_ENV)
    if extra:
        found += sorted(Path(extra).glob("*.toml"))
    found += sorted((data / "facts").glob("*/*.toml")) + sorted((data / "sourced").glob("*/*.toml"))
    return found


def scoring_digest() -> str:
    """A digest of ``scoring_inputs``: it changes when anything the standings follow does."""
    digest = hashlib.sha256()
    for path in scoring_inputs():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def rule_sets() -> list[RuleSet]:
    """The shipped rule sets, then the user's ($PITBOARD_RULESETS, a folder): later ones win."""
    found = list(shipped_rule_sets())
    extra = os.environ.get(RULESETS_ENV)
    if extra:
        found += load_folder(Path(extra))
    return found


def rule_set_ids(series: str) -> list[str]:
    """The ids of every rule set, those that apply to *series* first (the others may still be
    asked for, as a what-if)."""
    return [r.id for r in sorted(rule_sets(), key=lambda r: all(a[0] != series for a in r.applies))]


def rule_set(name: str) -> RuleSet:
    """A rule set by id, or from a file path."""
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        return load(path)
    for candidate in rule_sets():
        if candidate.id == name:
            return candidate
    known = ", ".join(r.id for r in rule_sets())
    raise PointsError(f"no rule set {name!r} (known: {known}; or give a .toml file)")


def facts_file(series: str, season: int) -> Path:
    """Facts inferred from the official points (written by ``pitboard points facts``)."""
    return Path(str(files("pitboard.data"))) / "facts" / series / f"{season}.toml"


def sourced_file(series: str, season: int) -> Path:
    """Facts kept by hand, each with its source: penalties, waivers, wins that do not count."""
    return Path(str(files("pitboard.data"))) / "sourced" / series / f"{season}.toml"


SOURCED_KEYS = {
    "penalties": {
        "driver",
        "round",
        "points",
        "playoff_points",
        "owner_points",
        "source",
        "note",
    },
    "waivers": {"driver", "source", "note"},
    "non_counting_wins": {"driver", "round", "source", "note"},
    "added_to_playoff": {"driver", "source", "note"},
}


def _sourced(
    path: Path,
    driver_ids: dict[str, int],
    by_key: Callable[[dict[str, Any], dict[str, int]], dict[str, int]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The entries of a sourced-facts file, checked, with each driver's id under ``id``;
    *by_key* adds the drivers the file names by a source key (``keyed_drivers``)."""
    where = f"{path.parent.name}/{path.name}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PointsError(f"{where}: not valid TOML: {exc}") from exc
    if by_key is not None:
        driver_ids = by_key(data, driver_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for key, items in data.items():
        if key == "schedule":
            _check_schedule(where, items)
            continue
        if key not in SOURCED_KEYS or not isinstance(items, list):
            raise PointsError(f"{where}: unknown section {key!r} ({', '.join(SOURCED_KEYS)})")
        for index, item in enumerate(items):
            at = f"{where}: {key}[{index}]"
            unknown = sorted(set(item) - SOURCED_KEYS[key])
            if unknown:
                raise PointsError(f"{at}: unknown field {unknown[0]!r}")
            if not str(item.get("source", "")).strip():
                raise PointsError(f"{at}: field 'source' is required")
            if key in ("penalties", "non_counting_wins") and "round" not in item:
                raise PointsError(f"{at}: field 'round' is required")
            if item.get("driver") not in driver_ids:
                raise PointsError(f"{at}: field 'driver': no driver {item.get('driver')!r}")
            for field in ("round", "points", "playoff_points", "owner_points"):
                if field in item and not isinstance(item[field], int):
                    raise PointsError(f"{at}: field {field!r} must be a whole number")
            out.setdefault(key, []).append({**item, "id": driver_ids[item["driver"]]})
    return out


def _check_schedule(where: str, schedule: Any) -> None:
    """A sourced ``[schedule]``: the season's number of points races, with its source."""
    if not isinstance(schedule, dict):
        raise PointsError(f"{where}: schedule must be a table: races, source, note")
    unknown = sorted(set(schedule) - {"races", "source", "note"})
    if unknown:
        raise PointsError(f"{where}: schedule: unknown field {unknown[0]!r}")
    if not str(schedule.get("source", "")).strip():
        raise PointsError(f"{where}: schedule: field 'source' is required")
    races = schedule.get("races")
    if not isinstance(races, int) or isinstance(races, bool) or races < 1:
        raise PointsError(f"{where}: schedule: field 'races' must be a whole number above 0")


def scheduled_races(series: str, season: int) -> int | None:
    """The number of points races on a season's schedule, where a file gives it: a sourced
    ``[schedule]`` (checked), else the facts file's ``scheduled_races``."""
    sourced = sourced_file(series, season)
    if sourced.exists():
        data = _toml(sourced)
        if "schedule" in data:
            _check_schedule(f"{sourced.parent.name}/{sourced.name}", data["schedule"])
            return int(data["schedule"]["races"])
    path = facts_file(series, season)
    if path.exists():
        found = _toml(path).get("scheduled_races")
        return int(found) if found is not None else None
    return None


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PointsError(f"{path.parent.name}/{path.name}: not valid TOML: {exc}") from exc


# Facts files name each driver by nascaR.data's key for them (the name as nascaR.data writes
# it), not by pitboard's display name: a driver renamed or merged keeps his facts.
FACTS_DATASET = "nascaR.data"


def keyed_drivers(data: dict[str, Any], driver_ids: dict[str, int]) -> dict[str, int]:
    """The season's drivers by the names a parsed facts file gives: the display name (for
    seasons no source keys, such as a generic file's), then nascaR.data's key, which wins."""
    season = set(driver_ids.values())
    named = {n for n in data.get("ineligible", []) if isinstance(n, str)}
    named |= {
        item["driver"]
        for items in data.values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and isinstance(item.get("driver"), str)
    }
    found = dict(driver_ids)
    keys = {name_key(n): n for n in named}
    for key, driver in SourceKey.objects.filter(
        dataset=FACTS_DATASET, kind=SourceKey.Kind.DRIVER, key__in=list(keys)
    ).values_list("key", "object_id"):
        if driver in season:
            found[keys[key]] = driver
    return found


def season_facts(series: str, season: int, driver_ids: dict[str, int]) -> SeasonFacts:
    """The facts file of a series-season (``data/facts/SERIES/SEASON.toml``), if any."""
    path = facts_file(series, season)
    facts = SeasonFacts(
        penalties=recorded_penalties(series, season),
        scheduled_races=scheduled_races(series, season),
    )
    sourced = sourced_file(series, season)
    if sourced.exists():
        _add_sourced(facts, _sourced(sourced, driver_ids, keyed_drivers))
    if not path.exists():
        return facts
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    driver_ids = keyed_drivers(data, driver_ids)
    facts.sources += list(data.get("sources", []))
    facts.ineligible = {driver_ids[n] for n in data.get("ineligible", []) if n in driver_ids}
    for item in data.get("no_points", []):
        if item["driver"] in driver_ids:
            for rnd in item["rounds"]:
                facts.ineligible_rounds.setdefault(int(rnd), set()).add(driver_ids[item["driver"]])
    for item in data.get("penalties", []):
        if item["driver"] in driver_ids:
            facts.penalties.append(
                Penalty(
                    driver_ids[item["driver"]],
                    int(item["after_round"]),
                    int(item.get("points", 0)),
                    int(item.get("playoff_points", 0)),
                )
            )
    facts.paying_stages = {int(k): int(v) for k, v in data.get("paying_stages", {}).items()}
    facts.close_up_rounds = {int(r) for r in data.get("close_up_rounds", [])}
    return facts


def _add_sourced(facts: SeasonFacts, sourced: dict[str, list[dict[str, Any]]]) -> None:
    for item in sourced.get("penalties", []):
        facts.penalties.append(
            Penalty(
                item["id"],
                int(item.get("round", 1)),
                int(item.get("points", 0)),
                int(item.get("playoff_points", 0)),
            )
        )
        if "owner_points" in item:
            facts.owner_penalties.append(
                Penalty(item["id"], int(item["round"]), int(item["owner_points"]))
            )
    facts.playoff = PlayoffFacts(
        waivers=frozenset(item["id"] for item in sourced.get("waivers", [])),
        non_counting_wins=frozenset(
            (item["id"], int(item["round"])) for item in sourced.get("non_counting_wins", [])
        ),
        added=tuple(item["id"] for item in sourced.get("added_to_playoff", [])),
    )
    facts.sources += sorted({item["source"] for items in sourced.values() for item in items})


def recorded_penalties(series: str, year: int) -> list[Penalty]:
    """Penalties entered in the database (admin, API), as their appeals left them."""
    out = []
    rows = PenaltyRecord.objects.filter(
        season__series__slug=series, season__year=year, driver__isnull=False
    ).values_list(
        "driver_id", "race__round", "points", "playoff_points", "appeal", "points_after_appeal"
    )
    for driver, rnd, points, playoff, appeal, after_appeal in rows:
        if appeal == PenaltyRecord.Appeal.RESCINDED:
            continue
        if appeal == PenaltyRecord.Appeal.REDUCED and after_appeal is not None:
            points = after_appeal
        out.append(Penalty(driver, rnd or 1, points, playoff))
    return out


@dataclass
class Season:
    series: str
    year: int
    races: list[tuple[int, list[Entry]]]  # (round, entries) in round order
    names: dict[int, str]  # driver id → name

    @property
    def driver_ids(self) -> dict[str, int]:
        return {name: pk for pk, name in self.names.items()}


def load_season(series: str, year: int) -> Season:
    """Every race of a series-season with its entries, in one query."""
    if not Series.objects.filter(slug=series).exists():
        known = ", ".join(Series.objects.values_list("slug", flat=True)) or "none imported yet"
        raise PointsError(f"no series {series!r} (known: {known})")
    # A combination race counts at its round in each season it is linked to, with the points
    # of that series' own account of it.
    sql = in_every_season(
        "SELECT {round}, res.driver_id, p.name, res.finish, res.start, res.laps, res.laps_led, "
        "res.status_class, res.stage_finishes, {points}, res.team_id, res.manufacturer_id, "
        "res.car_number",
        """
        JOIN records_series s ON s.id = se.series_id
        JOIN records_driver d ON d.id = res.driver_id
        JOIN records_person p ON p.id = d.person_id
        WHERE s.slug = %s AND se.year = %s
        """,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1, 4", [series, year] * 2)
        rows = cursor.fetchall()
    by_round: dict[int, list[Entry]] = defaultdict(list)
    names: dict[int, str] = {}
    for rnd, driver, name, finish, start, laps, led, klass, stages, pts, team, make, car in rows:
        if isinstance(stages, str):
            stages = json.loads(stages)
        names[driver] = name
        by_round[rnd].append(
            Entry(
                driver,
                finish,
                start,
                laps,
                led or 0,
                klass,
                tuple(stages or ()),
                pts,
                team,
                make,
                car,
            )
        )
    if not by_round:
        raise PointsError(f"no races of {series} in {year}")
    return Season(series, year, sorted(by_round.items()), names)


def rules_for(season: Season, override: str | None = None) -> RuleSet:
    """The rule set asked for, else the one in force, else the official record's points."""
    if override:
        return rule_set(override)
    found = in_force(rule_sets(), season.series, season.year)
    if found is not None:
        return found
    if not any(e.official_points is not None for _, entries in season.races for e in entries):
        raise PointsError(
            f"{season.series} {season.year} has no rule set and no official points; "
            "give a rule set with --rules"
        )
    return OFFICIAL_RECORD


def rules_why(series: str, year: int, override: str | None = None) -> str:
    """Why *series* *year* is scored by the rules it is: asked for, the era in force (or the
    latest rules, past every season a rule set names), or no rule set at all."""
    if override:
        return f"{rule_set(override).id}, as asked for"
    return _why(series, year, era(rule_sets(), series, year))


def _why(series: str, year: int, found: Era | None) -> str:
    if found is None:
        return (
            f"no rule set names {series} {year}: the standings add up the official points "
            "the results give, where they give any"
        )
    return found.why(year)


def rules_list(series: str | None = None) -> list[dict[str, Any]]:
    """Per season the record holds (of *series*, or of every series): the rule set that scores
    it, why (the era it names), and the facts files that apply to it."""
    seasons = SeasonRecord.objects.order_by("series__display_order", "series__slug", "year")
    if series is not None:
        if not SeasonRecord.objects.filter(series__slug=series).exists():
            raise PointsError(f"no series {series!r} with a season")
        seasons = seasons.filter(series__slug=series)
    sets = rule_sets()
    data = Path(str(files("pitboard.data")))
    out = []
    for slug, year in seasons.values_list("series__slug", "year"):
        found = era(sets, slug, year)
        rules = found.rules.id if found else OFFICIAL_RECORD.id
        why = _why(slug, year, found)
        facts = [
            str(path.relative_to(data.parent))
            for path in (facts_file(slug, year), sourced_file(slug, year))
            if path.exists()
        ]
        out.append({"series": slug, "season": year, "rules": rules, "why": why, "facts": facts})
    return out


def check_points(
    series: str, first: int, last: int, rules_name: str | None = None
) -> dict[str, Any]:
    """Every race's computed points against the official ones, with mismatches by cause."""
    compared = matched = by_facts = 0
    by_era: dict[str, Counter[str]] = defaultdict(Counter)
    causes: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seasons_out = []
    for year in range(first, last + 1):
        try:
            season = load_season(series, year)
        except PointsError:
            continue
        rules = rules_for(season, rules_name)
        if rules is OFFICIAL_RECORD:
            continue  # no rule set: nothing to check the official points against
        facts = season_facts(series, year, season.driver_ids)
        scored = score_season(rules, season.races, facts, official_fallback=rules_name is None)
        s_compared = s_matched = 0
        for race in scored:
            no_points = facts.no_points(race.round)
            for entry, got in zip(race.entries, race.points, strict=True):
                if entry.official_points is None:
                    continue
                s_compared += 1
                if got.total == entry.official_points:
                    s_matched += 1
                    if entry.driver in no_points and entry.official_points == 0:
                        by_facts += 1
                    continue
                cause = mismatch_cause(rules, entry, got)
                causes[cause] += 1
                if len(examples[cause]) < 5:
                    examples[cause].append(
                        {
                            "season": year,
                            "round": race.round,
                            "driver": season.names[entry.driver],
                            "finish": entry.finish,
                            "official": entry.official_points,
                            "computed": got.total,
                        }
                    )
        compared += s_compared
        matched += s_matched
        by_era[rules.id].update(compared=s_compared, matched=s_matched)
        seasons_out.append(
            {"season": year, "rules": rules.id, "compared": s_compared, "matched": s_matched}
        )
    return {
        "series": series,
        "seasons": [first, last],
        "compared": compared,
        "matched": matched,
        "match_rate": round(matched / compared, 4) if compared else None,
        # Of the matched rows, those whose 0 points come from the season's facts (drivers the
        # official record gave no points) rather than from the rule set alone.
        "matched_by_facts": by_facts,
        "eras": [
            {
                "rules": era,
                "compared": c["compared"],
                "matched": c["matched"],
                "match_rate": round(c["matched"] / c["compared"], 4) if c["compared"] else None,
            }
            for era, c in by_era.items()
        ],
        "mismatches": [
            {"cause": cause, "count": count, "examples": examples[cause]}
            for cause, count in causes.most_common()
        ],
        "by_season": seasons_out,
    }
