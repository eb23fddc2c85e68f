"""Where sources disagree: every figure two datasets state differently, with each value."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Count

from pitboard.core.provenance import conflicts
from pitboard.records.models import (
    Manufacturer,
    Race,
    RaceStatement,
    Result,
    ResultStatement,
    Team,
    Track,
)
from pitboard.records.services import bulk, statements
from pitboard.records.services.statements import RACES, RESULTS

# Derived from the status text, and filled in where a source gave none: not a statement of its own.
DERIVED = frozenset({"status_class"})


class StatedValue(TypedDict):
    dataset: str
    value: Any
    shown: bool


class Disagreement(TypedDict):
    series: str
    season: int
    round: int
    driver: str | None  # None: a fact of the race itself
    field: str
    values: list[StatedValue]


def disagreements(series: str | None = None) -> list[Disagreement]:
    """Every field of a result or a race that two sources state differently."""
    found: list[Disagreement] = []
    results = ResultStatement.objects.values("result_id").annotate(n=Count("id")).filter(n__gt=1)
    races = RaceStatement.objects.values("race_id").annotate(n=Count("id")).filter(n__gt=1)
    if series:
        results = results.filter(result__race__season__series__slug=series)
        races = races.filter(race__season__series__slug=series)
    result_ids = [row["result_id"] for row in results]
    about = {
        pk: (slug, year, rnd, name)
        for chunk in bulk.chunks(result_ids)
        for pk, slug, year, rnd, name in Result.objects.filter(pk__in=chunk).values_list(
            "pk",
            "race__season__series__slug",
            "race__season__year",
            "race__round",
            "driver__person__name",
        )
    }
    for owner, said in statements.load(RESULTS, result_ids).items():
        slug, year, rnd, name = about[owner]
        found += _rows(RESULTS.fields, said, (slug, year, rnd, name))
    race_ids = [row["race_id"] for row in races]
    race_about = {
        pk: (slug, year, rnd, None)
        for chunk in bulk.chunks(race_ids)
        for pk, slug, year, rnd in Race.objects.filter(pk__in=chunk).values_list(
            "pk", "season__series__slug", "season__year", "round"
        )
    }
    for owner, said in statements.load(RACES, race_ids).items():
        found += _rows(RACES.fields, said, race_about[owner])
    found.sort(key=lambda d: (d["series"], d["season"], d["round"], d["driver"] or "", d["field"]))
    _name_ids(found)
    return found


def _rows(
    fields: tuple[str, ...],
    said: list[statements.Stated],
    where: tuple[str, int, int, str | None],
) -> list[Disagreement]:
    out: list[Disagreement] = []
    for conflict in conflicts(
        fields, [(s.dataset, s.values) for s in said], statements.precedence(), DERIVED
    ):
        out.append(
            {
                "series": where[0],
                "season": where[1],
                "round": where[2],
                "driver": where[3],
                "field": conflict.field,
                "values": [
                    {"dataset": dataset, "value": _plain(value), "shown": i == 0}
                    for i, (dataset, value) in enumerate(conflict.values)
                ],
            }
        )
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


class SourceLine(TypedDict):
    dataset: str
    uri: str
    file: str  # the file's name: a local path is not shown to readers
    link: str | None  # the address, when the source is on the web
    citation: str
    retrieved: str  # ISO date


class RaceSources(TypedDict):
    sources: list[SourceLine]  # every source that states the race or one of its results
    disagreements: list[Disagreement]  # where two of them differ, each value with its source


def shown_address(uri: str) -> tuple[str, str | None]:
    """How a source's address is shown: its file's name, and a link where it is on the web
    (the results its officials entered on the site or through the API: saying so)."""
    if uri.startswith("entry:"):
        return "entered by the series' officials", None
    return uri.rstrip("/").rsplit("/", 1)[-1], uri if uri.startswith(
        ("https://", "http://")
    ) else None


def race_sources(series: str, year: int, rnd: int, race: int) -> RaceSources:
    """Who says what about one race (*race*, its id, run as *series*' round *rnd* of *year*):
    its sources, and the figures they disagree on (2 queries)."""
    stated_results = list(
        ResultStatement.objects.filter(result__race_id=race)
        .order_by("result_id", "dataset")
        .values_list(
            "result_id",
            "dataset",
            "source__uri",
            "source__citation",
            "source__retrieved_at",
            "result__driver__person__name",
            *RESULTS.fields,
        )
    )
    stated_race = list(
        RaceStatement.objects.filter(race_id=race).values_list(
            "race_id",
            "dataset",
            "source__uri",
            "source__citation",
            "source__retrieved_at",
            *RACES.fields,
        )
    )
    lines: dict[tuple[str, str], SourceLine] = {}
    for row in [*stated_results, *stated_race]:
        if (row[1], row[2]) in lines:
            continue
        file, link = shown_address(row[2])
        lines[(row[1], row[2])] = {
            "dataset": row[1],
            "uri": row[2],
            "file": file,
            "link": link,
            "citation": row[3],
            "retrieved": row[4].date().isoformat(),
        }
    found: list[Disagreement] = []
    if len({dataset for dataset, _ in lines}) > 1:
        by_result: dict[int, list[statements.Stated]] = {}
        names: dict[int, str] = {}
        for owner, dataset, _, _, _, name, *values in stated_results:
            names[owner] = name
            by_result.setdefault(owner, []).append(
                statements.Stated(0, dataset, RESULTS.normalize(tuple(values)), None, None, None)
            )
        for owner, said in by_result.items():
            if len(said) > 1:
                found += _rows(RESULTS.fields, said, (series, year, rnd, names[owner]))
        said = [
            statements.Stated(0, row[1], RACES.normalize(tuple(row[5:])), None, None, None)
            for row in stated_race
        ]
        if len(said) > 1:
            found += _rows(RACES.fields, said, (series, year, rnd, None))
    _name_ids(found)
    return {"sources": sorted(lines.values(), key=lambda s: s["dataset"]), "disagreements": found}


def _name_ids(found: list[Disagreement]) -> None:
    """A team, make or track is shown by name, not by its number (one query per kind)."""
    for name, model in (("team_id", Team), ("manufacturer_id", Manufacturer), ("track_id", Track)):
        rows = [d for d in found if d["field"] == name]
        if not rows:
            continue
        ids = {v["value"] for d in rows for v in d["values"]}
        names = {
            pk: name
            for chunk in bulk.chunks(sorted(ids))
            for pk, name in model.objects.filter(pk__in=chunk).values_list("pk", "name")
        }
        for d in rows:
            d["field"] = name.removesuffix("_id")
            for v in d["values"]:
                v["value"] = names.get(v["value"], v["value"])
