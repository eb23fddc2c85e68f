"""Statements about people, tracks and series (the way Wikidata holds them) and the
publications they rest on.

A statement is never overwritten by another source: two publications that disagree give two
statements, both kept and shown; an editor ranks one preferred, and the reason is stored.
"""

from __future__ import annotations

from django.db import models

from pitboard.core.careers import PROPERTIES, Rank
from pitboard.records.models import ImportRun, Person, Series, Source, Track


class Publication(models.Model):
    """What a statement cites: an article, an interview, a book, a web page."""

    key = models.SlugField(max_length=120, unique=True, help_text="stable id in the data files")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True, help_text="when printed on the page")
    published_after = models.DateField(
        null=True, blank=True, help_text="undated: the earliest day the text allows"
    )
    published_before = models.DateField(
        null=True, blank=True, help_text="undated: the latest day the text allows"
    )
    date_note = models.CharField(max_length=300, blank=True, help_text="how the date is known")
    note = models.CharField(
        max_length=500, blank=True, help_text="where the title, author and address come from"
    )
    sha256 = models.CharField(max_length=64, blank=True, help_text="of the text spans point into")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class StatementQuerySet(models.QuerySet["Statement"]):
    def shown(self) -> StatementQuerySet:
        """Statements as a reader sees them: preferred first, deprecated last."""
        order = models.Case(
            models.When(rank=Rank.PREFERRED, then=0),
            models.When(rank=Rank.NORMAL, then=1),
            default=2,
        )
        return self.alias(rank_order=order).order_by("property", "rank_order", "id")


class Statement(models.Model):
    """One statement about one person, track or series: property, value, qualifiers, rank,
    references. Exactly one of ``subject``, ``track`` and ``series`` is set."""

    key = models.CharField(
        max_length=200, unique=True, help_text="stable id: the data file's, or given by the admin"
    )
    subject = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        related_name="career_statements",
        on_delete=models.CASCADE,
        help_text="the person it is about",
    )
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        related_name="career_statements",
        on_delete=models.CASCADE,
        help_text="the track it is about",
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        related_name="career_statements",
        on_delete=models.CASCADE,
        help_text="the series it is about",
    )
    property = models.CharField(
        max_length=30, choices=[(p.name, p.label) for p in PROPERTIES.values()]
    )
    value = models.JSONField()
    # The person a relationship points at (parent, coach): the value's "person", as a link.
    other = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        related_name="career_mentions",
        on_delete=models.PROTECT,
    )
    qualifiers = models.JSONField(default=dict, blank=True)
    rank = models.CharField(
        max_length=10, choices=[(r.value, r.value) for r in Rank], default=Rank.NORMAL.value
    )
    rank_reason = models.CharField(max_length=300, blank=True)
    edited = models.BooleanField(
        default=False,
        help_text="an editor changed it in the admin: reloading the file leaves it as it is",
    )
    dataset = models.CharField(max_length=100, help_text="e.g. pitboard-starter, admin")
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    objects = StatementQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["subject", "property"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subject__isnull=False, track__isnull=True, series__isnull=True)
                    | models.Q(subject__isnull=True, track__isnull=False, series__isnull=True)
                    | models.Q(subject__isnull=True, track__isnull=True, series__isnull=False)
                ),
                name="statement_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.about()} · {self.property}"

    def about(self) -> Person | Track | Series | None:
        return self.subject or self.track or self.series


class Reference(models.Model):
    """Where a statement comes from: a publication and the span of its text it rests on."""

    statement = models.ForeignKey(Statement, related_name="references", on_delete=models.CASCADE)
    publication = models.ForeignKey(
        Publication, related_name="references", on_delete=models.PROTECT
    )
    start = models.PositiveIntegerField(null=True, blank=True, help_text="character offset")
    end = models.PositiveIntegerField(null=True, blank=True)
    dataset = models.CharField(
        max_length=100, default="editor", help_text="who added it: a careers file, or an editor"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "publication", "start", "end"], name="reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} [{self.start}:{self.end}]"
