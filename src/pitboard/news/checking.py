"""Checking an article's claims against the record as it stood on the day it was published: the
database side of :mod:`pitboard.core.claims` (which finds and judges them).

One query per driver a claim is about reads their results; standings, schedules and champions
are read per season or series asked about. A reported age of a source whose text is the
article's own is not evidence for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from pitboard.careers.services import iso_day, json_value
from pitboard.core import claims as core
from pitboard.core import mentions
from pitboard.news.models import Article
from pitboard.records.models import Person
from pitboard.records.services import bulk
from pitboard.records.services.careers import LookupError_

_DNF = ("accident", "mechanical", "disqualified", "other")
# Drafts one reader may have checked in a minute (page and API together); the longest draft.
CHECKS_PER_MINUTE = 20
DRAFT_LIMIT = 50_000


class DatabaseRecord:
    """The :class:`pitboard.core.claims.Record` of this database; *own_text*: the SHA-256 of
    the article being checked, whose own reported figures do not count."""

    def __init__(self, own_text: str | None = None) -> None:
        self.own_text = own_text
        self._lines: dict[int, list[core.Line]] = {}

    def lines(self, person: int) -> list[core.Line]:
        if person not in self._lines:
            rows = bulk.select_rows(
                "SELECT r.id, s.slug, se.year, r.round, r.date, r.track_id, t.name,"
                " x.start, x.finish, x.laps_led, x.status_class, r.name"
                " FROM records_result x JOIN records_driver d ON d.id = x.driver_id"
                " JOIN records_race r ON r.id = x.race_id"
                " JOIN records_season se ON se.id = r.season_id"
                " JOIN records_series s ON s.id = se.series_id"
                " JOIN records_track t ON t.id = r.track_id"
                " WHERE d.person_id = %s ORDER BY se.year, r.round",
                [person],
            )
            # Combination races: the other series' seasons they count in.
            also: dict[int, list[str]] = {}
            for race, slug in bulk.select_rows(
                "SELECT DISTINCT cr.race_id, s.slug FROM records_championshiprace cr"
                " JOIN records_championship c ON c.id = cr.championship_id"
                " JOIN records_season se ON se.id = c.season_id"
                " JOIN records_series s ON s.id = se.series_id"
                " JOIN records_result x ON x.race_id = cr.race_id"
                " JOIN records_driver d ON d.id = x.driver_id"
                " WHERE cr.round IS NOT NULL AND d.person_id = %s",
                [person],
            ):
                also.setdefault(race, []).append(slug)
            self._lines[person] = [
                core.Line(
                    race=race,
                    series=series,
                    season=year,
                    round=rnd,
                    day=_day(day),
                    track=track,
                    track_name=name,
                    start=start,
                    finish=finish,
                    laps_led=led,
                    dnf=finish is not None and status in _DNF,
                    name=race_name,
                    also=tuple(sorted(also.get(race, ()))),
                )
                for (
                    race,
                    series,
                    year,
                    rnd,
                    day,
                    track,
                    name,
                    start,
                    finish,
                    led,
                    status,
                    race_name,
                ) in rows
            ]
        return self._lines[person]

    def schedule(self, series: str, season: int) -> list[tuple[int, dt.date | None, int]]:
        """The season's races, with the combination races another series holds (each at its
        round in this season)."""
        rows = bulk.select_rows(
            "SELECT r.round, r.date, r.track_id FROM records_race r"
            " JOIN records_season se ON se.id = r.season_id"
            " JOIN records_series s ON s.id = se.series_id"
            " WHERE s.slug = %s AND se.year = %s"
            " UNION SELECT cr.round, r.date, r.track_id FROM records_championshiprace cr"
            " JOIN records_race r ON r.id = cr.race_id"
            " JOIN records_championship c ON c.id = cr.championship_id"
            " JOIN records_season se ON se.id = c.season_id"
            " JOIN records_series s ON s.id = se.series_id"
            " WHERE cr.round IS NOT NULL AND s.slug = %s AND se.year = %s ORDER BY 1",
            [series, season, series, season],
        )
        return [(rnd, _day(day), track) for rnd, day, track in rows]

    def standing(
        self, series: str, season: int, after_round: int, person: int
    ) -> tuple[int, int] | None:
        rows = bulk.select_rows(
            "SELECT sr.position, sr.points FROM records_standingrow sr"
            " JOIN records_season se ON se.id = sr.season_id"
            " JOIN records_series s ON s.id = se.series_id"
            " JOIN records_driver d ON d.id = sr.driver_id"
            " WHERE s.slug = %s AND se.year = %s AND sr.after_round = %s AND d.person_id = %s",
            [series, season, after_round, person],
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def champions(self, series: str) -> dict[int, int] | None:
        rows = bulk.select_rows(
            "SELECT se.year, d.person_id FROM records_standingrow sr"
            " JOIN records_season se ON se.id = sr.season_id"
            " JOIN records_series s ON s.id = se.series_id"
            " JOIN records_driver d ON d.id = sr.driver_id"
            " WHERE s.slug = %s AND sr.position = 1 AND sr.after_round = ("
            "  SELECT MAX(l.after_round) FROM records_standingrow l WHERE l.season_id = se.id)",
            [series],
        )
        return dict(rows) or None

    def birth(self, person: int) -> tuple[dt.date | None, list[core.Reported]]:
        born = bulk.select_rows("SELECT birth_date FROM records_person WHERE id = %s", [person])
        rows = bulk.select_rows(
            "SELECT st.value, st.qualifiers, p.published, p.published_after, p.published_before,"
            " p.title, p.sha256 FROM careers_statement st"
            " JOIN careers_reference rf ON rf.statement_id = st.id"
            " JOIN careers_publication p ON p.id = rf.publication_id"
            " WHERE st.subject_id = %s AND st.property = 'age' AND st.rank != 'deprecated'",
            [person],
        )
        reported = []
        for value, qualifiers, day, after, before, title, digest in rows:
            if digest and digest == self.own_text:
                continue
            value, qualifiers = json_value(value), json_value(qualifiers) or {}
            as_of = _day(qualifiers.get("as_of")) or _day(day)
            first, last = (as_of, as_of) if as_of else (_day(after), _day(before))
            if first is None or last is None or not isinstance(value.get("years"), int):
                continue
            reported.append(core.Reported(value["years"], first, last, title))
        return (_day(born[0][0]) if born else None), reported


def _day(value: Any) -> dt.date | None:
    day = iso_day(value)
    return dt.date.fromisoformat(day) if day else None


def check_text(
    body: str,
    published: dt.date | None,
    found: list[mentions.Mention],
    own_text: str | None = None,
) -> list[core.Claim]:
    """The claims of a text with their verdicts."""
    slugs = dict(bulk.select_rows("SELECT id, slug FROM records_series"))
    claims = core.find(body, found, published, slugs)
    return core.check(claims, DatabaseRecord(own_text), published)


def stored_mentions(article: Article) -> list[mentions.Mention]:
    """An article's stored links as the claims finder reads them (a driver, a person by id)."""
    rows = list(article.mentions.filter(status="linked"))
    people = {m.person_id for m in rows if m.person_id}
    names = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
    out = []
    for m in rows:
        ident = m.person_id or m.track_id or m.team_id or m.series_id
        label = names.get(m.person_id, m.text) if m.person_id else m.text
        out.append(
            mentions.Mention(m.text, m.start, m.end, m.kind, ident, label, m.confidence, m.method)
        )
    return out


def article_check(article: Article, published: dt.date | None = None) -> dict[str, Any]:
    """An imported article's mentions (as stored, an editor's links included) and its claims."""
    day = published or article.published
    found = stored_mentions(article)
    claims = check_text(article.body, day, found, article.sha256)
    return _document(article.body, day, found, claims)


def draft_check(original: str, published: dt.date | None, fmt: str = "text") -> dict[str, Any]:
    """A text not imported (a file, a draft), cleaned and linked as an import would be."""
    from pitboard.core.news import clean
    from pitboard.news import services

    text, meta = services.extract(fmt, original)
    day = published or services.given_day(meta.get("published")) or dt.date.today()
    body = clean(text, meta.get("title")).body
    if not body.strip():
        raise services.ArticleError("no article text in it")
    found = mentions.find(body, services.gazetteer(), day.year, services.places())
    digest = hashlib.sha256(original.encode("utf-8")).hexdigest()
    claims = check_text(body, day, found, digest)
    return _document(body, day, found, claims)


def _document(
    body: str, day: dt.date | None, found: list[mentions.Mention], claims: list[core.Claim]
) -> dict[str, Any]:
    """``{"published", "body", "mentions", "claims"}``: offsets are into the body."""
    return {
        "published": day.isoformat() if day else None,
        "body": body,
        "mentions": [
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "kind": m.kind,
                "entity": {"id": m.ident, "name": m.label, "kind": m.kind},
            }
            for m in found
            if m.ident is not None
        ],
        "claims": [c.document() for c in claims],
    }


def check_file(given: str, published: dt.date | None = None) -> dict[str, Any]:
    """``pitboard news check``: the mentions and claims of a file (read, cleaned and linked as an
    import would, but not stored) or of an imported article (by slug), as of *published* (else
    the article's date, else today)."""
    from pathlib import Path

    from pitboard.news import services

    if not Path(given).exists() and Article.objects.filter(slug=given).exists():
        return article_check_by_slug(given, published)
    if not services.is_address(given) and not Path(given).exists():
        raise services.ArticleError(f"{given}: no such file, and no article has that slug")
    path: Path | str = given if services.is_address(given) else Path(given)
    fmt, original = services.read(path)
    return draft_check(original, published, fmt)


def article_check_by_slug(slug: str, published: dt.date | None = None) -> dict[str, Any]:
    """:func:`article_check` of the article *slug*; LookupError_ for an unknown one."""
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise LookupError_(f"no article {slug!r}")
    return article_check(article, published)
