"""Corrections made by hand (in the admin), kept as an editor's own statements.

A shown result or race is derived from its sources' statements. A field an editor changes by
hand is stated by the dataset ``editor``, first in ``data/precedence.toml``: the correction is
shown, stays when any source is imported again, and ``pitboard sources conflicts`` lists it
beside what the sources say. Clearing a field states nothing: the sources' value shows again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from pitboard.records.models import ImportRun, Race, Result, Source
from pitboard.records.services import statements
from pitboard.records.services.audit import recorded
from pitboard.records.services.statements import Table

EDITOR = "editor"


def record_edit(table: Table, owner: int, changed: Mapping[str, Any], user: Any = None) -> None:
    """State *changed* (field → new value, fields as ``table.fields`` names them) about the
    shown row *owner* as an editor's correction, and derive the row again. The edit is a change
    of the audit trail (who, through the admin, the values before and after), which
    ``pitboard changes revert`` undoes; it is not on the public pages."""
    # as a source's statement holds them: no text is no statement, stages and money as the
    # frame gives them
    values = table.normalize(
        tuple(changed.get(f) if changed.get(f) != "" else None for f in table.fields)
    )
    if all(v is None for v in values):
        return
    source, _ = Source.objects.get_or_create(
        dataset=EDITOR,
        uri="admin",
        sha256="",
        defaults={
            "retrieved_at": timezone.now(),
            "citation": "corrected by hand by pitboard's editors",
        },
    )
    shown = Result.objects if table.name == "result" else Race.objects
    field = "race__season__series" if table.name == "result" else "season__series"
    run = recorded(
        "edit",
        f"{table.name} {owner}",
        user=user,
        channel=ImportRun.Channel.ADMIN,
        series=shown.filter(pk=owner).values_list(field, flat=True),
        source=source,
    )
    statements.write(table, EDITOR, source.pk, run.pk, {owner: (values, None)})
