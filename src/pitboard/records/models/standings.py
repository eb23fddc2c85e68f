"""Stored standings: the drivers' table after every round, kept current as results change."""

from __future__ import annotations

from django.db import models

from pitboard.records.models.organization import Season
from pitboard.records.models.people import Driver


class StandingRow(models.Model):
    """One driver's place in a season's drivers' standings after one round."""

    class Source(models.TextChoices):
        RULES = "rules", "computed from the rule set"
        OFFICIAL = "official", "official race points where the rules cannot reproduce them"

    season = models.ForeignKey(Season, related_name="standings", on_delete=models.CASCADE)
    after_round = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, db_index=False)
    points = models.IntegerField()
    wins = models.PositiveSmallIntegerField()
    top5 = models.PositiveSmallIntegerField()
    top10 = models.PositiveSmallIntegerField()
    starts = models.PositiveSmallIntegerField()
    seed = models.PositiveSmallIntegerField(null=True, blank=True)
    eliminated_in = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    rules = models.CharField(max_length=60, help_text="the rule set's id")

    class Meta:
        ordering = ["season", "after_round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "after_round", "position"], name="standingrow_unique"
            )
        ]
        indexes = [models.Index(fields=["driver", "season"])]

    def __str__(self) -> str:
        return f"{self.season} after {self.after_round}: P{self.position} {self.driver_id}"


class SeasonTally(models.Model):
    """What a driver, team or make did in one season, summed from its results: career documents
    read a few of these rows instead of every result. Refreshed with the season's standings
    whenever its results change (``services.tallies``); never written by a page view.

    The sums are those of ``core.stats`` (from which averages are read); ``also`` rows count
    starts made in another series' race that this season links as a combination race.
    """

    class Kind(models.TextChoices):
        DRIVER = "driver"
        TEAM = "team"
        MANUFACTURER = "manufacturer"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A driver's, team's or make's id (by kind): no foreign key, the tallies are derived.
    subject_id = models.IntegerField()
    season = models.ForeignKey(Season, on_delete=models.CASCADE, db_index=False)
    also = models.BooleanField()
    starts = models.IntegerField()
    wins = models.IntegerField()
    top5 = models.IntegerField()
    top10 = models.IntegerField()
    poles = models.IntegerField()
    laps = models.IntegerField()
    laps_led = models.IntegerField()
    dnf = models.IntegerField()
    points = models.IntegerField()
    start_sum = models.IntegerField()
    start_count = models.IntegerField()
    finish_sum = models.IntegerField()
    best = models.IntegerField(null=True)
    entries = models.IntegerField()
    # A driver's final place in the season's stored drivers' standings.
    place = models.IntegerField(null=True)
    # A driver's team and make of the season (own rows): those of most of his starts, the
    # lowest id on a tie. A champion's title counts for them.
    main_team_id = models.IntegerField(null=True)
    main_make_id = models.IntegerField(null=True)
    # A driver's results of the season (own rows) in race order, as "track:finish" joined by
    # commas (the finish blank where there is none): the finish chart and best tracks read it.
    finishes = models.TextField(db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "season", "also"], name="seasontally_unique"
            )
        ]
        indexes = [models.Index(fields=["season"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} in {self.season_id}"


class CarTally(models.Model):
    """Who drove a team's or a make's cars in one season: per driver (and, for a team, per car
    number) the starts and wins, summed from the season's own results. The team and make pages
    (roster, drivers counted, winningest drivers) read these rows instead of every result of
    the team or make. Refreshed with the season tallies; never written by a page view."""

    class Kind(models.TextChoices):
        TEAM = "team"
        MANUFACTURER = "manufacturer"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A team's or make's id (by kind) and a driver's: no foreign keys, the rows are derived.
    subject_id = models.IntegerField()
    season = models.ForeignKey(Season, on_delete=models.CASCADE, db_index=False)
    driver_id = models.IntegerField()
    car_number = models.CharField(max_length=10, blank=True)  # "" for a make
    starts = models.IntegerField()
    wins = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "season", "driver_id", "car_number"],
                name="cartally_unique",
            )
        ]
        indexes = [models.Index(fields=["season"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id}, driver {self.driver_id} in {self.season_id}"


class Milestone(models.Model):
    """A milestone of a driver's career found in his results (``core.milestones``): his first
    start, top ten, top five, win and pole, his career-best finish and every tenth win, in one
    series or (``series`` null) over the career. Rewritten for every driver of a season when
    its tallies are; never written by a page view."""

    driver_id = models.IntegerField()
    kind = models.CharField(max_length=12)
    series_id = models.IntegerField(null=True)  # null: career-wide
    # The season the race counts in for this series (a combination race: the counting one).
    season = models.ForeignKey(Season, on_delete=models.CASCADE, db_index=False)
    round = models.IntegerField()  # the race's round in that season
    race_id = models.IntegerField()
    result_id = models.IntegerField()
    value = models.IntegerField()  # the finish, or the number of the win
    # Races that may have come first (career-wide: the same day, or a date unknown), as ids
    # joined by commas.
    ties = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["driver_id"]),
            models.Index(fields=["race_id"]),
            models.Index(fields=["season"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} of driver {self.driver_id}"
