"""The rows of the long tables, written in Python.

A driver's page holds a row per season raced and fifty results: about 1,700 cells. Drawn by the
template language, each cell is a node to resolve, localise and escape, and the rows took most of
the page's time (about 19 of 31 ms for Richard Petty). The same markup written here takes a
tenth of that. The templates keep the tables' heads and everything around them; the markup of a
row is here, and every text it writes is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# The career table's figures after the series (and a driver's final place): (key, the cell's
# class on a table by season, by series).
_FIGURES = (
    ("starts", "n", "n"),
    ("wins", "n", "n"),
    ("top5", "n wide", "n"),
    ("top10", "n wide", "n wide"),
    ("poles", "n wide", "n wide"),
    ("laps", "n wide", "n wide"),
    ("laps_led", "n wide", "n wide"),
    ("avg_start", "n wide", "n wide"),
    ("avg_finish", "n wide", "n wide"),
    ("dnf", "n wide", "n wide"),
)
_OFFICIAL = "the published champion (the standings computed from the results name someone else)"


def text(value: Any) -> str:
    """A cell's text, escaped; nothing (None or "") as an en dash, as the ``dash`` filter."""
    if value is None or value == "":
        return "–"
    if type(value) is int:
        return str(value)  # nothing to escape in a number
    return escape(str(value))


def career_rows(
    rows: Sequence[Mapping[str, Any]],
    series_names: Mapping[str, str] | None,
    *,
    by_season: bool,
    places: bool,
) -> SafeString:
    """The body rows of a career table (``_career_table.html``): by series, or by season with
    the series' name that season and, with *places*, the final place and a champion's star."""
    names = series_names or {}
    out = []
    for r in rows:
        series = escape(r["series"] or "")
        short = series.upper()
        cells = []
        if by_season:
            season = escape(str(r["season"]))
            name = escape(r.get("series_name") or names.get(r["series"], r["series"]))
            cells.append(
                f'<td>{season}</td><td><a href="/series/{series}/{season}/">'
                f'<span class="long">{name}</span><span class="short">{short}</span></a></td>'
            )
        else:
            name = escape(str(names.get(r["series"], r["series"])))
            cells.append(
                f'<td><a href="/series/{series}/"><span class="long">{name}</span>'
                f'<span class="short">{short}</span></a></td>'
            )
        if places:
            star = ""
            if r.get("champion"):
                title = _OFFICIAL if r["champion"] == "official" else "champion"
                star = f' <strong class="champion" title="{title}">★</strong>'
            cells.append(f'<td class="n">{text(r.get("final_position"))}{star}</td>')
        for key, season_class, series_class in _FIGURES:
            cells.append(
                f'<td class="{season_class if by_season else series_class}">{text(r[key])}</td>'
            )
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))


def result_rows(items: Sequence[Mapping[str, Any]]) -> SafeString:
    """The body rows of a driver's results table: race, track, team and make linked."""
    out = []
    for r in items:
        series = escape(r["series"])
        season = escape(str(r["season"]))
        rnd = escape(str(r["round"]))
        track = r["track"]
        race = escape(r["race"] or track["name"])
        out.append(
            f'<tr><td>{season}</td><td>{series.upper()}</td><td class="n">{rnd}</td>'
            f'<td><a href="/races/{series}/{season}/{rnd}/">{race}</a></td>'
            f'<td class="wide"><a href="/tracks/{escape(track["slug"])}/">'
            f"{escape(track['name'])}</a></td>"
            f'<td class="n">{text(r["car_number"])}</td>'
            f'<td class="wide">{_linked("teams", r["team_slug"], r["team"])}</td>'
            f'<td class="wide">{_linked("makes", r["manufacturer_slug"], r["manufacturer"])}</td>'
            f'<td class="n">{text(r["start"])}</td><td class="n">{text(r["finish"])}</td>'
            f'<td class="n wide">{text(r["laps"])}</td><td class="n">{text(r["laps_led"])}</td>'
            f'<td>{escape(r["status"])}</td><td class="n">{text(r["points"])}</td></tr>'
        )
    return mark_safe("\n".join(out))


def _linked(section: str, slug: str | None, name: str | None) -> str:
    """*name* linked to its page under /*section*/ where it has a slug, else as text."""
    if slug:
        return f'<a href="/{section}/{escape(slug)}/">{escape(name or "")}</a>'
    return text(name)


def milestone_rows(items: Sequence[Mapping[str, Any]]) -> SafeString:
    """The body rows of a driver's milestones table (``milestones.merged``): what, where it
    holds (the scopes, on a second line on a phone), season, race (with the races that may
    have come first), finish."""
    out = []
    for m in items:
        scopes = escape(scope_names(m["scopes"]))
        race = m["race"]
        name = escape(race["name"] or race["track"]["name"])
        day = f" <small>{escape(m['date'])}</small>" if m["date"] else ""
        tied = (
            f' <small class="muted">({ties_text(m["tied_with"])})</small>' if m["tied_with"] else ""
        )
        finish = 1 if m["kind"] == "win_number" else m["value"]
        out.append(
            f'<tr><td>{escape(m["label"])}<span class="phone-only"><br><small>{scopes}</small>'
            f'</span></td><td class="wide">{scopes}</td><td>{m["season"]}</td>'
            f'<td class="wrap">{_race_link(race)}{name}</a>{day}{tied}</td>'
            f'<td class="n">{finish}</td></tr>'
        )
    return mark_safe("\n".join(out))


def scope_names(scopes: Sequence[str | None]) -> str:
    """Where a milestone holds: "career, NXS" (None is the whole career; slugs as the tables
    abbreviate series)."""
    return ", ".join("career" if s is None else s.upper() for s in scopes)


def ties_text(ties: Sequence[Mapping[str, Any]]) -> str:
    """The races a career milestone may have come after (escaped markup): listed when few,
    else counted."""
    if len(ties) > 2:
        return (
            f"order uncertain: {len(ties)} races of the season, in other series, have the same"
            " day or no date known"
        )
    races = " or ".join(
        f"{_race_link(t)}{t['season']} {escape(t['series'].upper())} round {t['round']}</a>"
        for t in ties
    )
    return f"or {races}: the same day, or no date known"


def _race_link(race: Mapping[str, Any]) -> str:
    return f'<a href="/races/{escape(race["series"])}/{race["season"]}/{race["round"]}/">'
