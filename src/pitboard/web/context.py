"""What every page's frame needs: the series for the navigation and their names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pitboard.records.models import Series


def site(request: HttpRequest) -> dict[str, Any]:
    series = list(Series.objects.order_by("display_order", "slug").values_list("slug", "name"))
    return {"nav_series": series, "series_names": dict(series)}
