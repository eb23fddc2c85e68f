"""Where every record came from: sources and the log of import attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Source(models.Model):
    """One version of one input: a file of a dataset, an article, a person's statement.

    Every imported record points at the source that said it, and at its row there.
    """

    dataset = models.CharField(max_length=100, help_text="e.g. nascaR.data, results-format")
    uri = models.CharField(max_length=500, help_text="URL or file path as given")
    sha256 = models.CharField(max_length=64, blank=True)
    retrieved_at = models.DateTimeField()
    license = models.CharField(max_length=100, blank=True)
    citation = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "uri", "sha256"], name="source_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.uri}"


class ImportRun(models.Model):
    """One attempt to change the record, successful or not: the import log and the audit
    trail. A file import, a race night entered on the site or through the API, a penalty and
    a revert are each a run, with who made it, through what and why."""

    class Channel(models.TextChoices):
        CLI = "cli", "command line"
        PAGE = "page", "site"
        API = "api", "API"
        ADMIN = "admin"

    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        PARTIAL = "partial", "succeeded with rejected rows"
        FAILED = "failed"
        INTERRUPTED = "interrupted", "interrupted (the process ended mid-way)"
        UNDONE = "undone"

    importer = models.CharField(max_length=50)
    target = models.CharField(max_length=500, help_text="the file or URL imported")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    host = models.CharField(max_length=255, blank=True, help_text="the machine that ran it")
    pid = models.PositiveIntegerField(null=True, blank=True, help_text="its process id there")
    pruned = models.BooleanField(default=False, help_text="run with --prune")
    counts = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    rejects_file = models.CharField(max_length=500, blank=True)
    # Who, through what and why. An account that made changes is kept (deactivate it instead).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        help_text="who made it (none: the command line)",
    )
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.CLI)
    reason = models.TextField(blank=True)
    given = models.JSONField(
        null=True, blank=True, help_text="what an official sent, as sent (site, API)"
    )
    series = models.ManyToManyField(
        "records.Series", blank=True, related_name="+", help_text="the series it changed"
    )
    reverts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="reverted_by",
        on_delete=models.PROTECT,
        help_text="the run this one undid",
    )

    def __str__(self) -> str:
        return f"{self.importer} {self.target} ({self.status})"
