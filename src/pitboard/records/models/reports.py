"""Corrections from readers: the "report an error" form on every page feeds this queue."""

from __future__ import annotations

from django.db import models


class ErrorReport(models.Model):
    """A reader's report that something on a page is wrong, kept until an editor settles it."""

    class Status(models.TextChoices):
        NEW = "new"
        FIXED = "fixed"
        REJECTED = "rejected", "not an error"

    page = models.CharField(max_length=500, help_text="the path of the page reported")
    message = models.TextField()
    contact = models.CharField(max_length=200, blank=True, help_text="optional, to ask back")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    editor_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.page}: {self.message[:60]}"
