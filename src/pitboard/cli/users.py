"""``pitboard users add|list``: accounts and their roles (officials, editors, admins)."""

from __future__ import annotations

import argparse
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", parents=[common], help="accounts and their roles")
    user_commands = users.add_subparsers(dest="users_command", metavar="COMMAND", required=True)
    add = user_commands.add_parser(
        "add",
        parents=[common],
        help="add an account (or a role to one): an official of series, an editor or an admin",
    )
    add.add_argument("name", metavar="NAME", help="the account's name (no spaces)")
    add.add_argument("--role", choices=("official", "editor", "admin"), required=True)
    add.add_argument("--series", metavar="S[,S…]", help="an official's series (slugs)")
    add.add_argument("--email", default="", help="where the account's mail goes")
    add.add_argument("--format", choices=("text", "json"), default="text")
    add.set_defaults(handler=run_add)
    listing = user_commands.add_parser("list", parents=[common], help="every account and its roles")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from pitboard.officials.services import RoleError, add_user

    series = (args.series or "").split(",") if args.series else []
    try:
        added = add_user(args.name, args.role, series, args.email)
    except RoleError as exc:
        raise CommandError(f"no account changed: {exc}") from exc
    if args.format == "json":
        print_json({**added.__dict__})
        return 0
    what = added.role + (f" of {', '.join(added.series)}" if added.series else "")
    if added.password:
        stderr.print(f"account {added.name} added as {what}; its password (shown once):")
        print(added.password)
    else:
        stderr.print(f"account {added.name} is now also {what}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from pitboard.officials.services import user_list

    rows = user_list()
    if args.format == "json":
        print_json(rows)
    else:
        shown = [{**r, "roles": "; ".join(r["roles"])} for r in rows]
        print_table("Accounts", shown, ["name", "roles", "active", "last_login"])
    return 0
