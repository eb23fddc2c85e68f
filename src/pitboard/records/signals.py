"""React to edits made one at a time (admin, services): stored standings and the data version.

An edit of a result or penalty marks its season stale (and the seasons that count its races as
combination races); when the transaction commits, they are recomputed once, however many of
their results the transaction touched. Any edit of the record raises the data version, so cached
pages are not served again. Bulk imports write with set-based SQL (no signals): they mark their
seasons stale, which raises the version too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from pitboard.records.models import (
    CarTally,
    Championship,
    DataVersion,
    ErrorReport,
    ImportRun,
    Penalty,
    Race,
    Result,
    SeasonTally,
    StandingRow,
)
from pitboard.records.services import versions

# Writes that do not change what the site shows: derived tables, logs, the readers' reports.
NOT_DATA = (CarTally, DataVersion, ErrorReport, ImportRun, SeasonTally, StandingRow)


def _changed(season_id: int) -> None:
    from pitboard.records.services.standings import mark_seasons_stale

    mark_seasons_stale([season_id])


@receiver([post_save, post_delete], sender=Result)
def result_changed(sender: Any, instance: Result, **kwargs: Any) -> None:
    _changed(instance.race.season_id)


@receiver(post_save, sender=Race)
def race_changed(sender: Any, instance: Race, **kwargs: Any) -> None:
    # Its date places it among a career's races of other series (milestones).
    _changed(instance.season_id)


@receiver([post_save, post_delete], sender=Penalty)
def penalty_changed(sender: Any, instance: Penalty, **kwargs: Any) -> None:
    _changed(instance.season_id)


def record_changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("signal") is m2m_changed and not kwargs.get("action", "").startswith("post_"):
        return
    versions.bump()


def bump_on_writes(models: Iterable[type[Model]], deletes: bool = True) -> None:
    """Raise the data version when one of *models* is saved (and deleted, with *deletes*)
    one row at a time: an edit in the admin changes what pages show."""
    for model in models:
        post_save.connect(record_changed, sender=model, dispatch_uid=f"version-save-{model}")
        if deletes:
            post_delete.connect(record_changed, sender=model, dispatch_uid=f"version-del-{model}")


def connect_data_models() -> None:
    """Raise the data version on every single-row write to the record's own tables.

    Connected model by model: a receiver for every sender would make Django fetch each row of a
    bulk delete (of stored standings, say) just to signal it.
    """
    bump_on_writes(
        m for m in apps.get_app_config("records").get_models() if not issubclass(m, NOT_DATA)
    )
    m2m_changed.connect(
        record_changed, sender=Championship.races.through, dispatch_uid="version-m2m"
    )


connect_data_models()
