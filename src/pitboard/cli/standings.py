"""``pitboard points check|facts|published``, ``pitboard rules list`` and ``pitboard standings``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr, stdout
from pitboard.core.rules import ChampionshipKind


def _seasons(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"seasons as YEAR or FIRST-LAST, not {text!r}") from exc


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    points = commands.add_parser("points", parents=[common], help="race points by the rules")
    sub = points.add_subparsers(dest="points_command", metavar="COMMAND", required=True)
    check = sub.add_parser(
        "check", parents=[common], help="rule-computed race points against the official ones"
    )
    check.add_argument("--series", required=True, metavar="S")
    check.add_argument("--seasons", required=True, type=_seasons, metavar="A-B")
    check.add_argument("--rules", metavar="RULESET", help="score with this rule set (id or file)")
    check.add_argument("--format", choices=("table", "json"), default="table")
    check.set_defaults(handler=run_check)
    facts = sub.add_parser(
        "facts",
        parents=[common],
        help="write the facts the official points imply (drivers who could not score)",
    )
    facts.add_argument("--series", required=True, metavar="S")
    facts.add_argument("--seasons", required=True, type=_seasons, metavar="A-B")
    facts.add_argument("--output", required=True, type=Path, metavar="DIR")
    facts.set_defaults(handler=run_facts)
    published = sub.add_parser(
        "published",
        parents=[common],
        help="final standings against a published table (CSV: series, season, position, "
        "driver|owner|manufacturer, points)",
    )
    published.add_argument("file", type=Path, metavar="FILE")
    published.add_argument(
        "--kind",
        choices=list(ChampionshipKind),
        default="driver",
        help="the championship the table is of (its competitor column is named so)",
    )
    published.add_argument("--format", choices=("table", "json"), default="table")
    published.set_defaults(handler=run_published)

    rules = commands.add_parser("rules", parents=[common], help="the rule sets in force")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    listing = rules_sub.add_parser(
        "list",
        parents=[common],
        help="the rule set that scores each season, why, and the facts that apply to it",
    )
    listing.add_argument("--series", metavar="S", help="one series (slug)")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_rules_list)

    standings = commands.add_parser("standings", parents=[common], help="season standings")
    standings.add_argument("--series", required=True, metavar="S")
    standings.add_argument("--season", required=True, type=int, metavar="Y")
    when = standings.add_mutually_exclusive_group()
    when.add_argument("--after-round", type=int, metavar="N")
    when.add_argument(
        "--date",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="after the last race run on or before this date",
    )
    standings.add_argument("--kind", choices=list(ChampionshipKind), default="driver")
    standings.add_argument(
        "--rules", metavar="RULESET", help="re-score the season under this rule set (id or file)"
    )
    standings.add_argument("--format", choices=("table", "json"), default="table")
    standings.set_defaults(handler=run_standings)


def run_check(args: argparse.Namespace) -> int:
    from pitboard.core.rules import RuleError
    from pitboard.records.services.points import PointsError, check_points

    first, last = args.seasons
    try:
        report = check_points(args.series, first, last, args.rules)
    except (PointsError, RuleError) as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(report)
        return 0
    print_table(
        f"{args.series} {first}–{last}: {report['matched']} of {report['compared']} matched",
        report["eras"],
        ["rules", "compared", "matched", "match_rate"],
    )
    if report["mismatches"]:
        causes = ", ".join(f"{g['cause']} {g['count']}" for g in report["mismatches"])
        print_table(
            f"Differences by cause: {causes} (a few examples each; --format json gives more)",
            [
                {"cause": group["cause"], **example}
                for group in report["mismatches"]
                for example in group["examples"][:3]
            ],
            ["cause", "season", "round", "driver", "finish", "official", "computed"],
        )
    return 0


def run_published(args: argparse.Namespace) -> int:
    from pitboard.cli.db import migrate
    from pitboard.core.published import PublishedError, read_table
    from pitboard.records.services.standings import check_published

    try:
        table = read_table(args.file)
        migrate()  # and stored tables of other rules or facts are computed again
        report = check_published(table, args.kind)
    except PublishedError as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(report)
        return 0
    rows = [
        {
            "season": f"{season['series']} {season['season']}",
            "position": d["position"],
            args.kind: d["name"],
            "published": d["points"],
            "ours": "not in the table"
            if d["ours_position"] is None
            else f"P{d['ours_position']}, {d['ours_points']}",
            "ours at that position": d["ours_at_position"] or "",
        }
        for season in report["seasons"]
        for d in season["differences"]
    ]
    title = f"{report['matched']} of {report['compared']} published rows reproduced"
    print_table(
        title, rows, ["season", "position", args.kind, "published", "ours", "ours at that position"]
    )
    for season in report["seasons"]:
        if "error" in season:
            stderr.print(f"{season['series']} {season['season']}: {season['error']}")
    return 0


def run_rules_list(args: argparse.Namespace) -> int:
    from pitboard.core.rules import RuleError
    from pitboard.records.services.points import PointsError, rules_list

    try:
        rows = rules_list(args.series)
    except (PointsError, RuleError) as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(rows)
        return 0
    shown = [{**row, "facts": ", ".join(row["facts"])} for row in rows]
    print_table(None, shown, ["series", "season", "rules", "why", "facts"])
    return 0


def run_facts(args: argparse.Namespace) -> int:
    from pitboard.records.services.facts import write_facts
    from pitboard.records.services.points import PointsError

    first, last = args.seasons
    for year in range(first, last + 1):
        try:
            path = write_facts(args.series, year, args.output)
        except PointsError as exc:
            stderr.print(f"skipped {year}: {exc}")
            continue
        if path:
            stderr.print(f"wrote {path}")
    return 0


def run_standings(args: argparse.Namespace) -> int:
    from pitboard.core.rules import RuleError
    from pitboard.records.services.points import PointsError
    from pitboard.records.services.standings import standings_document, what_if

    where = {"after_round": args.after_round, "on_date": args.date, "kind": args.kind}
    try:
        if args.rules:  # what if: the other rules' table beside the real one
            document = what_if(args.series, args.season, args.rules, **where)
        else:
            document = standings_document(args.series, args.season, **where)
    except (PointsError, RuleError) as exc:
        raise CommandError(str(exc) + _published(args.series, args.season)) from exc
    if args.format == "json":
        print_json(document)
        return 0
    rows = [
        {
            **row,
            "seed": row["playoff"]["seed"],
            "out in": row["playoff"]["eliminated_in"],
            **_beside(row.get("real"), row.get("change")),
        }
        for row in document["standings"]
    ]
    compared = ["real", "±"] if args.rules else []
    title = (
        f"{args.series} {args.season} after round {document['after_round']} ({document['rules']}"
    )
    title += f"; real: {document['compared_with']})" if args.rules else ")"
    print_table(
        title,
        rows,
        [
            "position",
            args.kind,
            "points",
            *compared,
            "wins",
            "top5",
            "top10",
            "starts",
            "seed",
            "out in",
            "source",
        ],
    )
    stdout.print(f"Rules: {document['rules_why']}", soft_wrap=True)
    final = args.after_round is None and args.date is None and args.rules is None
    if final and args.kind == ChampionshipKind.DRIVER:
        _official_champion(args.series, args.season)
    return 0


def _beside(real: dict[str, int] | None, change: int | None) -> dict[str, str]:
    """A what-if row's real place and points ("P8, 2289") and the places it gains ("+7")."""
    if real is None:
        return {"real": "not ranked", "±": ""}
    moved = "" if change is None else ("=" if change == 0 else f"{change:+d}")
    return {"real": f"P{real['position']}, {real['points']}", "±": moved}


def _official_champion(series: str, season: int) -> None:
    """Under a final table its results cannot crown: the published champion, and why."""
    from pitboard.records.services.champions import champions

    champion = champions(series, [season]).get(season)
    if champion and champion["source"] == "official":
        stdout.print(
            f"Champion: {champion['name']} (official; this table cannot name him: "
            f"{champion['why']}; source {champion['source_url']})",
            soft_wrap=True,
        )


def _published(series: str, season: int) -> str:
    """For a season without standings: its published champion, if the record knows one."""
    from pitboard.records.services.champions import published

    known = published().get((series, season))
    return f" (its published champion: {known.name}, {known.source_url})" if known else ""
