"""The data version: raised by every change to the record, read once per cached request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import F

from pitboard.records.models import DataVersion

ROW = 1


def current() -> tuple[int, datetime]:
    """The data version and when it last changed (version 0 for a database never written)."""
    row = DataVersion.objects.filter(pk=ROW).values_list("number", "changed_at").first()
    if row is None:
        return 0, datetime(2000, 1, 1, tzinfo=UTC)
    return row


def bump() -> None:
    """Note that the data changed: every cached page and document from before is stale."""
    now = datetime.now(UTC)
    if not DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1, changed_at=now):
        DataVersion.objects.get_or_create(pk=ROW, defaults={"number": 1, "changed_at": now})
