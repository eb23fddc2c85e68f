"""Articles as given and as read, and what they mention."""

from __future__ import annotations

from django.db import models

from pitboard.core.mentions import KINDS
from pitboard.records.models import Person, Series, Source, Team, Track


class Article(models.Model):
    """A story: its text as it was given (``original``) and as a reader reads it (``body``),
    with the pieces cleaning removed and why."""

    class Format(models.TextChoices):
        TEXT = "text"
        MARKDOWN = "markdown"
        HTML = "html"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    publication = models.CharField(max_length=200, blank=True, help_text="who published it")
    published = models.DateField(
        null=True, blank=True, help_text="claims are checked against the data as of this day"
    )
    url = models.URLField(max_length=500, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    original = models.TextField(help_text="the text as given, never changed")
    sha256 = models.CharField(max_length=64, unique=True, help_text="of the original")
    body = models.TextField(help_text="the article as read: paragraphs, a blank line apart")
    removed = models.JSONField(
        default=list, blank=True, help_text="[{kind, text, start, end, why}] of the original"
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = [models.F("published").desc(nulls_last=True), "-imported_at"]

    def __str__(self) -> str:
        return self.title


class Mention(models.Model):
    """A name in an article's body and what it links to; a proposal (no entity) waits for an
    editor, never creating anything by itself."""

    class Status(models.TextChoices):
        LINKED = "linked"
        PROPOSED = "proposed"

    article = models.ForeignKey(Article, related_name="mentions", on_delete=models.CASCADE)
    start = models.PositiveIntegerField(help_text="offset into the body")
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=[(k, k) for k in KINDS], blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    method = models.CharField(max_length=10, help_text="exact, short, surname, fuzzy, proposed")
    confidence = models.FloatField()
    person = models.ForeignKey(
        Person, null=True, blank=True, related_name="news_mentions", on_delete=models.CASCADE
    )
    track = models.ForeignKey(
        Track, null=True, blank=True, related_name="news_mentions", on_delete=models.CASCADE
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, related_name="news_mentions", on_delete=models.CASCADE
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, related_name="news_mentions", on_delete=models.CASCADE
    )
    candidates = models.JSONField(default=list, blank=True, help_text="[[id, name]], best first")

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="mention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.kind or 'proposed'})"
