"""Where sources disagree: every figure two datasets state differently, with each value."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Count

from pitboard.core.provenance import conflicts
from pitboard.records.models import RaceStatement, Result, ResultStatement
from pitboard.records.services import statements
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
        for pk, slug, year, rnd, name in Result.objects.filter(pk__in=result_ids).values_list(
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
    from pitboard.records.models import Race

    race_about = {
        pk: (slug, year, rnd, None)
        for pk, slug, year, rnd in Race.objects.filter(pk__in=race_ids).values_list(
            "pk", "season__series__slug", "season__year", "round"
        )
    }
    for owner, said in statements.load(RACES, race_ids).items():
        found += _rows(RACES.fields, said, race_about[owner])
    found.sort(key=lambda d: (d["series"], d["season"], d["round"], d["driver"] or "", d["field"]))
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
