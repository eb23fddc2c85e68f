"""Keep stored standings current when results or penalties are edited one at a time.

An edit marks its season stale; when the transaction commits, the season is recomputed once,
however many of its results the transaction touched. Bulk imports write with set-based SQL (no
signals) and only mark their seasons stale.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pitboard.records.models import Penalty, Result, Season


def _changed(season_id: int) -> None:
    Season.objects.filter(pk=season_id).update(standings_stale=True)

    def refresh() -> None:
        from pitboard.records.services.standings import refresh_stored

        season = Season.objects.select_related("series").filter(pk=season_id).first()
        if season is not None and season.standings_stale:
            refresh_stored(season.series.slug, season.year)

    transaction.on_commit(refresh)


@receiver([post_save, post_delete], sender=Result)
def result_changed(sender: Any, instance: Result, **kwargs: Any) -> None:
    _changed(instance.race.season_id)


@receiver([post_save, post_delete], sender=Penalty)
def penalty_changed(sender: Any, instance: Penalty, **kwargs: Any) -> None:
    _changed(instance.season_id)
