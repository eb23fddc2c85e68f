"""``pitboard driver|team|manufacturer NAME``: career statistics."""

from __future__ import annotations

import argparse
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import FORMATS, print_csv, print_json, print_table, stderr

STAT_COLUMNS = [
    "starts",
    "wins",
    "top5",
    "top10",
    "poles",
    "laps",
    "laps_led",
    "avg_start",
    "avg_finish",
    "best_finish",
    "dnf",
    "points",
]


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    for kind in ("driver", "team", "manufacturer"):
        sub = commands.add_parser(kind, parents=[common], help=f"career statistics of a {kind}")
        sub.add_argument("name", metavar="NAME", help="name, alias, or part of a name")
        sub.add_argument(
            "--by",
            choices=("series", "season", "track"),
            default="series",
            help="rows by series (default), by series and season, or series and track",
        )
        sub.add_argument("--series", metavar="S", help="only this series (slug, e.g. cup)")
        sub.add_argument("--format", choices=FORMATS, default="table")
        sub.set_defaults(handler=run_career, kind=kind)
    milestones = commands.add_parser(
        "milestones",
        parents=[common],
        help="a driver's firsts, career best and every 10th win",
    )
    milestones.add_argument("name", metavar="NAME", help="name, alias, or part of a name")
    milestones.add_argument("--series", metavar="S", help="only this series (slug, e.g. cup)")
    milestones.add_argument("--format", choices=FORMATS, default="table")
    milestones.set_defaults(handler=run_milestones, kind="driver")


def run_career(args: argparse.Namespace) -> int:
    from pitboard.core.stats import Grouping
    from pitboard.records.services.careers import career_document

    subject = _found(args)
    document = career_document(subject, Grouping(args.by), args.series)
    if args.format == "json":
        print_json(document)
    elif args.format == "csv":
        print_csv(document["rows"])
    else:
        label = {"series": [], "season": ["season"], "track": ["track"]}[args.by]
        rows = [*document["rows"], {**document["total"], "series": "total"}]
        # Points are a season's: a sum over seasons adds up different points systems.
        columns = STAT_COLUMNS if args.by == "season" else STAT_COLUMNS[:-1]
        print_table(f"{subject.name} ({args.kind})", rows, ["series", *label, *columns])
    return 0


def _found(args: argparse.Namespace) -> Any:
    """The driver, team or make *args.name* means (``careers.find``), said on stderr when the
    match was not exact; an ambiguous name lists the candidates and exits 2."""
    from pitboard.records.services.careers import LookupError_, check_series, find

    try:
        if args.series is not None:
            check_series(args.series)
        subject, match = find(args.kind, args.name)
    except LookupError_ as exc:
        if exc.candidates:
            _candidates(args, exc)
            raise CommandError(str(exc), status=2) from exc  # the name is the user's to refine
        raise CommandError(str(exc)) from exc
    if match is not None:
        stderr.print(f"{args.name!r}: showing {subject.name} ({match.kind.name.lower()} match)")
    return subject


def run_milestones(args: argparse.Namespace) -> int:
    from pitboard.records.services.milestones import of_driver

    subject = _found(args)
    found = of_driver(subject.id, args.series)
    if args.format == "json":
        print_json({"driver": subject.as_dict(), "milestones": found})
        return 0
    rows = [
        {
            "milestone": m["kind"],
            "series": m["series"] or "career",
            "season": m["season"],
            "round": m["round"],
            "date": m["date"],
            "race": m["race"]["name"],
            "track": m["race"]["track"]["name"],
            "value": m["value"],
            "tied_with": "; ".join(
                f"{t['series']} {t['season']} round {t['round']}" for t in m["tied_with"]
            ),
        }
        for m in found
    ]
    if args.format == "csv":
        print_csv(rows)
    else:
        columns = ["milestone", "series", "season", "round", "date", "race", "track", "value"]
        if any(r["tied_with"] for r in rows):
            columns.append("tied_with")
        print_table(f"{subject.name}: milestones", rows, columns)
    return 0


def _candidates(args: argparse.Namespace, exc: Any) -> None:
    """The records an ambiguous name may mean, each with its seasons and series."""
    from pitboard.records.services.careers import spans

    found = spans(args.kind, [m.candidate.id for m in exc.candidates])
    if args.format == "json":
        print_json(
            {
                "error": str(exc),
                "candidates": [
                    {
                        "id": str(m.candidate.id),
                        "name": m.candidate.name,
                        "match": m.kind.name.lower(),
                        "first_season": found.get(m.candidate.id, {}).get("first"),
                        "last_season": found.get(m.candidate.id, {}).get("last"),
                        "series": found.get(m.candidate.id, {}).get("series", []),
                    }
                    for m in exc.candidates
                ],
            }
        )
        return
    stderr.print("candidates:")
    for m in exc.candidates:
        span = found.get(m.candidate.id)
        seasons = ""
        if span:
            years = str(span["first"])
            if span["last"] != span["first"]:
                years += f"–{span['last']}"
            seasons = f", {years} {', '.join(span['series'])}"
        stderr.print(f"  {m.candidate.name}  ({m.kind.name.lower()} match{seasons})", markup=False)
