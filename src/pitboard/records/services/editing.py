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

from pitboard.records.models import Source
from pitboard.records.services import statements
from pitboard.records.services.statements import Table

EDITOR = "editor"


def record_edit(table: Table, owner: int, changed: Mapping[str, Any]) -> None:
    """State *changed* (field → new value, fields as ``table.fields`` names them) about the
    shown row *owner* as an editor's correction, and derive the row again. Who made it is in
    the admin's own log (its history of each record), not on the public pages."""
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
    statements.write(table, EDITOR, source.pk, None, {owner: (values, None)})
