"""Who is who across sources: the review queue, the log of merges and splits, old slugs."""

from __future__ import annotations

from django.db import models

from pitboard.records.models.people import Driver


class IdentityReview(models.Model):
    """A new source key whose person might be one already known: a human decides.

    Until then the key has its own driver (``provisional``), so nothing is merged silently.
    """

    class Status(models.TextChoices):
        OPEN = "open"
        MERGED = "merged"
        APART = "apart", "kept apart"

    dataset = models.CharField(max_length=100)
    key = models.CharField(max_length=300)
    name = models.CharField(max_length=300)
    provisional = models.ForeignKey(Driver, related_name="+", null=True, on_delete=models.SET_NULL)
    candidate = models.ForeignKey(Driver, related_name="+", null=True, on_delete=models.SET_NULL)
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.dataset}) ~ driver {self.candidate_id}: {self.status}"


class IdentityChange(models.Model):
    """A merge of two drivers, with everything it moved, so that a split can undo it."""

    class Action(models.TextChoices):
        MERGE = "merge"
        SPLIT = "split"

    action = models.CharField(max_length=5, choices=Action.choices)
    kept = models.ForeignKey(Driver, related_name="+", null=True, on_delete=models.SET_NULL)
    merged_name = models.CharField(max_length=200)
    merged_slug = models.CharField(max_length=120)
    moved = models.JSONField(help_text="the merged driver's person, results, keys and aliases")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        "self", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"{self.action} {self.merged_name} into {self.kept_id}"


class SlugRedirect(models.Model):
    """An old driver slug, and the driver it now belongs to."""

    old_slug = models.CharField(max_length=120, unique=True)
    driver = models.ForeignKey(Driver, related_name="old_slugs", on_delete=models.CASCADE)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.driver_id}"
