"""What every page's frame needs: the series for the navigation and their names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pitboard.records.models import Series

# The navigation names the series first in the catalogs' order (the national series, ARCA, its
# East and West series); the rest are one click away on /series/.
NAV_ORDER_BELOW = 20


def site(request: HttpRequest) -> dict[str, Any]:
    """The frame's series, read when a template first asks: a view that read them already
    passes ``series_context`` of its own, and no query is made here."""
    series = SimpleLazyObject(
        lambda: list(Series.objects.values_list("slug", "name", "display_order"))
    )
    frame = SimpleLazyObject(lambda: series_context(series))
    return {key: SimpleLazyObject(lambda key=key: frame[key]) for key in FRAME_KEYS}


FRAME_KEYS = ("nav_series", "nav_more", "series_names")


def series_context(series: Iterable[tuple[str, str, int]]) -> dict[str, Any]:
    """The frame's context from every series as (slug, name, place in the order of series)."""
    ordered = sorted(series, key=lambda s: (s[2], s[0]))
    nav = [(slug, name) for slug, name, order in ordered if order < NAV_ORDER_BELOW]
    return {
        "nav_series": nav,
        "nav_more": len(nav) < len(ordered),
        "series_names": {slug: name for slug, name, _ in ordered},
    }
