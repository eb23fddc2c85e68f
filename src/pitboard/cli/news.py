"""``pitboard news import|list|show|link|check``: the news desk's articles, what they mention and
whether the figures they state hold."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from pitboard.cli import CommandError
from pitboard.cli.output import print_json, print_table, stderr


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    news = commands.add_parser("news", parents=[common], help="articles and what they mention")
    sub = news.add_subparsers(dest="news_command", metavar="COMMAND", required=True)
    given = sub.add_parser(
        "import",
        parents=[common],
        help="import articles from text, Markdown or HTML files or web addresses (all or none;"
        " never twice)",
    )
    given.add_argument(
        "files", metavar="FILE_OR_URL", nargs="+", help="a file, or an http(s) address"
    )
    given.add_argument(
        "--published", metavar="YYYY-MM-DD", type=_day, help="the day they were published"
    )
    given.add_argument("--url", metavar="URL", help="where the article was published")
    given.add_argument("--title", metavar="TITLE", help="its headline, where the text has none")
    given.set_defaults(handler=run_import)
    listing = sub.add_parser("list", parents=[common], help="the articles, newest first")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=run_list)
    show = sub.add_parser(
        "show", parents=[common], help="an article: its mentions and what cleaning removed"
    )
    show.add_argument("slug", metavar="SLUG")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=run_show)
    relink = sub.add_parser(
        "link", parents=[common], help="link the articles again with the names held now"
    )
    relink.add_argument("slugs", metavar="SLUG", nargs="*")
    relink.set_defaults(handler=run_link)
    checking = sub.add_parser(
        "check",
        parents=[common],
        help="check a text's claims against the record as of a day (the file is not imported)",
    )
    checking.add_argument(
        "file", metavar="FILE_OR_SLUG", help="a text, Markdown or HTML file, or an article's slug"
    )
    checking.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        type=_day,
        help="the day it was (or will be) published: the record is read as it stood then"
        " (default: the article's own date, else today)",
    )
    checking.add_argument("--format", choices=("text", "json"), default="text")
    checking.set_defaults(handler=run_check)


def run_import(args: argparse.Namespace) -> int:
    from pitboard.news.services import ArticleError, import_files, is_address

    try:
        given = [f if is_address(f) else Path(f) for f in args.files]
        done = import_files(given, args.published, args.url, args.title)
    except ArticleError as exc:
        raise CommandError(f"nothing imported: {exc}") from exc
    for path, article in done.already:
        stderr.print(f"{path}: already imported as {article.slug}", markup=False)
    for article in done.articles:
        linked = article.mentions.filter(status="linked").count()
        proposed = article.mentions.filter(status="proposed").count()
        removed = len(article.removed)
        stderr.print(
            f"{article.slug}: {linked} mentions linked, {proposed} names proposed for review,"
            f" {removed} pieces removed",
            markup=False,
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from pitboard.news.services import all_news

    rows = all_news()
    if args.format == "json":
        print_json(rows)
    else:
        print_table("News", rows, ["published", "title", "publication", "linked", "slug"])
    return 0


def run_show(args: argparse.Namespace) -> int:
    from pitboard.news.services import article_document
    from pitboard.records.services.careers import LookupError_

    try:
        doc = article_document(args.slug)
    except LookupError_ as exc:
        raise CommandError(str(exc), status=2) from exc
    if args.format == "json":
        print_json(doc)
        return 0
    print(doc["title"])
    for m in doc["mentions"]:
        what = m["entity"]["name"] if m["entity"] else "(proposed for review)"
        print(f"  {m['start']:>6}  {m['text']:<40} {m['kind'] or '':<7} {what} {m['confidence']}")
    for r in doc["removed"]:
        print(f"  removed ({r['kind']}): {' '.join(r['text'].split())[:100]}")
    return 0


def run_link(args: argparse.Namespace) -> int:
    from pitboard.news.services import relink
    from pitboard.records.services.careers import LookupError_

    try:
        count = relink(args.slugs or None)
    except LookupError_ as exc:
        raise CommandError(str(exc), status=2) from exc
    stderr.print(f"{count} articles linked again", markup=False)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from pitboard.news.checking import check_file
    from pitboard.news.services import ArticleError
    from pitboard.records.services.careers import LookupError_

    try:
        doc = check_file(args.file, args.published)
    except (ArticleError, LookupError_) as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json(doc)
        return 0
    counts = f"{len(doc['mentions'])} mentions, {len(doc['claims'])} claims"
    print(f"as of {doc['published']}: {counts}")
    for c in doc["claims"]:
        right = "" if c["verdict"] != "contradicted" else f" (the record: {c['correct_value']})"
        why = f" ({c['why']})" if c["why"] else ""
        print(
            f"  {c['verdict']:<13} {c['predicate']:<12} {c['value']!s:<5} {c['text']!r}{right}{why}"
        )
    return 0
