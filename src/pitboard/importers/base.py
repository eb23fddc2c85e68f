"""What every importer shares: the registry, the per-file report and the run that writes it.

An importer turns one input file into the frame that ``results_writer`` takes; the run around it
gives every file its own transaction, its own source record and report, logs the attempt, and
writes every rejected row, with all its original values, to a CSV beside the database.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import pickle
import socket
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import psycopg
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from pitboard.importers import worker
from pitboard.importers.files import InputFile, chunk_rows, count_rows, read_chunks
from pitboard.importers.problems import (
    FileError,
    Location,
    NeedsDatabase,
    Problem,
    SkippedFile,
)
from pitboard.importers.table import header_key
from pitboard.records.models import (
    ImportRun,
    RaceStatement,
    ResultStatement,
    Series,
    Source,
)
from pitboard.records.services.results_writer import (
    CREATED,
    WriteOutcome,
    settle_missing,
    write_race_facts,
    write_results,
)
from pitboard.records.services.standings import mark_stale, refresh_deferred, refresh_stale


@dataclass
class FileReport:
    file: str
    status: str = "imported"  # imported, failed, skipped
    run_id: int | None = None
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # results this source no longer lists, kept (prune removes them)
    joined: int = 0  # results another source holds that this file stated too
    created: Counter[str] = field(default_factory=Counter)
    races_updated: int = 0
    error: str | None = None
    rejected: list[Problem] = field(default_factory=list)
    remarks: list[Problem] = field(default_factory=list)
    originals: dict[int, dict[str, Any]] = field(default_factory=dict)  # rejected rows as given
    remark_counts: Counter[str] = field(default_factory=Counter)  # remarks on rows, by reason
    columns: list[str] = field(default_factory=list)  # the file's columns, for the rejects CSV
    seasons: set[tuple[str, int]] = field(default_factory=set)  # (series, year) it changed

    @property
    def changed(self) -> bool:
        return bool(
            self.inserted
            or self.updated
            or self.removed
            or self.races_updated
            or sum(self.created.values())
        )

    def as_dict(self) -> dict[str, Any]:
        remarks = Counter(p.reason for p in self.remarks) | self.remark_counts
        return {
            "file": self.file,
            "status": self.status,
            "error": self.error,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "kept": self.kept,
            "joined": self.joined,
            "rejected": len(self.rejected),
            "created": dict(sorted(self.created.items())),
            "races_updated": self.races_updated,
            "rejects": [
                {"row": p.where.row, "column": p.where.column, "reason": p.reason, "value": p.value}
                for p in self.rejected
            ],
            "remarks": [
                {
                    "reason": reason,
                    "count": count,
                    "rows": [p.where.row for p in self.remarks if p.reason == reason][:20],
                }
                for reason, count in remarks.most_common()
            ],
        }


@dataclass
class Prepared:
    """A file turned into writer rows, with the rows it rejected and remarks on the rest."""

    frame: pd.DataFrame
    series: dict[str, str]  # slug → name, for series the file may create
    rejected: list[Problem]
    remarks: list[Problem]
    # A schedule without results: a row per race, its facts stated on races already held
    # (``write_race_facts``); *frame* is then empty.
    races: pd.DataFrame | None = None


@dataclass
class Member:
    """A file of a batch written in one transaction: read whole and prepared, or the error that
    stands for it."""

    item: InputFile
    raw: pd.DataFrame
    prepared: Prepared | FileError


class Importer:
    """One source of results. Subclasses set ``name`` and ``dataset`` and implement the hooks."""

    name: ClassVar[str]
    dataset: ClassVar[str]
    race_columns: ClassVar[tuple[str, ...]]  # the file's columns that name a race
    license: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    source_env: ClassVar[str] = ""
    # Whether one race may be listed by two series' files (a combination race, one race that
    # counts for both championships): see results_writer.write_results.
    combinations: ClassVar[bool] = False

    def default(self) -> str:
        """The target used when none is given."""
        raise NotImplementedError

    def inputs(self, target: str) -> Iterator[InputFile | FileError]:
        """The files to import for *target*, or the error that stands for a missing one."""
        raise NotImplementedError

    def select(self, series: list[str] | None, seasons: tuple[int, int] | None) -> None:
        """Import only these series (slugs) and seasons; ValueError names what is unknown."""
        raise ValueError(f"{self.name} files cannot be selected by series or season")

    def read(self, item: InputFile, rows: int) -> Iterator[pd.DataFrame]:
        """The file's rows, *rows* at a time (an importer that read the file already may give
        what it read)."""
        return read_chunks(item, rows)

    def prepare(self, raw: pd.DataFrame, source: InputFile) -> Prepared:
        raise NotImplementedError

    def batch(self, item: InputFile) -> list[InputFile] | None:
        """*item* and the files to write with it in one transaction (``write_batch``); None
        to import *item* alone, a chunk at a time."""
        return None

    def read_batch(self, items: list[InputFile], *, ahead: bool = False) -> list[Member] | None:
        """A ``batch``'s files read whole and prepared (the first ones, where one does not
        read whole); None if the first does not. *ahead*: read before the batches before it
        are written, without the database (``NeedsDatabase`` where preparing needs it)."""
        raise NotImplementedError

    def following(self, item: InputFile) -> list[InputFile]:
        """The inputs after *item*, in the order ``inputs`` gives them, where they are known
        beforehand (the next batch is then read ahead: ``Ahead``)."""
        return []

    def series(self, prepared: Prepared, source: Source) -> dict[str, Series]:
        """The series records of a prepared file, created if need be (inside its transaction)."""
        raise NotImplementedError


ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass(frozen=True)
class Audit:
    """Who makes a run, through what and why: the command line is nobody in particular."""

    user_id: int | None = None
    channel: str = ImportRun.Channel.CLI
    reason: str = ""
    given: Any = None  # what an official sent (site, API), kept as sent


CLI = Audit()
DATABASE_ERRORS = (DatabaseError, psycopg.Error)


def run_import(
    importer: Importer,
    target: str,
    *,
    rejects_dir: Path,
    dry_run: bool = False,
    prune: bool = False,
    progress: ProgressFactory | None = None,
    audit: Audit = CLI,
    bulk: bool = True,
) -> tuple[list[FileReport], Path | None]:
    """Import every file of *target*; returns the reports and the rejects CSV, if any.

    The rejects CSV is rewritten as each file commits, so a run that dies keeps the rejects of
    the files it committed; the next run marks it interrupted. *bulk*: refresh the planner's
    statistics afterwards (not for one race's entries: the tables hardly change).
    """
    mark_interrupted()
    run = ImportRun.objects.create(
        importer=importer.name,
        target=target,
        started_at=timezone.now(),
        host=socket.gethostname(),
        pid=os.getpid(),
        pruned=prune,
        user_id=audit.user_id,
        channel=audit.channel,
        reason=audit.reason,
        given=audit.given,
    )
    reports: list[FileReport] = []
    rejects: Path | None = None
    written: set[str] = set()  # files a batch took along
    ahead = Ahead(importer)
    try:
        # Seasons are computed once, after the last file, not as each file commits.
        with refresh_deferred():
            for item in importer.inputs(target):
                if isinstance(item, FileError):
                    status = "skipped" if isinstance(item, SkippedFile) else "failed"
                    reports.append(FileReport(item.where.file, status, error=str(item)))
                    continue
                if item.name in written:
                    continue
                batch = ahead.together(item, written)
                if batch is None:
                    done = [_import_file(importer, item, run, dry_run, prune, progress)]
                else:
                    done = write_batch(importer, batch, run, dry_run, prune, progress)
                    written.update(member.item.name for member in batch)
                for report in done:
                    report.run_id = run.pk
                reports += done
                if any(report.rejected for report in done):
                    rejects = _write_rejects(reports, rejects_dir, run.pk)
                    ImportRun.objects.filter(pk=run.pk).update(rejects_file=str(rejects))
    except BaseException as exc:
        ahead.close()
        # Files already imported stay imported: their rejected rows are written out already.
        interrupted = isinstance(exc, KeyboardInterrupt | SystemExit)
        run.rejects_file = str(rejects or "")
        run.status = ImportRun.Status.INTERRUPTED if interrupted else ImportRun.Status.FAILED
        run.message, run.finished_at = str(exc) or type(exc).__name__, timezone.now()
        run.counts = {"files": [r.as_dict() for r in reports]}
        run.save()
        raise
    ahead.close()
    failed = any(r.status == "failed" for r in reports)
    partial = any(r.rejected for r in reports)
    run.status = (
        ImportRun.Status.FAILED
        if failed
        else ImportRun.Status.PARTIAL
        if partial
        else ImportRun.Status.SUCCEEDED
    )
    run.finished_at = timezone.now()
    run.counts = {
        "changed": not dry_run and any(r.changed for r in reports),
        "files": [{k: v for k, v in r.as_dict().items() if k != "rejects"} for r in reports],
    }
    run.rejects_file = str(rejects or "")
    run.message = "; ".join(r.error for r in reports if r.error)
    run.save()
    if run.counts["changed"]:
        # The series it changed, for the audit trail: of the seasons whose shown rows it
        # changed, and of the races whose statements it wrote (a value it stated as another
        # source already did changes no shown row).
        slugs = {slug for r in reports for slug, _ in r.seasons}
        run.series.set(
            Series.objects.filter(
                Q(slug__in=slugs)
                | Q(pk__in=ResultStatement.objects.filter(run_id=run.pk).values(
                    "result__race__season__series_id"
                ))
                | Q(pk__in=RaceStatement.objects.filter(run_id=run.pk).values(
                    "race__season__series_id"
                ))
            ).values_list("pk", flat=True)
        )  # fmt: skip
        # The stored standings and tallies of every season the run touched, computed now so
        # that no page view has to (the run's last write may have linked a season it made);
        # then the planner's statistics, of them too.
        refresh_stale()
        if bulk:
            analyze()
    return reports, rejects


def analyze() -> None:
    """Refresh the planner's statistics after a bulk write, so that the next queries are
    planned for the tables as they now are, not as they were (PostgreSQL's autovacuum would
    get there later; SQLite's planner has no statistics until asked); on PostgreSQL, sweep the
    tallies' dead rows too (outside a transaction only: VACUUM cannot run in one). SQLite
    samples at most 1,000 rows an index, which keeps this to milliseconds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not connection.in_atomic_block:
                # A season's tallies are written, then completed in place (places, teams,
                # finishes): each row leaves up to four dead versions that a driver page's
                # index scan would step over until autovacuum came by.
                cursor.execute("VACUUM records_seasontally")
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")


class _DryRun(Exception):
    pass


Batch = list["Member"] | None  # a batch's files read and prepared (Importer.read_batch)
AT_ITS_TURN = "at its turn"  # a batch that can only be read when the run reaches it
AHEAD_FILES = 20  # files still to come for a run to read ahead in a worker process
AHEAD_BATCHES = 2  # batches read ahead at most (each is held in memory until written)


class Ahead:
    """The importer's batches (``Importer.batch``), the next ones read and prepared in a worker
    process while the run writes this one: preparing is pandas work without the database, and
    the write leaves the second core idle. Started for a run with at least ``AHEAD_FILES``
    files to come, on a machine of more than one core; should the worker fail or not start,
    each batch is prepared here instead."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.pool: ProcessPoolExecutor | None = None
        # first file → (the batch's files, their reading), in the order the run takes them;
        # the reading is the worker's, or done here while waiting for an earlier one
        self.coming: dict[str, tuple[list[InputFile], Future[Batch] | Batch | str]] = {}
        self.broken = False

    def together(self, item: InputFile, written: set[str]) -> Batch:
        """*item*'s batch, read and prepared; None to import *item* alone."""
        ready = self.coming.pop(item.name, None)
        plan = ready[0] if ready else self.importer.batch(item)
        if plan is None:
            return None
        # The worker goes on with the next batches while this one is read or written.
        self._plan_ahead(plan[-1], written | {i.name for i in plan})
        reading = AT_ITS_TURN if ready is None else ready[1]
        if isinstance(reading, str):
            return self.importer.read_batch(plan)
        if not isinstance(reading, Future):
            return reading
        while not reading.done() and self._steal():
            pass
        try:
            return reading.result()
        except NeedsDatabase:
            return self.importer.read_batch(plan)
        except BrokenProcessPool:
            self.close()
            self.broken = True
            return self.importer.read_batch(plan)

    def _steal(self) -> bool:
        """Read a later batch here, one the worker has not started: something to do while
        waiting for it. False when there is none."""
        for first, (plan, reading) in self.coming.items():
            if isinstance(reading, Future) and reading.cancel():
                try:
                    self.coming[first] = (plan, self.importer.read_batch(plan, ahead=True))
                except NeedsDatabase:
                    self.coming[first] = (plan, AT_ITS_TURN)
                return True
        return False

    def _plan_ahead(self, last: InputFile, taken: set[str]) -> None:
        later = [i for i in self.importer.following(last) if i.name not in taken]
        if self.pool is None and len(later) < AHEAD_FILES:
            return  # a worker takes a second or so to start: not worth it for a few files
        for files, _ in self.coming.values():
            taken |= {i.name for i in files}
        for item in later:
            if len(self.coming) >= AHEAD_BATCHES:
                return
            if item.name in taken:
                continue
            plan = self.importer.batch(item)
            if plan is None:
                continue  # imported alone when the run reaches it
            pool = self._pool()
            if pool is None:
                return
            try:
                future = pool.submit(worker.read_batch, plan)
            except (OSError, RuntimeError, BrokenProcessPool):
                self.close()  # no worker (this process cannot start one): prepared here
                self.broken = True
                return
            self.coming[item.name] = (plan, future)
            taken |= {i.name for i in plan}

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.pool is None and not self.broken and (os.cpu_count() or 1) > 1:
            # On Linux a fork of this process, ready at once (it never touches the database
            # connection it inherits, and ends without closing it); elsewhere a fresh one.
            method = "fork" if sys.platform == "linux" else "spawn"
            self.pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context(method),
                initializer=worker.start,
                initargs=(pickle.dumps(self.importer),),
            )
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.coming = {}


def mark_interrupted() -> int:
    """Runs this machine started that are still "running" but whose process is gone."""
    host = socket.gethostname()
    dead = [
        pk
        for pk, pid in ImportRun.objects.filter(
            status=ImportRun.Status.RUNNING, host=host
        ).values_list("pk", "pid")
        if pid is None or not _alive(pid)
    ]
    return ImportRun.objects.filter(pk__in=dead).update(
        status=ImportRun.Status.INTERRUPTED,
        message="the process ended before the run finished",
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _import_file(
    importer: Importer,
    item: InputFile,
    run: ImportRun,
    dry_run: bool,
    prune: bool,
    progress: ProgressFactory | None,
) -> FileReport:
    """One file in one transaction, read and written a chunk of whole races at a time."""
    report = FileReport(item.name)
    outcome = WriteOutcome()
    seen_remarks: set[tuple[str | None, str]] = set()
    try:
        try:
            with transaction.atomic():
                (source,) = _sources(importer, [item])
                tick = progress(item.name, count_rows(item) or 0) if progress else None
                run_id = None if dry_run else run.pk
                for raw in race_chunks(importer, item):
                    report.read += len(raw)
                    prepared = importer.prepare(raw, item)
                    _keep_rejects(report, raw, prepared.rejected)
                    _keep_remarks(report, prepared.remarks, seen_remarks)
                    series = importer.series(prepared, source)
                    if prepared.races is not None:
                        facts = write_race_facts(prepared.races, series, source, run_id)
                        outcome.races_updated += facts.changed
                        outcome.seasons_changed |= facts.seasons
                        said = Problem(
                            Location(item.name, csv=item.csv),
                            f"{facts.stated} races held from another source carry this file's "
                            "date, length and surface",
                        )
                        missed = [
                            Problem(Location(item.name, row, None, item.csv), f"not stated: {why}")
                            for row, why in facts.unknown
                        ]
                        _keep_remarks(report, [said, *missed], seen_remarks)
                        if tick:
                            tick(len(raw))
                        continue
                    done = write_results(
                        prepared.frame,
                        series,
                        source,
                        tick,
                        run_id=run_id,
                        combinations=importer.combinations,
                    )
                    rejected = _take(report, item, raw, done, source.pk, seen_remarks)
                    # A chunk holds its races whole: what this source no longer lists in them
                    # is settled now, and nothing about the rest of the file is kept in memory.
                    pruning = prune and not prepared.rejected and not rejected
                    outcome.add(_settle(source, run_id, done, pruning))
                    done.stated, done.known, done.accounts = set(), {}, {}
                    outcome.add(done)
                mark_stale(outcome.seasons_changed)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        if not run.source_id and not dry_run:
            run.source = source
    except FileError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    except DATABASE_ERRORS as exc:
        # A value the checks let through and the database refused: the file is rolled back.
        report.status, report.error = "failed", _refused(item, exc)
        return report
    _finish(report, item, outcome, prune, dry_run)
    return report


def write_batch(
    importer: Importer,
    members: list[Member],
    run: ImportRun,
    dry_run: bool,
    prune: bool,
    progress: ProgressFactory | None,
) -> list[FileReport]:
    """Files read whole and prepared together, written in one transaction as one frame: what a
    write costs whatever its size (finding the names, the races, the statements) is paid once
    for the batch, not once per file of a few hundred rows.

    Each file keeps its own source record, report, rejects and remarks; each statement cites its
    own file and row; each file's new driver keys are resolved as if it were written alone, in
    order (``naming.drivers``). Should the database refuse the batch, its files are written
    again one at a time, so that only the file it refuses fails."""
    reports = [FileReport(m.item.name) for m in members]
    good = [
        (m, report, m.prepared)
        for m, report in zip(members, reports, strict=True)
        if not isinstance(m.prepared, FileError)
    ]
    for m, report in zip(members, reports, strict=True):
        if isinstance(m.prepared, FileError):
            report.status, report.error = "failed", str(m.prepared)
    if not good:
        return reports
    outcomes: list[tuple[Source, WriteOutcome]] = []
    try:
        try:
            with transaction.atomic():
                outcomes = _write_members(importer, good, run, dry_run, prune, progress)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    except DATABASE_ERRORS as exc:
        if len(good) == 1:
            ((m, report, _),) = good
            report.status, report.error = "failed", _refused(m.item, exc)
            return reports
        alone = {
            m.item.name: write_batch(importer, [m], run, dry_run, prune, progress)[0]
            for m, _, _ in good
        }
        return [alone.get(r.file, r) for r in reports]
    for (m, report, _), (source, outcome) in zip(good, outcomes, strict=True):
        _finish(report, m.item, outcome, prune, dry_run)
        if not run.source_id and not dry_run:
            run.source = source
    return reports


def _write_members(
    importer: Importer,
    good: list[tuple[Member, FileReport, Prepared]],
    run: ImportRun,
    dry_run: bool,
    prune: bool,
    progress: ProgressFactory | None,
) -> list[tuple[Source, WriteOutcome]]:
    """``write_batch``'s work inside its transaction: per file, its source record and what the
    write did to it."""
    run_id = None if dry_run else run.pk
    sources = _sources(importer, [m.item for m, _, _ in good])
    series: dict[str, Series] = {}
    seen_remarks: list[set[tuple[str | None, str]]] = []
    for (m, report, prepared), source in zip(good, sources, strict=True):
        report.read = len(m.raw)
        seen_remarks.append(set())
        _keep_rejects(report, m.raw, prepared.rejected)
        _keep_remarks(report, prepared.remarks, seen_remarks[-1])
        if set(prepared.series) - series.keys():  # the first file to name a series brings it
            series.update(importer.series(prepared, source))
    first, last = good[0][0].item.name, good[-1][0].item.name
    label = first if len(good) == 1 else f"{first} … {last} ({len(good)} files)"
    tick = progress(label, sum(len(m.raw) for m, _, _ in good)) if progress else None
    frame = pd.concat(
        [p.frame.assign(source_id=s.pk) for (_, _, p), s in zip(good, sources, strict=True)],
        ignore_index=True,
    )
    done = write_results(
        frame, series, sources, tick, run_id=run_id, combinations=importer.combinations
    )
    outcomes = done.split([s.pk for s in sources])
    seasons = set(done.seasons_changed)
    for i, ((m, report, prepared), source) in enumerate(zip(good, sources, strict=True)):
        rejected = _take(report, m.item, m.raw, done, source.pk, seen_remarks[i])
        mine = outcomes[i]
        pruning = prune and not prepared.rejected and not rejected
        settled = _settle(source, run_id, mine, pruning)
        seasons |= settled.seasons_changed
        mine.add(settled)
    mark_stale(seasons)
    for mine in outcomes:
        mine.seasons_changed = seasons  # one transaction: the run changed them all
    return list(zip(sources, outcomes, strict=True))


def _take(
    report: FileReport,
    item: InputFile,
    raw: pd.DataFrame,
    done: WriteOutcome,
    source_id: int,
    seen_remarks: set[tuple[str | None, str]],
) -> list[Problem]:
    """Into *report*, the remarks and rejected rows that a write gave this file; returns the
    rejected rows."""
    _keep_remarks(
        report,
        [
            Problem(
                Location(item.name, csv=item.csv),
                f"line {row} on: a combination race, the same race as {held}; "
                "it counts for this series too, and these rows are this "
                "series' account of it (its points)",
            )
            for sid, row, held in done.combined
            if sid == source_id
        ],
        seen_remarks,
    )
    if done.same_cars[source_id]:
        report.remark_counts[SAME_CARS] += done.same_cars[source_id]
    rejected = [
        Problem(Location(item.name, row, column, item.csv), reason, value)
        for sid, row, column, reason, value in done.rejected
        if sid == source_id
    ]
    _keep_remarks(
        report,
        [
            Problem(Location(item.name, row, column, item.csv), reason, value)
            for sid, row, column, reason, value in done.remarks
            if sid == source_id
        ],
        seen_remarks,
    )
    _keep_rejects(report, raw, rejected)
    return rejected


def _settle(source: Source, run_id: int | None, done: WriteOutcome, prune: bool) -> WriteOutcome:
    """What *source* no longer lists in the races it was written whole for: its own statements,
    and its series' own accounts of combination races."""
    out = settle_missing(source, run_id, done.known, done.stated, prune=prune)
    for dataset, (known, stated) in done.accounts.items():
        out.add(settle_missing(source, run_id, known, stated, prune=prune, dataset=dataset))
    return out


def _refused(item: InputFile, exc: Exception) -> str:
    reason = " ".join(str(exc).split())
    return f"{item.name}: the database refused it: {reason}"


def _finish(
    report: FileReport, item: InputFile, outcome: WriteOutcome, prune: bool, dry_run: bool
) -> None:
    """The file's counts from what writing it did, with the remarks they call for."""
    report.rejected.sort(key=lambda p: p.where.row or 0)
    report.inserted = outcome.results["inserted"]
    report.updated = outcome.results["updated"]
    report.unchanged = outcome.results["unchanged"]
    report.removed = outcome.results["removed"]
    report.kept = outcome.results["kept"]
    report.joined = outcome.results["joined"]
    if report.kept:
        why = (
            "because some of its rows were rejected"
            if prune
            else "(would remove them: use --prune)"
        )
        report.remarks.append(
            Problem(
                Location(item.name, csv=item.csv),
                f"{report.kept} stored results of {len(outcome.stale_races)} races that this "
                f"file no longer lists were kept {why}",
            )
        )
    if report.joined:
        report.remarks.append(
            Problem(
                Location(item.name, csv=item.csv),
                f"{report.joined} results that another source holds now carry this file's "
                "statement too; where the two disagree, both values are kept "
                "(pitboard sources conflicts)",
            )
        )
    report.seasons = set(outcome.seasons_changed)
    report.created = Counter(dict.fromkeys(CREATED, 0))
    report.created.update(outcome.created)
    report.races_updated = outcome.races_updated
    if dry_run:
        report.status = "checked"


def race_chunks(importer: Importer, item: InputFile) -> Iterator[pd.DataFrame]:
    """The file's rows in chunks that each hold whole races.

    The rows of the last race of a chunk wait for the next one, so a race is checked and
    written at once; a race whose rows come back after other races' is refused (the file must
    then be sorted by race), since its entries could not be told apart from removed ones.
    """
    carry: pd.DataFrame | None = None
    done: set[int] = set()
    size = chunk_rows()
    # CSV chunks are exactly *size* rows but the last, and JSON is read whole; Parquet batches
    # end at row groups, so a short one says nothing there.
    exact = item.path.suffix.lower() in (".csv", ".json")
    for chunk in importer.read(item, size):
        whole = exact and not done and carry is None and len(chunk) < size
        if carry is not None and len(carry):
            chunk = pd.concat([carry, chunk])
        columns = _race_columns(importer, chunk)
        if not columns or not len(chunk) or whole:
            # A file shorter than a chunk holds its races whole: nothing to carry or check.
            carry = None
            yield chunk
            continue
        keys = pd.util.hash_pandas_object(chunk[columns].astype("string"), index=False)
        back = keys.isin(list(done))
        if back.any():
            row = int(chunk.index[int(np.argmax(back.to_numpy()))]) + 1
            raise FileError(
                Location(item.name, row, columns[-1], item.csv),
                "this race's rows continue after other races': sort the file by race",
            )
        tail = (keys == keys.iloc[-1]).to_numpy()
        carry = chunk[tail]
        if (~tail).any():
            done.update(int(k) for k in keys[~tail].unique())
            yield chunk[~tail]
    if carry is not None and len(carry):
        yield carry


def _race_columns(importer: Importer, frame: pd.DataFrame) -> list[str]:
    """The file's own headers for the importer's race key columns (empty if any is missing)."""
    by_key = {header_key(str(h)): h for h in frame.columns}
    found = [by_key.get(header_key(c)) for c in importer.race_columns]
    return [str(c) for c in found if c is not None] if all(found) else []


REMARKS_KEPT = 20  # rows kept per kind of remark: the count is reported, not every row


SAME_CARS = (
    "rows of combination races whose driver key the race does not hold: put on the car of the "
    "same finishing position (two keys of one person that identity did not join)"
)


def _keep_remarks(
    report: FileReport, remarks: list[Problem], seen: set[tuple[str | None, str]]
) -> None:
    """A remark about the file (no row) once, whatever the number of chunks; remarks about rows
    counted, with the first rows of each kind kept as examples (memory stays bounded)."""
    for problem in remarks:
        if problem.where.row is None:
            key = (problem.where.column, problem.reason)
            if key not in seen:
                seen.add(key)
                report.remarks.append(problem)
            continue
        report.remark_counts[problem.reason] += 1
        if report.remark_counts[problem.reason] <= REMARKS_KEPT:
            report.remarks.append(problem)


def _keep_rejects(report: FileReport, raw: pd.DataFrame, problems: list[Problem]) -> None:
    """Rejected rows with every value as given: only these stay in memory, not the file."""
    report.rejected += problems
    for problem in problems:
        row = problem.where.row
        if row is not None and row - 1 in raw.index and row not in report.originals:
            original = raw.loc[row - 1]
            report.originals[row] = {
                str(c): "" if pd.isna(v) else v for c, v in original.to_dict().items()
            }
    for column in raw.columns:
        if problems and str(column) not in report.columns:
            report.columns.append(str(column))


def _sources(importer: Importer, items: list[InputFile]) -> list[Source]:
    """The source record of each file (dataset, address and checksum), found or created at
    once."""
    found = {
        (s.uri, s.sha256): s
        for s in Source.objects.filter(dataset=importer.dataset, uri__in=[i.uri for i in items])
    }
    now = timezone.now()
    new = [
        Source(
            dataset=importer.dataset,
            uri=i.uri,
            sha256=i.sha256,
            retrieved_at=now,
            license=importer.license,
            citation=importer.citation,
        )
        for i in items
        if (i.uri, i.sha256) not in found
    ]
    found.update({(s.uri, s.sha256): s for s in Source.objects.bulk_create(new)})
    return [found[i.uri, i.sha256] for i in items]


def _write_rejects(reports: list[FileReport], folder: Path, run_id: int) -> Path | None:
    """All rejected rows of the run, each with its reason and every original value."""
    rejected = [(r, p) for r in reports for p in r.rejected]
    if not rejected:
        return None
    columns: list[str] = []
    for report in reports:
        columns += [c for c in report.columns if c not in columns]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"rejects-{run_id}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "reason", "value", *columns])
        for report, problem in rejected:
            original = report.originals.get(problem.where.row or 0, {})
            writer.writerow(
                [
                    problem.where.file,
                    problem.where.row,
                    problem.where.column or "",
                    problem.reason,
                    problem.value,
                    *(original.get(c, "") for c in columns),
                ]
            )
    return path
