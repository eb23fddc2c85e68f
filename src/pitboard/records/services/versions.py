"""The data version: raised by every change to the record, read once per cached request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import F

from pitboard.records.models import DataVersion

ROW = 1


def current() -> tuple[int, datetime]:
    """The data version and when it last changed (version 0 for a database never written).

    Read on every request, as plain SQL: building the query through the ORM cost five times
    what running it does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, changed_at FROM records_dataversion WHERE id = %s", [ROW])
        row = cursor.fetchone()
    if row is None:
        return 0, datetime(2000, 1, 1, tzinfo=UTC)
    number, changed_at = row
    if changed_at.tzinfo is None:  # SQLite keeps the time in UTC, without its zone
        changed_at = changed_at.replace(tzinfo=UTC)
    return number, changed_at


def bump() -> None:
    """Note that the data changed: every cached page and document from before is stale."""
    now = datetime.now(UTC)
    if not DataVersion.objects.filter(pk=ROW).update(number=F("number") + 1, changed_at=now):
        DataVersion.objects.get_or_create(pk=ROW, defaults={"number": 1, "changed_at": now})


def follow_scoring() -> bool:
    """Mark every season's stored standings stale if what they were computed from (the scoring
    code, rule sets, facts: ``points.scoring_digest``) changed since; True if it did. Run when
    the schema is brought up to date, so an upgrade never serves standings of the old rules."""
    from pitboard.records.models import Season
    from pitboard.records.services.points import scoring_digest

    digest = scoring_digest()
    stored = DataVersion.objects.filter(pk=ROW).values_list("scoring", flat=True).first()
    if stored == digest:
        return False
    with transaction.atomic():
        # Stored under other rules, or by a version that kept no digest: computed again on read.
        changed = Season.objects.filter(standings_stale=False).update(standings_stale=True)
        if changed:
            bump()
        DataVersion.objects.update_or_create(
            pk=ROW,
            defaults={"scoring": digest},
            create_defaults={"scoring": digest, "changed_at": datetime.now(UTC)},
        )
    return bool(changed)
