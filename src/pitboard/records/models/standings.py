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
