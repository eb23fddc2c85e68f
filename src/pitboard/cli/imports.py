"""``pitboard import SOURCE …``: one subcommand per registered importer."""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr

if TYPE_CHECKING:
    from pitboard.importers.base import FileReport

SHOWN_PROBLEMS = 10
EXIT_REJECTED = 3


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    from pitboard.importers import registry

    parser = commands.add_parser("import", parents=[common], help="import results")
    sources = parser.add_subparsers(dest="importer", metavar="SOURCE", required=True)
    for name, entry in registry.IMPORTERS.items():
        sub = sources.add_parser(name, parents=[common], help=entry.help)
        if entry.source_option:
            sub.add_argument(
                "--source",
                dest="target",
                metavar="DIR_OR_URL",
                default=None,
                help=entry.target_help,
            )
        else:
            sub.add_argument("target", metavar="FILE", help=entry.target_help)
        if entry.selects:
            sub.add_argument(
                "--series",
                metavar="SLUG,…",
                default=None,
                help="only these series (comma-separated slugs)",
            )
            sub.add_argument(
                "--seasons",
                metavar="A-B",
                default=None,
                help="only these seasons (one year, or a span such as 2016-2024)",
            )
        sub.add_argument(
            "--dry-run", action="store_true", help="check and count everything, write nothing"
        )
        sub.add_argument(
            "--prune",
            action="store_true",
            help="remove this source's results that the file no longer lists (without it, they "
            "are kept and counted); `pitboard import undo RUN` puts them back",
        )
        sub.add_argument("--format", choices=("table", "json"), default="table")
        sub.set_defaults(handler=run_import)
    dump = sources.add_parser(
        "dump",
        parents=[common],
        help="load an export (`pitboard export`, Parquet, JSON or SQLite) into an empty database",
    )
    dump.add_argument("target", metavar="DIR", help="the folder the export wrote")
    dump.add_argument("--format", choices=("table", "json"), default="table")
    dump.set_defaults(handler=run_dump)
    undo = sources.add_parser(
        "undo",
        parents=[common],
        help="undo one import run: restore what it changed or removed, drop what it added",
    )
    undo.add_argument("run", metavar="RUN", type=int, help="the run's number (pitboard import log)")
    undo.add_argument("--format", choices=("table", "json"), default="table")
    undo.set_defaults(handler=run_undo)
    log = sources.add_parser("log", parents=[common], help="the import runs, newest first")
    log.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    log.add_argument("--format", choices=("table", "json"), default="table")
    log.set_defaults(handler=run_log)


def rejects_folder() -> Path:
    """Beside the database: next to the SQLite file, else the working directory."""
    from django.db import connection

    from pitboard.dburl import sqlite_path

    path = sqlite_path(connection.settings_dict)
    if path is None:
        return Path.cwd() / "pitboard-rejects"
    return path.parent / f"{path.stem}-rejects"


def _slugs(text: str | None) -> list[str] | None:
    slugs = [s.strip().lower() for s in (text or "").split(",") if s.strip()]
    return slugs or None


def _span(text: str | None) -> tuple[int, int] | None:
    """``2016`` or ``2016-2024`` as (first, last); ValueError for anything else."""
    if not text:
        return None
    found = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not found:
        raise ValueError(f"--seasons {text!r}: expected a year or a span such as 2016-2024")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if last < first:
        raise ValueError(f"--seasons {text!r}: the span ends before it starts")
    return first, last


def run_import(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pitboard.cli.db import migrate
    from pitboard.importers import registry
    from pitboard.importers.base import run_import as run
    from pitboard.importers.files import NetworkError

    migrate()
    importer = registry.IMPORTERS[args.importer].load()()
    if getattr(args, "series", None) or getattr(args, "seasons", None):
        try:
            importer.select(_slugs(args.series), _span(args.seasons))
        except ValueError as exc:
            raise CommandError(str(exc), status=2) from exc
    target = args.target or importer.default()
    quiet = args.format == "json"
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=quiet,
    ) as bar:

        def progress(name: str, total: int) -> Callable[[int], None]:
            task = bar.add_task(name, total=total)
            return lambda n: bar.advance(task, n)

        try:
            reports, rejects = run(
                importer,
                target,
                rejects_dir=rejects_folder(),
                dry_run=args.dry_run,
                prune=args.prune,
                progress=progress,
            )
        except NetworkError as exc:
            raise CommandError(
                f"{exc}; without internet, import from a local folder: "
                f"pitboard import {importer.name} --source DIR (or set {importer.source_env})"
            ) from exc
    if args.format == "json":
        print_json(
            {
                "importer": importer.name,
                "run": reports[0].run_id if reports else None,
                "source": target,
                "dry_run": args.dry_run,
                "changed": any(r.changed for r in reports),
                "rejects_file": str(rejects) if rejects else None,
                "files": [r.as_dict() for r in reports],
            }
        )
    else:
        _print_summary(reports, rejects, args.dry_run)
    if any(r.status == "failed" for r in reports):
        return 1
    return EXIT_REJECTED if rejects else 0


def run_dump(args: argparse.Namespace) -> int:
    from pitboard.dumps import DumpError, load

    try:
        done = load(Path(args.target))
    except DumpError as exc:
        raise CommandError(f"nothing loaded: {exc}") from exc
    if args.format == "json":
        print_json(
            {
                "run": done.run,
                "rows": done.rows,
                "seasons": done.seasons,
                "differing": done.differing,
            }
        )
        return 0
    print_table(
        f"loaded {args.target} (run {done.run})",
        [{"table": t, "rows": n} for t, n in done.rows.items() if n],
        ["table", "rows"],
    )
    stderr.print(f"standings, tallies and milestones computed for {done.seasons} seasons")
    if done.differing:
        shown = ", ".join(done.differing[:10]) + (" …" if len(done.differing) > 10 else "")
        stderr.print(
            f"{len(done.differing)} seasons' standings differ from the export's, computed by"
            f" this version's rules: {shown}",
            markup=False,
            highlight=False,
        )
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from pitboard.cli.db import migrate
    from pitboard.officials.changes import ChangeError, revert
    from pitboard.records.models import ImportRun

    migrate()
    try:
        # A revert of the audit trail: recorded as a change of its own, from the command line.
        done = revert(None, args.run, channel=ImportRun.Channel.CLI)
    except (ChangeError, LookupError) as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(done)
    else:
        stderr.print(
            f"run {args.run} undone: {done['restored']} statements restored, "
            f"{done['dropped']} it added dropped; {done['results_removed']} results and "
            f"{done['races_removed']} races that only it had stated removed"
        )
        made = ", ".join(f"{n} {kind}" for kind, n in done["records_removed"].items())
        if made:
            stderr.print(f"records it had made, now unused, removed: {made}")
    return 0


def run_log(args: argparse.Namespace) -> int:
    from pitboard.cli.db import migrate
    from pitboard.records.services.undo import import_log

    migrate()
    runs = import_log(max(1, args.limit))
    if args.format == "json":
        print_json({"runs": runs})
    else:
        print_table(
            None, runs, ["run", "importer", "target", "status", "started_at", "changed", "message"]
        )
    return 0


def _print_summary(reports: list[FileReport], rejects: Path | None, dry_run: bool) -> None:
    columns = [
        "file",
        "status",
        "read",
        "inserted",
        "updated",
        "unchanged",
        "removed",
        "kept",
        "rejected",
    ]
    rows = [{**r.as_dict(), "rejected": len(r.rejected)} for r in reports]
    print_table("dry run: nothing written" if dry_run else None, rows, columns)
    created: Counter[str] = Counter()
    for report in reports:
        created.update(report.created)
    made = ", ".join(f"{n} {kind}" for kind, n in sorted(created.items()) if n)
    races = sum(r.races_updated for r in reports)
    if made:
        stderr.print(f"new records: {made}")
    if races:
        stderr.print(f"races updated: {races}")
    for report in reports:
        if report.error and report.status == "skipped":
            stderr.print(f"[yellow]skipped[/]: {report.error}")
        elif report.error:
            stderr.print(f"[red]failed[/]: {report.error}")
        for problem in (p for p in report.remarks if p.where.row is None):
            stderr.print(f"note: {problem}")
        row_remarks = [p for p in report.remarks if p.where.row is not None]
        counts = Counter(p.reason for p in row_remarks) | report.remark_counts
        for reason, count in counts.most_common():
            examples = [p for p in row_remarks if p.reason == reason][:3]
            where = "; ".join(str(p.where) for p in examples)
            stderr.print(f"note: {report.file}: {reason}: {count} rows (e.g. {where})")
        for problem in report.rejected[:SHOWN_PROBLEMS]:
            stderr.print(f"[yellow]rejected[/]: {problem}")
        if len(report.rejected) > SHOWN_PROBLEMS:
            stderr.print(f"… and {len(report.rejected) - SHOWN_PROBLEMS} more rejected rows")
    if rejects:
        stderr.print(f"all rejected rows, with their original values: {rejects}")
    if not any(r.changed for r in reports) and not any(r.status == "failed" for r in reports):
        stderr.print("nothing changed: the database already holds these results")
    elif not dry_run and any(r.changed for r in reports) and reports[0].run_id is not None:
        run = reports[0].run_id
        stderr.print(f"import run {run}: `pitboard import undo {run}` reverts it")
