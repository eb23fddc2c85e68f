"""``pitboard driver|team|manufacturer NAME``: career statistics."""

from __future__ import annotations

import argparse
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import FORMATS, print_csv, print_json, print_table, stderr
from pitboard.core.firsts import EVENTS

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
    firsts = commands.add_parser(
        "firsts",
        parents=[common],
        help="who was the first of a group to win (or top five, top ten, pole, start) in a scope",
    )
    firsts.add_argument("--event", required=True, choices=EVENTS)
    firsts.add_argument("--sanction", metavar="S", help="sanctioning body, e.g. NASCAR, ARCA")
    firsts.add_argument("--country", metavar="C", help="the track's country (ISO code, e.g. US)")
    firsts.add_argument("--nationality", metavar="N", help="the driver's (ISO code, e.g. CA)")
    firsts.add_argument("--gender", metavar="G", help="as sources state it, e.g. female")
    firsts.add_argument("--series", metavar="S", help="only this series (slug)")
    firsts.add_argument("--format", choices=("text", "json"), default="text")
    firsts.set_defaults(handler=run_firsts)
    line = commands.add_parser(
        "statline",
        parents=[common],
        help="a driver's stat line, from results or else from reported season summaries",
    )
    line.add_argument("name", metavar="NAME", help="name, alias, or part of a name")
    line.add_argument("--series", metavar="S", help="only this series (slug, e.g. arca)")
    line.add_argument("--season", metavar="Y", type=int, help="only this season")
    line.add_argument("--track", metavar="T", help="only at this track (slug or name)")
    line.add_argument("--format", choices=("text", "json"), default="text")
    line.set_defaults(handler=run_statline, kind="driver")


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


def run_firsts(args: argparse.Namespace) -> int:
    from pitboard.careers.firsts import firsts
    from pitboard.core.firsts import Query
    from pitboard.records.services.careers import LookupError_

    query = Query(
        args.event,
        args.sanction,
        args.country.upper() if args.country else None,
        args.nationality.upper() if args.nationality else None,
        args.gender,
        args.series,
    )
    try:
        found = firsts(query)
    except LookupError_ as exc:
        stderr.print(str(exc), markup=False)
        return 2
    if args.format == "json":
        print_json(found)
        return 0
    if not found["answers"]:
        print("no answer in the data")
    for answer in found["answers"]:
        when = answer["date"] or f"the {answer['season']} season"
        print(f"{answer['driver']['name']}, {when}, {answer['track']['name']} ({answer['basis']})")
        for line in answer["evidence"]:
            print(f"  {line}")
        for source in answer["sources"]:
            print(f"  source: {source['title']} {source['url'] or ''}".rstrip())
    for line in found["missing"]:
        print(f"missing: {line}")
    return 0


def run_statline(args: argparse.Namespace) -> int:
    from pitboard.careers.statline import of_driver
    from pitboard.records.services.careers import LookupError_

    subject = _found(argparse.Namespace(**{**vars(args), "series": None}))
    try:
        line = of_driver(subject.id, args.series, args.season, args.track)
    except LookupError_ as exc:
        stderr.print(str(exc), markup=False)
        return 2
    if args.format == "json":
        print_json(line)
    else:
        basis = "from results" if line["basis"] == "results" else "as reported"
        print(f"{subject.name}: {line['text']} ({basis})")
        if line["note"]:
            print(f"  note: {line['note']}")
        for source in line["sources"]:
            print(f"  source: {source['title']}, {source['publisher'] or ''} {source['url'] or ''}")
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
