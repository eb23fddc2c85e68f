"""What kind of layout a track is, from the words the records use for it."""

from __future__ import annotations

from enum import StrEnum


class Layout(StrEnum):
    OVAL = "oval"
    ROAD_COURSE = "road_course"
    STREET_COURSE = "street_course"


def layout_of(name: str, surface: str | None) -> Layout:
    """The layout a race ran on: the source's surface "road", or a name that says so.

    An oval and the road course inside the same speedway are two layouts, so two tracks.
    """
    lowered = name.lower()
    if "street" in lowered:
        return Layout.STREET_COURSE
    if (surface or "").lower() == "road" or "road course" in lowered:
        return Layout.ROAD_COURSE
    return Layout.OVAL


def surface_of(surface: str | None) -> str:
    """The racing surface, ``paved`` or ``dirt`` ("road" courses are paved); "" when unknown."""
    value = (surface or "").strip().lower()
    if value in ("road", "paved", "asphalt", "concrete"):
        return "paved"
    if value == "dirt":
        return "dirt"
    return ""
