"""``pitboard identity …`` (who is who across sources) and ``pitboard sources conflicts``."""

from __future__ import annotations

import argparse
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    identity = commands.add_parser(
        "identity", parents=[common], help="one person, one driver: the review queue, merges"
    )
    sub = identity.add_subparsers(dest="identity_command", metavar="COMMAND", required=True)
    review = sub.add_parser(
        "review", parents=[common], help="new source keys that may be drivers already known"
    )
    review.add_argument("--format", choices=("table", "json"), default="table")
    review.set_defaults(handler=run_review)
    merge = sub.add_parser(
        "merge", parents=[common], help="merge driver OTHER into KEEP (logged; split undoes it)"
    )
    merge.add_argument("keep", metavar="KEEP", help="slug of the driver that stays")
    merge.add_argument("other", metavar="OTHER", help="slug of the driver merged into it")
    merge.add_argument("--reason", default="", help="why: kept in the log")
    merge.add_argument("--format", choices=("table", "json"), default="table")
    merge.set_defaults(handler=run_merge)
    split = sub.add_parser(
        "split", parents=[common], help="undo merge ID: the merged driver comes back whole"
    )
    split.add_argument("merge_id", metavar="ID", type=int, help="the merge's number (log)")
    split.add_argument("--reason", default="", help="why: kept in the log")
    split.add_argument("--format", choices=("table", "json"), default="table")
    split.set_defaults(handler=run_split)
    apart = sub.add_parser("apart", parents=[common], help="close review ID: they are two people")
    apart.add_argument("review_id", metavar="ID", type=int)
    apart.set_defaults(handler=run_apart)
    log = sub.add_parser("log", parents=[common], help="every merge and split, newest first")
    log.add_argument("--format", choices=("table", "json"), default="table")
    log.set_defaults(handler=run_log)

    sources = commands.add_parser("sources", parents=[common], help="what each source says")
    source_commands = sources.add_subparsers(
        dest="sources_command", metavar="COMMAND", required=True
    )
    conflicts = source_commands.add_parser(
        "conflicts",
        parents=[common],
        help="figures on which sources disagree, with each value and source",
    )
    conflicts.add_argument("--series", metavar="S", help="one series (slug)")
    conflicts.add_argument("--format", choices=("table", "json"), default="table")
    conflicts.set_defaults(handler=run_conflicts)


def run_review(args: argparse.Namespace) -> int:
    from pitboard.records.services.merging import open_reviews

    items = open_reviews()
    if args.format == "json":
        print_json({"reviews": items})
        return 0
    rows = [{**item, "reasons": "; ".join(item["reasons"])} for item in items]
    print_table(
        None, rows, ["id", "name", "dataset", "provisional", "candidate", "score", "reasons"]
    )
    if items:
        stderr.print(
            "same person: pitboard identity merge CANDIDATE PROVISIONAL; "
            "two people: pitboard identity apart ID"
        )
    else:
        stderr.print("nothing waits for review")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from pitboard.records.services.merging import IdentityError, merge

    try:
        change = merge(args.keep, args.other, args.reason)
    except IdentityError as exc:
        raise CommandError(str(exc)) from exc
    done = {
        "merge": change.pk,
        "kept": args.keep,
        "merged": args.other,
        "results_moved": len(change.moved["results"]),
    }
    if args.format == "json":
        print_json(done)
    else:
        stderr.print(
            f"merge {change.pk}: {args.other} is now {args.keep} "
            f"({done['results_moved']} results moved; undo: pitboard identity split {change.pk})"
        )
    return 0


def run_split(args: argparse.Namespace) -> int:
    from pitboard.records.services.merging import IdentityError, split

    try:
        change = split(args.merge_id, args.reason)
    except IdentityError as exc:
        raise CommandError(str(exc)) from exc
    done = {"split": change.pk, "merge": args.merge_id, "restored": change.merged_slug}
    if args.format == "json":
        print_json(done)
    else:
        stderr.print(f"merge {args.merge_id} split: {change.merged_slug} is back")
    return 0


def run_apart(args: argparse.Namespace) -> int:
    from pitboard.records.services.merging import IdentityError, keep_apart

    try:
        keep_apart(args.review_id)
    except IdentityError as exc:
        raise CommandError(str(exc)) from exc
    stderr.print(f"review {args.review_id}: kept apart")
    return 0


def run_log(args: argparse.Namespace) -> int:
    from pitboard.records.services.merging import identity_log

    entries = identity_log()
    if args.format == "json":
        print_json({"changes": entries})
    else:
        print_table(None, entries, ["id", "action", "kept", "merged", "reason", "at", "undone_by"])
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from pitboard.records.models import Series
    from pitboard.records.services.sources import disagreements

    if args.series and not Series.objects.filter(slug=args.series).exists():
        raise CommandError(f"no series {args.series!r}", 2)
    found = disagreements(args.series)
    if args.format == "json":
        print_json({"series": args.series, "conflicts": found})
        return 0
    rows = [
        {
            "race": f"{d['series']} {d['season']} round {d['round']}",
            "driver": d["driver"] or "(the race)",
            "field": d["field"],
            "values": "; ".join(
                f"{v['dataset']}: {v['value']}{' (shown)' if v['shown'] else ''}"
                for v in d["values"]
            ),
        }
        for d in found
    ]
    print_table(None, rows, ["race", "driver", "field", "values"])
    if not found:
        stderr.print("no figure is stated differently by two sources")
    return 0
