"""Cleaning an article's text: what a reader came for, apart from what the page wrapped it in.

Scraped text carries the page with it: navigation lines ("Home Tracks News", "top of page"),
credits and disclaimers ("All pictures are courtesy of …"), the author's or the subject's
plugs ("follow her on Instagram …") and, on some sites, the opening paragraphs twice. ``clean``
splits a text into paragraphs, takes its title, and keeps the rest apart with the kind of each
removed piece and where it was in the text as given, so a reader can see what was removed and
why. Nothing here touches a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# Removed pieces, by kind.
CHROME, DISCLAIMER, BYLINE, BLURB, REPEAT = "chrome", "disclaimer", "byline", "blurb", "repeat"

# Near-duplicate paragraphs: the same words but for a few (ratio on normalized text, 0–100).
REPEAT_RATIO = 85
# A paragraph this short or shorter may be a title or a navigation line.
SHORT_WORDS = 20

_NAV_WORDS = {
    "home", "tracks", "news", "menu", "search", "top", "bottom", "of", "page", "share",
    "tweet", "email", "print", "subscribe", "login", "log", "in", "sign", "up", "skip", "to",
    "content", "main", "navigation", "advertisement", "close", "next", "previous", "more",
    "contact", "about", "us", "schedule", "results", "standings", "drivers", "series",
}  # fmt: skip
_DISCLAIMER = re.compile(
    r"(?:photos?|pictures?|images?|video)\b[^.]{0,40}\bcourtesy of|all rights reserved"
    r"|(?:views|opinions) expressed|do not necessarily reflect"
    r"|should not be considered an endorsement|photo credit|image credit"
    r"|affiliate links?|this article (?:was|is) (?:sponsored|republished)|©|\(c\) \d{4}",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"\b(?:instagram|twitter|tiktok|facebook|youtube|x\.com|threads)\b", re.IGNORECASE
)
# "By Andy Marquis": capitalized words, no full stop at the end (not "By Sunday night.").
_BYLINE = re.compile(r"^By ([A-Z][\w.'’-]*(?: [A-Z][\w'’-]*(?:\.[\w'’-]+)*\.?){1,3})$")
# "Pat Quill is the Editor and Content Manager for …": a note about the author.
_ABOUT_AUTHOR = re.compile(
    r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3} (?:is|has been) (?:the |an? )?(?:[\w-]+ ){0,4}"
    r"(?:editor|writer|journalist|contributor|reporter|correspondent|columnist|author)\b",
    re.IGNORECASE,
)
_PLUG = re.compile(
    r"\bfollow (?:him|her|them|us|me)\b|\bcheck out\b|\bsubscribe\b|\bis a (?:writer|journalist"
    r"|contributor|reporter|freelance)\b|\babout the author\b|\bcan be reached at\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Removed:
    kind: str  # chrome, disclaimer, blurb, repeat
    text: str
    start: int  # offsets into the text as given
    end: int
    why: str


@dataclass
class Cleaned:
    title: str
    author: str | None
    body: str  # the kept paragraphs, a blank line between two
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # spans in body
    removed: list[Removed] = field(default_factory=list)
    title_span: tuple[int, int] | None = None  # in the text as given


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The spans of a text's paragraphs: runs of lines between blank lines, trimmed."""
    spans = []
    for match in re.finditer(r"(?:[^\n]|\n(?![ \t\xa0\r]*\n))+", text):
        start, end = match.span()
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if chunk.strip():
            spans.append((start + lead, end - trail))
    return spans


def normalized(text: str) -> str:
    """Lower case, one space between words, curly quotes and dashes as plain ones."""
    text = text.replace("\xa0", " ").translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return " ".join(text.lower().split())


def _is_chrome(text: str) -> bool:
    words = re.findall(r"[a-z]+", normalized(text))
    return bool(words) and len(words) <= 8 and all(w in _NAV_WORDS for w in words)


def _is_title(text: str) -> bool:
    flat = normalized(text)
    return len(flat.split()) <= SHORT_WORDS and not re.search(r"[.!?]$", flat.rstrip("\"'"))


def _kind(text: str) -> tuple[str, str] | None:
    flat = normalized(text)
    words = len(flat.split())
    if _is_chrome(text):
        return CHROME, "a line of the page's navigation"
    if words <= 60 and _DISCLAIMER.search(flat):
        return DISCLAIMER, "a credit or disclaimer"
    if _BYLINE.match(" ".join(text.split())) and not text.rstrip().endswith("."):
        return BYLINE, "the byline: the author's name, kept as the author"
    if words <= 80 and _ABOUT_AUTHOR.match(" ".join(text.split())):
        return BLURB, "a note about the author"
    if words <= 60 and _PLUG.search(flat) and (_SOCIAL.search(flat) or "author" in flat):
        return BLURB, "a plug for the author's or the subject's channels"
    return None


def clean(text: str, title: str | None = None) -> Cleaned:
    """The article in *text*: its title (the first short line without a full stop, unless
    *title* is given) and body, and what was removed, each piece with its kind and span."""
    removed: list[Removed] = []
    kept: list[tuple[int, int]] = []
    title_span = None
    for start, end in paragraphs(text):
        chunk = text[start:end]
        kind = _kind(chunk)
        if kind:
            removed.append(Removed(kind[0], chunk, start, end, kind[1]))
            continue
        if title is None and title_span is None and not kept and _is_title(chunk):
            title_span = (start, end)
            continue
        flat = normalized(chunk)
        if any(fuzz.ratio(flat, normalized(text[s:e]), score_cutoff=REPEAT_RATIO) for s, e in kept):
            why = "repeats an earlier paragraph almost word for word"
            removed.append(Removed(REPEAT, chunk, start, end, why))
            continue
        kept.append((start, end))
    if title is None and title_span is not None:
        title = " ".join(text[title_span[0] : title_span[1]].split())
    body_parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for start, end in kept:
        if body_parts:
            at += 2
        chunk = text[start:end].replace("\xa0", " ").replace("\r", "")
        spans.append((at, at + len(chunk)))
        body_parts.append(chunk)
        at += len(chunk)
    bylines = [_BYLINE.match(" ".join(r.text.split())) for r in removed if r.kind == BYLINE]
    author = next((m.group(1) for m in bylines if m), None)
    return Cleaned(title or "", author, "\n\n".join(body_parts), spans, removed, title_span)
