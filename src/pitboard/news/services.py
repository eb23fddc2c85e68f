"""The news desk's services: importing articles (text, Markdown, HTML), cleaning them, linking
what they mention, and the documents the pages, the API and the CLI show.

Importing is all or nothing and never duplicates: an article is known by the SHA-256 of its
text as given, and a file imported again is reported as already there. The text as given is
kept beside the cleaned body, with each removed piece and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.html import escape

from pitboard.careers.services import iso_day, json_value
from pitboard.core import mentions as core
from pitboard.core.names import slugify
from pitboard.core.news import clean
from pitboard.news.models import Article, Mention
from pitboard.records.models import Source
from pitboard.records.services import bulk, versions
from pitboard.records.services.careers import LookupError_
from pitboard.records.services.paging import MAX_PER_PAGE, PER_PAGE, Paging

DATASET = "pitboard-news"
EDITOR = "editor"  # the method of a mention an editor linked in the admin
RESERVED = {"check"}  # /news/check/ is the draft checker's page, not an article's
FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
# Where each kind of entity has its page.
_PAGES = {
    core.DRIVER: "/drivers/{slug}/",
    core.PERSON: "/people/{id}/",
    core.TRACK: "/tracks/{slug}/",
    core.TEAM: "/teams/{slug}/",
    core.SERIES: "/series/{slug}/",
}


class ArticleError(ValueError):
    """A file that cannot be imported: says which file and why."""


@dataclass
class Imported:
    articles: list[Article] = field(default_factory=list)
    already: list[tuple[Path | str, Article]] = field(default_factory=list)


# Reading ----------------------------------------------------------------------------------------


def is_address(given: str | Path) -> bool:
    return isinstance(given, str) and given.startswith(("http://", "https://"))


def read(path: Path | str, fmt: str | None = None) -> tuple[str, str]:
    """(format, text as given) of a file or a web address (read as HTML); ArticleError naming
    it for one that cannot be read or is not UTF-8 text."""
    if is_address(path):
        return "html", _fetch(str(path))
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read it: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise ArticleError(f"{path}: empty")
    return fmt or FORMATS.get(path.suffix.lower(), "text"), text


def _fetch(address: str) -> str:
    """A page's HTML; ArticleError with the reason where it cannot be had (no internet, a
    refusal, a page that is not text)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(address, headers={"User-Agent": "pitboard news import"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read(10_000_000)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        raise ArticleError(f"{address}: the site answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:  # ValueError: InvalidURL
        reason = getattr(exc, "reason", exc)
        raise ArticleError(f"{address}: could not fetch it ({reason})") from exc
    try:
        return raw.decode(charset)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ArticleError(f"{address}: not text in {charset}") from exc


def extract(fmt: str, original: str) -> tuple[str, dict[str, Any]]:
    """The article's text and what the page says of it (title, author, date, site) for a
    format: HTML through trafilatura, Markdown with its markup taken out, text as it is."""
    if fmt == "html":
        import trafilatura

        text = trafilatura.extract(
            original, output_format="txt", include_comments=False, include_tables=False
        )
        meta = trafilatura.extract_metadata(original)
        found = {
            "title": meta.title if meta else None,
            "author": meta.author if meta else None,
            "publication": meta.sitename if meta else None,
            "published": meta.date if meta else None,
            "url": meta.url if meta else None,
        }
        return (text or "").replace("\n", "\n\n"), {k: v for k, v in found.items() if v}
    if fmt == "markdown":
        return _unmarked(original)
    return original, {}


def _unmarked(text: str) -> tuple[str, dict[str, Any]]:
    meta: dict[str, Any] = {}
    heading = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    if heading:
        meta["title"] = heading.group(1).strip()
        text = text[: heading.start()] + text[heading.end() :]
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: their words
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", text)
    text = re.sub(r"^\s*[-*+]\s+", "", text, flags=re.MULTILINE)
    return text, meta


# Importing --------------------------------------------------------------------------------------


def import_files(
    paths: Sequence[Path | str],
    published: dt.date | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Imported:
    """Import articles, all or none: an unreadable file stops the import with its name, and
    the database is left as it was. A file imported before is reported, not imported again."""
    given = [(path, *read(path)) for path in paths]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise ArticleError(f"--url: not an http or https address: {url!r}") from exc
        if len(url) > 500:
            raise ArticleError("--url: longer than 500 characters")
    out = Imported()  # the files are all read before anything is written
    names = gazetteer()  # once for the batch: each article written raises the data version
    with transaction.atomic():
        for path, fmt, original in given:
            digest = hashlib.sha256(original.encode("utf-8")).hexdigest()
            known = Article.objects.filter(sha256=digest).first()
            if known is not None:
                out.already.append((path, known))
                continue
            address = str(path) if is_address(path) else None
            given_meta = {"published": published, "url": url or address, "title": title}
            out.articles.append(_create(path, fmt, original, digest, given_meta, names))
        if out.articles:
            versions.bump()
    return out


def _create(
    path: Path | str,
    fmt: str,
    original: str,
    digest: str,
    given: dict[str, Any],
    names: core.Gazetteer,
) -> Article:
    """One article; *given*: the published day, address and title the user gave, which win
    over what the page says."""
    text, meta = extract(fmt, original)
    meta |= {k: v for k, v in given.items() if v}
    cleaned = clean(text, meta.get("title"))
    if not cleaned.body.strip():
        raise ArticleError(f"{path}: no article text in it")
    title = cleaned.title or _first_words(cleaned.body)
    day = (
        meta["published"]
        if isinstance(meta.get("published"), dt.date)
        else given_day(meta.get("published"))
    )
    source, _ = Source.objects.get_or_create(
        dataset=DATASET,
        uri=str(path),
        sha256=digest,
        defaults={"retrieved_at": timezone.now(), "citation": title[:200]},
    )
    base = slugify(title)[:100].strip("-") or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED
    article = Article.objects.create(
        slug=_unique(base, taken),
        title=title[:300],
        author=(meta.get("author") or cleaned.author or "")[:200],
        publication=(meta.get("publication") or "")[:200],
        published=day,
        url=_address(meta.get("url")),
        format=fmt,
        original=original,
        sha256=digest,
        body=cleaned.body,
        removed=[
            {
                "kind": r.kind,
                "text": r.text,
                "start": r.start,
                "end": r.end,
                "why": r.why,
                "within": "original" if fmt == "text" else "extracted",
            }
            for r in cleaned.removed
        ],
        source=source,
        imported_at=timezone.now(),
    )
    link(article, names)
    return article


def _address(given: Any) -> str:
    """A page's own address, where it is an http(s) one that fits; else none."""
    if not isinstance(given, str) or len(given) > 500:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(given)
    except ValidationError:
        return ""
    return given


def _first_words(body: str) -> str:
    words = body.split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


def given_day(given: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(given)[:10]) if given else None
    except ValueError:
        return None


def _unique(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


# Linking ----------------------------------------------------------------------------------------


def link(article: Article, names: core.Gazetteer | None = None) -> list[Mention]:
    """(Re)find what the article mentions and store it: links and proposals. A mention an
    editor linked stays as the editor left it."""
    season = article.published.year if article.published else None
    found = core.find(article.body, names or gazetteer(), season, places())
    kept = list(Mention.objects.filter(article=article, method=EDITOR).values_list("start", "end"))
    Mention.objects.filter(article=article).exclude(method=EDITOR).delete()
    rows = [
        _stored(article, m) for m in found if not any(s < m.end and m.start < e for s, e in kept)
    ]
    Mention.objects.bulk_create(rows)
    return rows


def relink(slugs: Iterable[str] | None = None) -> int:
    """Link the articles again, with the names the record book holds now."""
    chosen = Article.objects.all() if slugs is None else Article.objects.filter(slug__in=slugs)
    if slugs is not None:
        unknown = sorted(set(slugs) - set(chosen.values_list("slug", flat=True)))
        if unknown:
            raise LookupError_(f"no article {', '.join(map(repr, unknown))}")
    count = 0
    names = gazetteer()
    with transaction.atomic():
        for article in chosen:
            link(article, names)
            count += 1
        versions.bump()
    return count


def _stored(article: Article, m: core.Mention) -> Mention:
    entity = {
        "person": m.ident if m.kind in (core.DRIVER, core.PERSON) else None,
        "track": m.ident if m.kind == core.TRACK else None,
        "team": m.ident if m.kind == core.TEAM else None,
        "series": m.ident if m.kind == core.SERIES else None,
    }
    return Mention(
        article=article,
        start=m.start,
        end=m.end,
        text=m.text[:300],
        kind=m.kind,
        status=Mention.Status.PROPOSED if m.ident is None else Mention.Status.LINKED,
        method=m.method,
        confidence=m.confidence,
        candidates=[list(c) for c in m.candidates[:5]],
        **{f"{k}_id": v for k, v in entity.items()},
    )


_GAZETTEER: dict[tuple[Any, ...], core.Gazetteer] = {}


def gazetteer() -> core.Gazetteer:
    """Every name the record book holds, built once per data version (of this database: the
    version's time tells a database restored or replaced from the one cached)."""
    version = (connection.settings_dict.get("NAME"), *versions.current())
    if version not in _GAZETTEER:
        _GAZETTEER.clear()
        _GAZETTEER[version] = core.Gazetteer(list(_names()))
    return _GAZETTEER[version]


def _names() -> Iterable[core.Name]:
    spans: dict[int, list[int]] = {}
    raced: dict[int, set[str]] = defaultdict(set)
    for driver, slug, first, last in bulk.select_rows(
        "SELECT t.subject_id, sr.slug, MIN(s.year), MAX(s.year) FROM records_seasontally t"
        " JOIN records_season s ON s.id = t.season_id"
        " JOIN records_series sr ON sr.id = s.series_id"
        " WHERE t.kind = 'driver' GROUP BY t.subject_id, sr.slug"
    ):
        have = spans.setdefault(driver, [first, last])
        have[0], have[1] = min(have[0], first), max(have[1], last)
        raced[driver].add(slug)
    for pid, did, name, label in bulk.select_rows(
        "SELECT p.id, d.id, p.name, p.name FROM records_person p"
        " LEFT JOIN records_driver d ON d.person_id = p.id"
        " UNION ALL SELECT p.id, d.id, a.name, p.name FROM records_personalias a"
        " JOIN records_person p ON p.id = a.person_id"
        " LEFT JOIN records_driver d ON d.person_id = p.id"
    ):
        first, last = spans.get(did, [None, None]) if did else (None, None)
        kind = core.DRIVER if did else core.PERSON
        yield core.Name(name, kind, pid, label, first, last, frozenset(raced.get(did, ())))
    for tid, name, label in bulk.select_rows(
        "SELECT t.id, t.name, t.name FROM records_track t"
        " UNION ALL SELECT n.track_id, n.name, t.name FROM records_trackname n"
        " JOIN records_track t ON t.id = n.track_id"
    ):
        # "Salem Speedway (IN)": as written, "Salem Speedway", without the state racing-reference
        # tells two tracks of one name apart by.
        for text in {name, re.sub(r"\s*\([A-Z]{2}\)$", "", name)}:
            yield core.Name(text, core.TRACK, tid, label)
            # "Kansas" for Kansas Speedway; "Gateway" for World Wide Technology Raceway at Gateway
            for short in (core.track_short(text), text.partition(" at ")[2]):
                if short:
                    yield core.Name(short, core.TRACK, tid, label, short=True)
    for tid, name, label in bulk.select_rows(
        "SELECT t.id, t.name, t.name FROM records_team t"
        " UNION ALL SELECT a.team_id, a.name, t.name FROM records_teamalias a"
        " JOIN records_team t ON t.id = a.team_id"
    ):
        yield core.Name(name, core.TEAM, tid, label)
    yield from _series_names()


def _series_names() -> Iterable[core.Name]:
    rows = bulk.select_rows(
        "SELECT s.id, s.slug, s.name, s.name, NULL, NULL FROM records_series s"
        " UNION ALL SELECT s.id, s.slug, n.name, s.name, n.first_season, n.last_season"
        " FROM records_seriesname n JOIN records_series s ON s.id = n.series_id"
    )
    reported = bulk.select_rows(
        "SELECT s.id, s.slug, st.value, s.name FROM careers_statement st"
        " JOIN records_series s ON s.id = st.series_id"
        " WHERE st.property = 'series_name' AND st.rank <> 'deprecated'"
    )
    for sid, slug, value, label in reported:
        v = json_value(value)
        season = v.get("season")
        rows.append((sid, slug, v["name"], label, season, season))
    for sid, slug, name, label, first, last in rows:
        for text in core.series_forms(name):
            yield core.Name(text, core.SERIES, sid, label, first, last, frozenset({slug}))


@cache
def places() -> tuple[str, ...]:
    """States, provinces and countries: words a shortened track name must not be taken for."""
    found = [c.name for c in pycountry.countries]
    for country in ("US", "CA", "MX"):
        found += [s.name for s in pycountry.subdivisions.get(country_code=country) or []]
    return tuple(found)


# Reading back -----------------------------------------------------------------------------------

_ENTITY_SQL = {
    core.DRIVER: "SELECT p.id, p.name, d.slug FROM records_person p"
    " JOIN records_driver d ON d.person_id = p.id WHERE p.id IN ({})",
    core.PERSON: "SELECT p.id, p.name, NULL FROM records_person p WHERE p.id IN ({})",
    core.TRACK: "SELECT id, name, slug FROM records_track WHERE id IN ({})",
    core.TEAM: "SELECT id, name, slug FROM records_team WHERE id IN ({})",
    core.SERIES: "SELECT id, name, slug FROM records_series WHERE id IN ({})",
}


def article_document(slug: str) -> dict[str, Any]:
    """An article with its body, what cleaning removed, and its mentions with their entities
    (``{"id", "name", "kind", "slug", "url"}``); LookupError_ for an unknown slug."""
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise LookupError_(f"no article {slug!r}")
    rows = list(article.mentions.all())
    by_kind: dict[str, set[int]] = defaultdict(set)
    for m in rows:
        ident = m.person_id or m.track_id or m.team_id or m.series_id
        if ident is not None:
            by_kind[m.kind].add(ident)
    entities: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, ids in by_kind.items():
        marks = ", ".join(["%s"] * len(ids))
        for ident, name, eslug in bulk.select_rows(_ENTITY_SQL[kind].format(marks), list(ids)):
            url = _PAGES[kind].format(slug=eslug, id=ident)
            entities[(kind, ident)] = {
                "id": ident, "name": name, "kind": kind, "slug": eslug, "url": url
            }  # fmt: skip
    mentions = []
    for m in rows:
        ident = m.person_id or m.track_id or m.team_id or m.series_id
        mentions.append(
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "kind": m.kind or None,
                "status": m.status,
                "method": m.method,
                "confidence": m.confidence,
                "entity": entities.get((m.kind, ident)) if ident is not None else None,
                "candidates": [{"id": i, "name": n} for i, n in m.candidates],
            }
        )
    return {
        "slug": article.slug,
        "title": article.title,
        "author": article.author or None,
        "publication": article.publication or None,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url or None,
        "format": article.format,
        "body": article.body,
        "removed": article.removed,
        "mentions": mentions,
    }


def news_list(page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of the articles, newest first (undated ones last), each with its linked
    mentions' count (counted for the page's articles only): the paging and ``articles``."""
    paging = Paging.of(Article.objects.count(), page, per_page)
    newest = Article.objects.order_by(F("published").desc(nulls_last=True), "-imported_at", "-id")
    rows = list(newest[paging.offset : paging.offset + paging.per_page])
    counts = dict(
        Mention.objects.filter(article_id__in=[a.pk for a in rows], status="linked")
        .values_list("article_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        **paging.as_dict(),
        "articles": [
            {
                "slug": a.slug,
                "title": a.title,
                "publication": a.publication or None,
                "published": a.published.isoformat() if a.published else None,
                "linked": counts.get(a.pk, 0),
            }
            for a in rows
        ],
    }


def all_news() -> list[dict[str, Any]]:
    """Every article, newest first, read a page at a time (for the CLI's list)."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        got = news_list(page, MAX_PER_PAGE)
        out += got["articles"]
        if page >= got["pages"]:
            return out
        page += 1


_RELATED = {
    "driver": "JOIN records_driver x ON x.person_id = m.person_id WHERE x.slug = %s",
    "person": "WHERE m.person_id = %s",
    "track": "JOIN records_track x ON x.id = m.track_id WHERE x.slug = %s",
    "series": "JOIN records_series x ON x.id = m.series_id WHERE x.slug = %s",
}


def related(kind: str, key: str | int, limit: int = 10) -> list[dict[str, Any]]:
    """The articles that mention a driver, person, track or series (by slug; a person by id),
    newest first: ``[{"slug", "title", "published", "mentions"}]``."""
    rows = bulk.select_rows(
        "SELECT a.slug, a.title, a.published, COUNT(*) FROM news_mention m"
        " JOIN news_article a ON a.id = m.article_id "
        + _RELATED[kind]
        + " AND m.status = 'linked' GROUP BY a.id, a.slug, a.title, a.published"
        " ORDER BY CASE WHEN a.published IS NULL THEN 1 ELSE 0 END, a.published DESC, a.id DESC"
        " LIMIT %s",
        (key, limit),
    )
    return [
        {"slug": slug, "title": title, "published": iso_day(day), "mentions": n}
        for slug, title, day, n in rows
    ]


def body_html(doc: dict[str, Any]) -> list[str]:
    """The body's paragraphs as HTML, each linked mention an anchor to its page (escaped)."""
    body: str = doc["body"]
    links = sorted(
        (m for m in doc["mentions"] if m["entity"]), key=lambda m: m["start"]
    )  # fmt: skip
    out: list[str] = []
    start = 0
    for para in body.split("\n\n"):
        end = start + len(para)
        html: list[str] = []
        at = start
        for m in links:
            if start <= m["start"] and m["end"] <= end and at <= m["start"]:
                html.append(escape(body[at : m["start"]]))
                entity = m["entity"]
                title = f"{entity['kind']}: {entity['name']}"
                html.append(
                    f'<a href="{escape(entity["url"])}" class="mention {entity["kind"]}"'
                    f' title="{escape(title)}">{escape(body[m["start"] : m["end"]])}</a>'
                )
                at = m["end"]
        html.append(escape(body[at:end]))
        out.append("".join(html))
        start = end + 2
    return out
