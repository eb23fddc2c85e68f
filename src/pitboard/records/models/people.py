"""People, the drivers among them, teams and manufacturers — each with the names they go by."""

from __future__ import annotations

from django.db import models

from pitboard.records.models.provenance import Source


class Person(models.Model):
    """A human being: a driver, an owner, a crew chief, a mentor, a parent.

    Biographical facts are optional and come with a source; nothing here derives from the name.
    """

    name = models.CharField(max_length=200, help_text="the name most used in results")
    name_key = models.CharField(max_length=200, db_index=True)
    surname_key = models.CharField(
        max_length=200, db_index=True, blank=True, help_text="where to look for namesakes"
    )
    birth_date = models.DateField(null=True, blank=True)
    hometown = models.CharField(max_length=200, blank=True)
    # Shown: derived from the sources' statements (PersonStatement), the first-ranked first.
    nationality = models.CharField(
        max_length=6, blank=True, help_text="ISO 3166 code: a country (CA) or GB-SCT"
    )
    gender = models.CharField(max_length=20, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class PersonAlias(models.Model):
    """Another name for a person: a spelling in some source, a nickname, a former name."""

    class Kind(models.TextChoices):
        SPELLING = "spelling"
        NICKNAME = "nickname"
        FORMER = "former", "former name"

    person = models.ForeignKey(Person, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SPELLING)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "name_key"], name="personalias_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Driver(models.Model):
    """The racing career of one person, whatever the series or the spelling of the name."""

    person = models.OneToOneField(Person, related_name="driver", on_delete=models.PROTECT)
    slug = models.SlugField(max_length=120, unique=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.person.name


class Team(models.Model):
    """A team, or a car owner where the record names the owner rather than a team."""

    class Kind(models.TextChoices):
        TEAM = "team"
        OWNER = "owner", "car owner"

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.TEAM)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name


class TeamAlias(models.Model):
    team = models.ForeignKey(Team, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "name_key"], name="teamalias_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Manufacturer(models.Model):
    name = models.CharField(max_length=100)
    name_key = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name


class ManufacturerAlias(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, related_name="aliases", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    name_key = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name
