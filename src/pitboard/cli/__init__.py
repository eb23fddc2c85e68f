"""The ``pitboard`` command: parse, call the services, print. No racing logic lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pitboard import __version__


class CommandError(Exception):
    """An error to report in one line, with the exit status to leave with."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: $PITBOARD_DATABASE_URL, else sqlite:///pitboard.sqlite3)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    from pitboard.cli import (
        careers,
        db,
        identity,
        imports,
        news,
        operations,
        serve,
        standings,
        users,
    )

    common = _common()
    parser = argparse.ArgumentParser(
        prog="pitboard",
        description="The open record book of stock-car racing.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"pitboard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    db.add_commands(commands, common)
    imports.add_commands(commands, common)
    identity.add_commands(commands, common)
    careers.add_commands(commands, common)
    news.add_commands(commands, common)
    standings.add_commands(commands, common)
    serve.add_commands(commands, common)
    users.add_commands(commands, common)
    operations.add_commands(commands, common)
    return parser


def setup_django(database: str | None) -> None:
    if database:
        os.environ["PITBOARD_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitboard.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        setup_django(getattr(args, "database", None))
        result: int = args.handler(args)
        return result
    except CommandError as exc:
        print(f"pitboard: {exc}", file=sys.stderr)
        return exc.status
    except BrokenPipeError:
        # The reader went away (`pitboard … | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("pitboard: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError):
            print(f"pitboard: database error: {_one_line(exc)}", file=sys.stderr)
            return 1
        if isinstance(exc, ValueError) and "database URL" in str(exc):
            print(f"pitboard: {exc}", file=sys.stderr)
            return 2
        raise


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if "no such table" in text or "does not exist" in text:
        return f"{text} (is the database initialized? run: pitboard init)"
    return text
