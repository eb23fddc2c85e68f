"""What every page's frame needs: the series for the navigation and their names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pitboard.records.models import Series

# The navigation names the series first in the catalogs' order (the national series, ARCA, its
# East and West series); the rest are one click away on /series/.
NAV_ORDER_BELOW = 20


def site(request: HttpRequest) -> dict[str, Any]:
    series = list(
        Series.objects.order_by("display_order", "slug").values_list(
            "slug", "name", "display_order"
        )
    )
    nav = [(slug, name) for slug, name, order in series if order < NAV_ORDER_BELOW]
    return {
        "nav_series": nav,
        "nav_more": len(nav) < len(series),
        "series_names": {slug: name for slug, name, _ in series},
    }
