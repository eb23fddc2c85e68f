"""Races, the sessions of a race night, results and penalties."""

from __future__ import annotations

from django.db import models

from pitboard.core.status import StatusClass
from pitboard.records.models.organization import Season
from pitboard.records.models.people import Driver, Manufacturer, Team
from pitboard.records.models.provenance import Source
from pitboard.records.models.tracks import Track


class Race(models.Model):
    """One points event of a season. Surface and length are as raced that day."""

    season = models.ForeignKey(
        Season, related_name="races", on_delete=models.PROTECT, db_index=False
    )
    round = models.PositiveSmallIntegerField()
    date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True, help_text="local time at the track")
    track = models.ForeignKey(Track, related_name="races", on_delete=models.PROTECT, db_index=False)
    name = models.CharField(max_length=300, blank=True)
    scheduled_laps = models.PositiveIntegerField(null=True, blank=True)
    length_miles = models.FloatField(null=True, blank=True)
    surface = models.CharField(max_length=6, choices=Track.Surface.choices, blank=True)
    car_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="as stated")
    cautions = models.PositiveSmallIntegerField(null=True, blank=True)
    lead_changes = models.PositiveSmallIntegerField(null=True, blank=True)
    average_speed = models.FloatField(null=True, blank=True, help_text="mph")
    pole_speed = models.FloatField(null=True, blank=True, help_text="mph")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["season", "round"]
        constraints = [
            models.UniqueConstraint(fields=["season", "round"], name="race_unique_round")
        ]
        indexes = [models.Index(fields=["track", "season"])]

    def __str__(self) -> str:
        return f"{self.season} round {self.round}"


class Session(models.Model):
    """A part of a race night other than the official result: practice, heats, stages…"""

    class Kind(models.TextChoices):
        PRACTICE = "practice"
        QUALIFYING = "qualifying"
        HEAT = "heat"
        LAST_CHANCE = "last_chance", "last-chance race"
        STAGE = "stage"
        FEATURE = "feature"

    race = models.ForeignKey(Race, related_name="sessions", on_delete=models.CASCADE)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200, blank=True)
    scheduled_laps = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["race", "kind", "number"], name="session_unique")
        ]

    def __str__(self) -> str:
        return f"{self.race} {self.kind} {self.number}"


class SessionResult(models.Model):
    session = models.ForeignKey(Session, related_name="results", on_delete=models.CASCADE)
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT)
    car_number = models.CharField(max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    laps = models.PositiveIntegerField(null=True, blank=True)
    transferred = models.BooleanField(default=False, help_text="moved on to the next session")
    status_text = models.CharField(max_length=100, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"{self.session}: {self.driver_id} P{self.position}"


class ResultQuerySet(models.QuerySet["Result"]):
    def classified(self) -> ResultQuerySet:
        """Results with a finishing position: the cars that started the race."""
        return self.filter(finish__isnull=False)


class Result(models.Model):
    """One car's official result in one race.

    ``entry`` tells apart the rare case of a driver credited twice in one race (relief drives,
    two cars): the n-th row of that driver in that race, ordered by finish, car and start.
    """

    # Foreign keys without their own index: the composite indexes below lead with them.
    race = models.ForeignKey(Race, related_name="results", on_delete=models.CASCADE, db_index=False)
    driver = models.ForeignKey(
        Driver, related_name="results", on_delete=models.PROTECT, db_index=False
    )
    entry = models.PositiveSmallIntegerField(default=1)
    car_number = models.CharField(max_length=10, blank=True, help_text="as painted: 08 is not 8")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    manufacturer = models.ForeignKey(
        Manufacturer, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    sponsor = models.CharField(max_length=200, blank=True)
    start = models.PositiveSmallIntegerField(null=True, blank=True)
    finish = models.PositiveSmallIntegerField(null=True, blank=True)
    laps = models.PositiveIntegerField(null=True, blank=True)
    laps_led = models.PositiveIntegerField(null=True, blank=True)
    status_text = models.CharField(max_length=100, blank=True)
    status_class = models.CharField(max_length=16, choices=StatusClass.choices())
    stage_finishes = models.JSONField(null=True, blank=True, help_text="[stage 1, stage 2, …]")
    points = models.IntegerField(null=True, blank=True, help_text="official points, as published")
    stage_points = models.IntegerField(null=True, blank=True, help_text="as published, if apart")
    rating = models.FloatField(null=True, blank=True)
    prize_money = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # No index of its own: a source is only ever looked up the other way round.
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["race", "driver", "entry"], name="result_unique_entry")
        ]
        indexes = [
            models.Index(fields=["driver", "race"]),
            models.Index(fields=["team", "race"]),
            models.Index(fields=["manufacturer", "race"]),
        ]

    def __str__(self) -> str:
        return f"{self.race}: {self.driver_id} P{self.finish}"


class Penalty(models.Model):
    """A sanction and what became of it on appeal."""

    class Appeal(models.TextChoices):
        NONE = "none", "not appealed"
        UPHELD = "upheld"
        REDUCED = "reduced"
        RESCINDED = "rescinded"

    season = models.ForeignKey(Season, related_name="penalties", on_delete=models.CASCADE)
    race = models.ForeignKey(Race, null=True, blank=True, on_delete=models.CASCADE)
    driver = models.ForeignKey(Driver, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT)
    announced = models.DateField(null=True, blank=True)
    points = models.IntegerField(default=0, help_text="championship points deducted")
    playoff_points = models.IntegerField(default=0, help_text="playoff points deducted")
    fine = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)
    appeal = models.CharField(max_length=10, choices=Appeal.choices, default=Appeal.NONE)
    points_after_appeal = models.IntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)
    run = models.ForeignKey(
        "records.ImportRun",
        null=True,
        blank=True,
        related_name="penalties",
        on_delete=models.PROTECT,
        help_text="the change that entered it (the API): reverting that change removes it",
    )

    def __str__(self) -> str:
        return f"{self.season}: {self.points} points ({self.reason[:40]})"
