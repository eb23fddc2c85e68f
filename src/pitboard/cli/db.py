"""``pitboard init`` and ``pitboard db stats|refresh-standings|backup|restore``."""

from __future__ import annotations

import argparse
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr
from pitboard.exports import FORMATS


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    init = commands.add_parser("init", parents=[common], help="create or migrate the database")
    init.add_argument(
        "--starter",
        action="store_true",
        help="also load the starter careers (people, statements and the articles they cite)",
    )
    init.add_argument(
        "--careers",
        metavar="FILE",
        help="load this careers file instead of the starter data (implies --starter)",
    )
    init.set_defaults(handler=run_init)

    db = commands.add_parser("db", parents=[common], help="database information")
    db_commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    stats = db_commands.add_parser("stats", parents=[common], help="counts of every record kind")
    stats.add_argument("--format", choices=("table", "json"), default="table")
    stats.set_defaults(handler=run_stats)
    refresh = db_commands.add_parser(
        "refresh-standings",
        parents=[common],
        help="recompute the stored standings and season tallies of stale seasons",
    )
    refresh.add_argument("--all", action="store_true", help="every season, stale or not")
    refresh.set_defaults(handler=run_refresh)
    backup = db_commands.add_parser(
        "backup",
        parents=[common],
        help="copy the whole database to a new file, safely while the site serves",
    )
    backup.add_argument("file", metavar="FILE", help="the backup to write (never overwritten)")
    backup.set_defaults(handler=run_backup)
    restore = db_commands.add_parser(
        "restore",
        parents=[common],
        help="load a backup into this database, which must hold no data",
    )
    restore.add_argument("file", metavar="FILE", help="a file `pitboard db backup` wrote")
    restore.set_defaults(handler=run_restore)
    export = commands.add_parser(
        "export",
        parents=[common],
        help="write every table (results, races, drivers, tracks, standings, sources, and the"
        " record's own for `import dump`) with a manifest of row counts, columns and SHA-256",
    )
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--series", metavar="S[,S…]", help="only these series (slugs)")
    export.add_argument("--out", metavar="DIR", required=True, help="a new or empty folder")
    export.set_defaults(handler=run_export)


def migrate(verbose: bool = False) -> None:
    """Bring the schema up to date (creating the database file for SQLite)."""
    from pitboard.schema import migrate as migrate_schema

    migrate_schema(verbose=verbose)


def run_init(args: argparse.Namespace) -> int:
    from django.db import connection

    migrate()
    stderr.print(f"database ready: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.starter or args.careers:
        from pathlib import Path

        from pitboard.careers.starter import CareersFileError, load

        try:
            loaded = load(Path(args.careers) if args.careers else None)
        except (CareersFileError, OSError) as exc:
            stderr.print(f"careers not loaded: {exc}", markup=False, highlight=False)
            return 1
        stderr.print(
            f"careers: {loaded.people} people ({loaded.people_created} new), "
            f"{loaded.statements_created} statements new, {loaded.statements_changed} changed, "
            f"{loaded.tracks} tracks, {loaded.series} series, {loaded.publications} publications; "
            f"{loaded.reviews} identity reviews queued",
            markup=False,
            highlight=False,
        )
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from pitboard.records.services.catalog import database_counts

    counts = database_counts()
    if args.format == "json":
        print_json(counts)
    else:
        print_table(
            None, [{"records": k, "count": v} for k, v in counts.items()], ["records", "count"]
        )
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    from pitboard.records.models import Season
    from pitboard.records.services.standings import refresh_stale

    if args.all:
        Season.objects.update(standings_stale=True)
    done = refresh_stale()
    rows = sum(n for _, _, n in done)
    stderr.print(f"standings and tallies stored for {len(done)} seasons ({rows} standings rows)")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from pitboard.backup import backup

    return _copy(backup, args.file, "no backup written", "backup written: {path} ({mb} MB, {kind})")


def run_restore(args: argparse.Namespace) -> int:
    from pitboard.backup import restore

    return _copy(restore, args.file, "nothing restored", "restored {path} into {kind} {name}")


def _copy(action: Any, file: str, failed: str, said: str) -> int:
    """Run a backup or a restore, reporting it in one line (or why nothing was written)."""
    from pathlib import Path

    from django.db import connection

    from pitboard.backup import BackupError

    try:
        done = action(Path(file))
    except BackupError as exc:
        raise CommandError(f"{failed}: {exc}") from exc
    name = connection.settings_dict["NAME"]
    line = said.format(path=done.path, mb=f"{done.size / 1e6:.1f}", kind=done.backend, name=name)
    stderr.print(line, markup=False, highlight=False)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pitboard.exports import ExportError, export

    series = [s.strip() for s in (args.series or "").split(",") if s.strip()]
    try:
        manifest = export(args.format, Path(args.out), series)
    except ExportError as exc:
        raise CommandError(f"nothing exported: {exc}") from exc
    print_table(
        f"exported to {args.out}",
        [{k: t[k] for k in ("table", "rows", "file", "bytes")} for t in manifest["tables"]],
        ["table", "rows", "file", "bytes"],
    )
    return 0
