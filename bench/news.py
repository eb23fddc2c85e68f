"""How long linking a 1,000-word article takes on the full record, next to a baseline.

    PITBOARD_DATABASE_URL=sqlite:///full.sqlite3 .venv/bin/python bench/news.py ARTICLE

The database should hold the full record (NASCAR, racing-reference, the starter careers).
Times, in-process, medians of N runs: building the names (once per data version), cleaning the
article, and finding its mentions; the baseline is the plainest search there is, a substring
test of every known name in the text (which finds no surnames, no proposals and no overlaps).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("article", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--words", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitboard.settings")
    import django

    django.setup()
    from pitboard.core import mentions
    from pitboard.core.news import clean
    from pitboard.news import services

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


if __name__ == "__main__":
    sys.exit(main())
