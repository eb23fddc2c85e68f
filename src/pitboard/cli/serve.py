"""``pitboard serve``: the website and the API on gunicorn, a production server."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from pitboard.cli.output import stderr


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    serve = commands.add_parser("serve", parents=[common], help="serve the website and the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    serve.add_argument(
        "--access-log", action="store_true", help="log every request on stdout (off by default)"
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from pitboard.cli.db import migrate

    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    stderr.print(f"serving on http://{args.host}:{args.port}/ with {args.workers} workers")
    # The workers read the same environment: the database URL set by --database travels along.
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pitboard.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            *(["--access-logfile", "-"] if args.access_log else []),
        ],
    )
    return 0  # not reached: gunicorn replaced this process
