"""Who runs the racing: sanctioning bodies, series, seasons and championships."""

from __future__ import annotations

from django.db import models

from pitboard.core.rules import ChampionshipKind
from pitboard.records.models.provenance import Source


class SanctioningBody(models.Model):
    name = models.CharField(max_length=200, unique=True)
    abbreviation = models.CharField(max_length=20, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Series(models.Model):
    """A championship series or a weekly division, whatever it has been called over the years."""

    class Level(models.TextChoices):
        NATIONAL = "national"
        DEVELOPMENT = "development"
        REGIONAL = "regional"
        INTERNATIONAL = "international"
        TOURING = "touring"
        WEEKLY = "weekly"
        EXHIBITION = "exhibition"

    class Discipline(models.TextChoices):
        STOCK_CAR = "stock_car", "stock car"
        TRUCK = "truck"
        LATE_MODEL = "late_model", "late model"
        MODIFIED = "modified"
        OTHER = "other"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, help_text="the current or last name")
    sanctioning_body = models.ForeignKey(
        SanctioningBody, null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    discipline = models.CharField(max_length=12, choices=Discipline.choices)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code")
    display_order = models.PositiveSmallIntegerField(default=100)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["display_order", "slug"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, season: int) -> str:
        """The series' name in a given season (its current name when history is unknown)."""
        entry = self.name_entry(season)
        return entry.name if entry else self.name

    def name_entry(self, season: int) -> SeriesName | None:
        """The name history's entry for a season, with its source; None when unknown."""
        for entry in self.names.all():
            if covers(entry.first_season, entry.last_season, season):
                return entry
        return None


def covers(first: int, last: int | None, season: int) -> bool:
    """Whether a name carried from *first* to *last* (None: still) is the name of *season*."""
    return first <= season and (last is None or season <= last)


class SeriesName(models.Model):
    """One name a series carried, for a range of seasons, with the source that says so."""

    series = models.ForeignKey(Series, related_name="names", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    first_season = models.PositiveSmallIntegerField()
    last_season = models.PositiveSmallIntegerField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["series", "first_season"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "first_season"], name="seriesname_unique_start"
            )
        ]

    def __str__(self) -> str:
        end = self.last_season or ""
        return f"{self.name} ({self.first_season}–{end})"


class Season(models.Model):
    series = models.ForeignKey(Series, related_name="seasons", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    # Set when the season's results change in bulk; its stored standings are recomputed when
    # next read or by `pitboard standings refresh`.
    standings_stale = models.BooleanField(default=True)

    class Meta:
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="season_unique")]

    def __str__(self) -> str:
        return f"{self.series.slug} {self.year}"


class Championship(models.Model):
    """A title contested over a season: drivers', owners' or manufacturers'.

    The races that count toward it are listed explicitly, so one race can count toward several
    championships (a combination race of two series).
    """

    season = models.ForeignKey(Season, related_name="championships", on_delete=models.CASCADE)
    kind = models.CharField(
        max_length=12, choices=[(k.value, k.name.title()) for k in ChampionshipKind]
    )
    races = models.ManyToManyField(
        "records.Race", through="ChampionshipRace", related_name="championships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["season", "kind"], name="championship_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.season} {self.kind}"


class ChampionshipRace(models.Model):
    """A race that counts toward a championship.

    A race counts toward its own season's championships with ``round`` empty. A combination
    race, run once for two series, also counts toward the other series' championship: that link
    holds the race's round in the other season, and the dataset under which that series' own
    results of the race are stated (its official points among them), and the import run that
    found the race to be shared.
    """

    championship = models.ForeignKey(Championship, on_delete=models.CASCADE)
    race = models.ForeignKey("records.Race", on_delete=models.CASCADE)
    round = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="the round in another series' season (combination race)"
    )
    dataset = models.CharField(
        max_length=100, blank=True, help_text="whose statements carry this championship's points"
    )
    run = models.ForeignKey(
        "records.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["championship", "race"], name="championshiprace_unique"
            ),
            models.UniqueConstraint(
                fields=["championship", "round"], name="championshiprace_unique_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.championship_id} ← race {self.race_id}"
