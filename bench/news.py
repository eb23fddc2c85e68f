"""How long linking and checking a 1,000-word article take on the full record, next to a
baseline.

    PITBOARD_DATABASE_URL=sqlite:///full.sqlite3 .venv/bin/python bench/news.py ARTICLE \
        [--claims tests/data/news_claims.toml tests/data/news_claims_blind.toml]

The database should hold the full record (NASCAR, racing-reference with the national series'
schedules, the starter careers). Times, in-process, medians of N runs: building the names (once
per data version), cleaning the article, finding its mentions, and `pitboard news check`'s
whole work (clean, link, find the claims, read the record and judge each); the baseline is
the plainest search there is, a substring test of every known name in the text (which finds no
surnames, no proposals and no overlaps). With --claims, the checked text is made of the fixture
texts instead, up to the same number of words: dense with claims, the worst case.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tomllib
from datetime import date
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("article", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--claims", type=Path, nargs="*", default=[], help="fixture TOML files")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitboard.settings")
    import django

    django.setup()
    from pitboard.core import mentions
    from pitboard.core.news import clean
    from pitboard.news import checking, services

    given = args.article.read_text()
    words = clean(given).body.split(" ")
    text = " ".join(words[: args.words])
    start = time.perf_counter()
    names = services.gazetteer()
    build = time.perf_counter() - start
    places = services.places()

    def timed(call: object) -> float:
        runs = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            call()  # type: ignore[operator]
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    keys = list(names.by_key)
    lowered = text.lower()
    clean_s = timed(lambda: clean(given))
    find_s = timed(lambda: mentions.find(text, names, 2017, places))
    naive_s = timed(lambda: [k for k in keys if k in lowered])
    found = mentions.find(text, names, 2017, places)
    print(f"names: {len(names.names)} ({len(keys)} distinct), built in {build:.2f} s")
    print(f"article: {len(text.split())} words; {len(found)} mentions")
    print("| step | median |")
    print("| --- | --- |")
    print(f"| clean (whole article) | {clean_s * 1000:.1f} ms |")
    print(f"| find mentions | {find_s * 1000:.1f} ms |")
    print(f"| baseline: substring test of every name | {naive_s * 1000:.1f} ms |")
    print(f"| ratio find / baseline | {find_s / naive_s:.2f} |")
    checked = text
    day = date(2017, 2, 1)
    if args.claims:
        texts = [t for f in args.claims for t in tomllib.loads(f.read_text())["text"]]
        checked = " ".join(" ".join(t["body"] for t in texts).split(" ")[: args.words])
        day = max(date.fromisoformat(t["published"]) for t in texts)
    claims = checking.draft_check(checked, day)["claims"]
    check_s = timed(lambda: checking.draft_check(checked, day))
    what = f"news check ({len(checked.split())} words, {len(claims)} claims)"
    print(f"| {what} | {check_s * 1000:.1f} ms |")
    print(f"| ratio check / baseline | {check_s / naive_s:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
