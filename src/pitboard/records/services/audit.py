"""A change of the audit trail made at once (not by an import): a penalty, an admin's edit, a
revert. Imports record theirs as they run (``importers.base.run_import``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from pitboard.records.models import ImportRun


def recorded(
    what: str,
    target: str,
    *,
    user: Any,
    channel: str,
    series: Iterable[int],
    reason: str = "",
    counts: dict[str, Any] | None = None,
    **fields: Any,
) -> ImportRun:
    """The run standing for one change by *user* (None or anonymous: the command line) of
    *series* (ids); *fields*: more of the run's (``given``, ``reverts``, ``source``)."""
    now = timezone.now()
    run = ImportRun.objects.create(
        importer=what,
        target=target,
        started_at=now,
        finished_at=now,
        status=ImportRun.Status.SUCCEEDED,
        user=user if user is not None and user.is_authenticated else None,
        channel=channel,
        reason=reason.strip(),
        counts={"changed": True, **(counts or {})},
        **fields,
    )
    run.series.set(list(series))
    return run
