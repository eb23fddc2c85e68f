"""The version of the data as a whole: bumped by every change, read by the response cache."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One row: a counter raised by every write to the record, and when that happened.

    Cached pages and API documents are keyed by the counter, so every web worker stops serving
    a page the moment the data under it changes, whatever cache (per process or shared) holds it.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    # What the stored standings were computed with: a digest of the scoring code, the rule sets
    # and the season facts. When an upgrade (or a rule set of the user's) changes it, every
    # season's stored standings are stale.
    scoring = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
