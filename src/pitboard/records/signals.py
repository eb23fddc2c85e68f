"""Keep stored standings current when a result or penalty is edited one at a time.

Bulk imports write with set-based SQL (no signals) and mark their seasons stale instead.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pitboard.records.models import Penalty, Result, Season
from pitboard.records.services.standings import refresh_stored


def _refresh(season_id: int) -> None:
    season = Season.objects.select_related("series").get(pk=season_id)
    refresh_stored(season.series.slug, season.year)


@receiver([post_save, post_delete], sender=Result)
def result_changed(sender: Any, instance: Result, **kwargs: Any) -> None:
    _refresh(instance.race.season_id)


@receiver([post_save, post_delete], sender=Penalty)
def penalty_changed(sender: Any, instance: Penalty, **kwargs: Any) -> None:
    _refresh(instance.season_id)
