"""Small template helpers for the pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

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
def svg(markup: str) -> SafeString:
    """Chart markup drawn by pitboard.web.charts, which escapes every text it writes."""
    return mark_safe(markup)


@register.simple_tag(takes_context=True)
def page_url(context: Any, number: int) -> str:
    """The current URL with ``page`` set to *number*, other filters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
