"""``pitboard tokens create|list|revoke`` (the write API's tokens) and ``pitboard changes
list|show|revert`` (the audit trail)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    tokens = commands.add_parser("tokens", parents=[common], help="tokens for the write API")
    token_commands = tokens.add_subparsers(dest="tokens_command", metavar="COMMAND", required=True)
    create = token_commands.add_parser(
        "create", parents=[common], help="make a token acting as an account (shown once)"
    )
    create.add_argument("name", metavar="NAME", help="the account it acts as")
    create.add_argument(
        "--expires", metavar="D", help="after D days (90) or at the end of a day (YYYY-MM-DD)"
    )
    create.add_argument("--format", choices=("text", "json"), default="text")
    create.set_defaults(handler=run_create)
    listing = token_commands.add_parser("list", parents=[common], help="every token (not itself)")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_token_list)
    revoke = token_commands.add_parser("revoke", parents=[common], help="stop a token working")
    revoke.add_argument("id", metavar="ID", type=int, help="its number (pitboard tokens list)")
    revoke.set_defaults(handler=run_revoke)

    changes = commands.add_parser(
        "changes", parents=[common], help="the audit trail: who changed what, and reverting it"
    )
    change_commands = changes.add_subparsers(
        dest="changes_command", metavar="COMMAND", required=True
    )
    listed = change_commands.add_parser("list", parents=[common], help="changes, newest first")
    listed.add_argument("--series", metavar="S", help="of one series (slug)")
    listed.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (UTC)")
    listed.add_argument("--limit", type=int, default=50)
    listed.add_argument("--format", choices=("table", "json"), default="table")
    listed.set_defaults(handler=run_change_list)
    show = change_commands.add_parser(
        "show", parents=[common], help="one change, with the values before and after"
    )
    show.add_argument("id", metavar="ID", type=int)
    show.set_defaults(handler=run_show)
    revert = change_commands.add_parser(
        "revert",
        parents=[common],
        help="undo one change (an entry, a penalty, an import run): the standings follow",
    )
    revert.add_argument("id", metavar="ID", type=int, help="its number (pitboard changes list)")
    revert.add_argument("--reason", default="", help="why, for the audit trail")
    revert.add_argument("--format", choices=("text", "json"), default="text")
    revert.set_defaults(handler=run_revert)


def run_create(args: argparse.Namespace) -> int:
    from pitboard.officials.tokens import TokenError, create

    try:
        made = create(args.name, args.expires)
    except TokenError as exc:
        raise CommandError(f"no token made: {exc}") from exc
    if args.format == "json":
        print_json({**made.__dict__})
        return 0
    until = f", until {made.expires}" if made.expires else ", with no end"
    stderr.print(f"token {made.id} acts as {made.user}{until}; it is shown once:")
    print(made.token)
    return 0


def run_token_list(args: argparse.Namespace) -> int:
    from pitboard.officials.tokens import token_list

    rows = token_list()
    if args.format == "json":
        print_json(rows)
    else:
        print_table(
            "Tokens", rows, ["id", "user", "starts", "created", "expires", "revoked", "last_used"]
        )
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from pitboard.officials.tokens import TokenError, revoke

    try:
        name = revoke(args.id)
    except TokenError as exc:
        raise CommandError(str(exc)) from exc
    stderr.print(f"token {args.id} of {name} no longer works")
    return 0


def run_change_list(args: argparse.Namespace) -> int:
    from pitboard.officials.changes import change_list

    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            raise CommandError(f"--since {args.since}: a day as YYYY-MM-DD") from None
    try:
        rows = change_list(args.series, since, max(1, args.limit))
    except LookupError as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(rows)
    else:
        shown = [
            {
                **r,
                "series": ", ".join(r["series"]),
                "who": r["who"] or "",
                "counts": " ".join(f"{k} {v}" for k, v in r["counts"].items() if v),
            }
            for r in rows
        ]
        print_table(
            "Changes",
            shown,
            ["id", "at", "what", "target", "who", "through", "series", "reason", "counts"],
        )
    return 0


def run_show(args: argparse.Namespace) -> int:
    from pitboard.officials.changes import change_detail

    try:
        print_json(change_detail(args.id))
    except LookupError as exc:
        raise CommandError(str(exc)) from exc
    return 0


def run_revert(args: argparse.Namespace) -> int:
    from pitboard.cli.db import migrate
    from pitboard.officials.changes import ChangeError, revert
    from pitboard.records.models import ImportRun

    migrate()
    try:
        done = revert(None, args.id, channel=ImportRun.Channel.CLI, reason=args.reason)
    except (LookupError, ChangeError) as exc:
        raise CommandError(f"nothing reverted: {exc}") from exc
    if args.format == "json":
        print_json(done)
    else:
        stderr.print(
            f"change {args.id} reverted (change {done['change']}): {done['restored']} "
            f"statements restored, {done['dropped']} it added dropped, "
            f"{done['penalties_removed']} penalties removed"
        )
    return 0
