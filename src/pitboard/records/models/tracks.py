"""Tracks: one row per physical layout, with every name it has gone by."""

from __future__ import annotations

from django.db import models

from pitboard.core.tracks import Layout
from pitboard.records.models.provenance import Source


class Track(models.Model):
    """A racing layout: an oval and the road course inside it are two tracks.

    Surface and length are the layout's latest; the ones raced on a given day are on the race
    (tracks get paved and re-measured).
    """

    class Surface(models.TextChoices):
        PAVED = "paved"
        DIRT = "dirt"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, help_text="current or last name")
    name_key = models.CharField(max_length=200, db_index=True)
    layout = models.CharField(
        max_length=14, choices=[(x.value, x.value.replace("_", " ")) for x in Layout]
    )
    surface = models.CharField(max_length=6, choices=Surface.choices, blank=True)
    length_miles = models.FloatField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="state or province")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code")
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA name")
    opened = models.PositiveSmallIntegerField(null=True, blank=True)
    closed = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrackName(models.Model):
    """A name of a track: official names with their years, and aliases used in print."""

    class Kind(models.TextChoices):
        OFFICIAL = "official"
        ALIAS = "alias"

    track = models.ForeignKey(Track, related_name="names", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ALIAS)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "name_key"], name="trackname_unique")
        ]

    def __str__(self) -> str:
        return self.name
