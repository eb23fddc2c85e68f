"""Where every record came from: sources and the log of import attempts."""

from __future__ import annotations

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
    """One attempt to import something, successful or not (the import log)."""

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

    def __str__(self) -> str:
        return f"{self.importer} {self.target} ({self.status})"
