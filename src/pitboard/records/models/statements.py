"""What each source said: one statement per source per result or race, and the keys sources
give their people, teams, tracks, series and races.

The shown ``Result`` and ``Race`` rows are derived: each field takes the value of the
statement whose dataset ranks first for that field (``data/precedence.toml``). A source only
ever writes its own statements, so a disagreement between two sources is kept, not overwritten.
"""

from __future__ import annotations

from django.db import models

from pitboard.core.status import StatusClass
from pitboard.records.models.provenance import ImportRun, Source
from pitboard.records.models.races import Race, Result
from pitboard.records.models.tracks import Track


class Statement(models.Model):
    """What every statement records: whose it is, where it came from, which run wrote it last."""

    dataset = models.CharField(max_length=100)
    # Sources and runs are never deleted, and a statement's are those of the row it was copied
    # from: no database constraint, which on PostgreSQL would be checked row by row at commit.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
    )

    class Meta:
        abstract = True


class ResultStatement(Statement):
    """One dataset's account of one result. Empty fields are ones the dataset did not state."""

    result = models.ForeignKey(
        Result, related_name="statements", on_delete=models.CASCADE, db_index=False
    )
    car_number = models.CharField(max_length=10, null=True, blank=True)
    team_id = models.BigIntegerField(null=True, blank=True)
    manufacturer_id = models.BigIntegerField(null=True, blank=True)
    sponsor = models.CharField(max_length=200, null=True, blank=True)
    start = models.PositiveSmallIntegerField(null=True, blank=True)
    finish = models.PositiveSmallIntegerField(null=True, blank=True)
    laps = models.PositiveIntegerField(null=True, blank=True)
    laps_led = models.PositiveIntegerField(null=True, blank=True)
    status_text = models.CharField(max_length=100, null=True, blank=True)
    status_class = models.CharField(
        max_length=16, choices=StatusClass.choices(), null=True, blank=True
    )
    stage_finishes = models.JSONField(null=True, blank=True)
    points = models.IntegerField(null=True, blank=True)
    stage_points = models.IntegerField(null=True, blank=True)
    rating = models.FloatField(null=True, blank=True)
    prize_money = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "dataset"], name="resultstatement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} on result {self.result_id}"


class RaceStatement(Statement):
    """One dataset's account of a race's facts."""

    race = models.ForeignKey(
        Race, related_name="statements", on_delete=models.CASCADE, db_index=False
    )
    track_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    scheduled_laps = models.PositiveIntegerField(null=True, blank=True)
    length_miles = models.FloatField(null=True, blank=True)
    surface = models.CharField(max_length=6, choices=Track.Surface.choices, null=True, blank=True)
    car_count = models.PositiveSmallIntegerField(null=True, blank=True)
    cautions = models.PositiveSmallIntegerField(null=True, blank=True)
    lead_changes = models.PositiveSmallIntegerField(null=True, blank=True)
    average_speed = models.FloatField(null=True, blank=True)
    pole_speed = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["race", "dataset"], name="racestatement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} on race {self.race_id}"


class PersonStatement(Statement):
    """One dataset's account of facts about a person: for now, the nationality a results table
    gives its drivers. A dataset's first statement stands: a later file of the same dataset
    saying otherwise is reported, not written over."""

    person = models.ForeignKey(
        "records.Person", related_name="statements", on_delete=models.CASCADE, db_index=False
    )
    nationality = models.CharField(max_length=6, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "dataset"], name="personstatement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} on person {self.person_id}"


class Change(models.Model):
    """A statement an import changed or removed, as it was before: what ``import undo`` restores.

    Statements a run added need no entry: they carry the run that wrote them.
    """

    class Action(models.TextChoices):
        CHANGED = "changed"
        REMOVED = "removed"

    class Table(models.TextChoices):
        RESULT = "result"
        RACE = "race"
        PERSON = "person"

    run = models.ForeignKey(ImportRun, related_name="changes", on_delete=models.CASCADE)
    table = models.CharField(max_length=8, choices=Table.choices)
    action = models.CharField(max_length=8, choices=Action.choices)
    statement_id = models.BigIntegerField()
    before = models.JSONField(help_text="every column of the statement, and what it was about")

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.action} {self.table} statement {self.statement_id}"


class SourceKey(models.Model):
    """A source's own key for a person, team, track, manufacturer, series or race.

    A re-import finds its records by these first; a name is only evidence for a new key.
    """

    class Kind(models.TextChoices):
        DRIVER = "driver"
        PERSON = "person", "person (not a driver)"
        TEAM = "team"
        TRACK = "track"
        MANUFACTURER = "manufacturer"
        SERIES = "series"
        RACE = "race"

    dataset = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=300)
    object_id = models.BigIntegerField()
    name = models.CharField(max_length=300, blank=True, help_text="as the source first wrote it")
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "kind", "key"], name="sourcekey_unique")
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.dataset} {self.kind} {self.key!r} → {self.object_id}"
