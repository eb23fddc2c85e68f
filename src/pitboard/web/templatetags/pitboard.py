"""Small template helpers for the pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from pitboard.web import rows as rows_module

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ names|lookup:slug }}``: a value from a dict, or the key itself when missing."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def dash(value: Any) -> Any:
    """An empty value as an en dash, so that tables never show "None"."""
    return "–" if value is None or value == "" else value


@register.filter
def words(value: Any) -> Any:
    """A stored code as words: ``road_course`` reads "road course"."""
    return value.replace("_", " ") if isinstance(value, str) else value


@register.filter
def scope_names(scopes: list[str | None]) -> str:
    """Where a milestone holds: "career, NXS"."""
    return rows_module.scope_names(scopes)


@register.filter
def ties_text(ties: list[dict[str, Any]]) -> SafeString:
    """The races a career milestone may have come after, listed or counted."""
    return mark_safe(rows_module.ties_text(ties))


@register.filter
def svg(markup: str) -> SafeString:
    """Chart markup drawn by pitboard.web.charts, which escapes every text it writes."""
    return mark_safe(markup)


@register.simple_tag(takes_context=True)
def page_url(context: Any, number: int) -> str:
    """The current URL with ``page`` set to *number*, other filters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag
def career_rows(
    rows: Any, series_names: Any = None, by_season: bool = False, places: bool = False
) -> SafeString:
    """The body rows of a career table, written by ``pitboard.web.rows``."""
    return rows_module.career_rows(rows, series_names, by_season=by_season, places=places)


@register.simple_tag
def result_rows(items: Any) -> SafeString:
    """The body rows of a driver's results table, written by ``pitboard.web.rows``."""
    return rows_module.result_rows(items)


@register.simple_tag
def milestone_rows(items: Any) -> SafeString:
    """The body rows of a driver's milestones table, written by ``pitboard.web.rows``."""
    return rows_module.milestone_rows(items)
