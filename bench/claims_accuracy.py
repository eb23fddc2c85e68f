"""How often the claim checker is right on fixture texts: recall of the checkable claims (found
with the right verdict) and precision of `contradicted`, per set.

    PITBOARD_DATABASE_URL=sqlite:///careers.sqlite3 .venv/bin/python bench/claims_accuracy.py \
        tests/data/heldout/news_claims_sixth.toml [--misses]

The database should hold what tests/conftest.py's ``career_record`` holds: the starter careers,
the Truck Series file with racing-reference's Truck schedules, and racing-reference's ARCA, East
and West results of 2010-2024. The held-out set is measured, never tuned on: read its misses
only after a change is finished, and report the figure (docs/news.md).
"""

from __future__ import annotations

import argparse
import os
import tomllib
from datetime import date
from pathlib import Path

CHECKABLE = ("supported", "contradicted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", type=Path, nargs="+", help="fixture TOML files")
    parser.add_argument("--misses", action="store_true", help="list what was missed or wrong")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitboard.settings")
    import django

    django.setup()
    from pitboard.news.checking import draft_check

    for path in args.sets:
        wanted = found = called = right = 0
        for text in tomllib.loads(path.read_text(encoding="utf-8"))["text"]:
            doc = draft_check(text["body"], date.fromisoformat(text["published"]))
            got = [(c["predicate"], c["value"], c["verdict"]) for c in doc["claims"]]
            expected = [tuple(c) for c in text["claims"] if c[2] in CHECKABLE]
            missed = []
            for claim in expected:
                wanted += 1
                if claim in got:
                    got.remove(claim)
                    found += 1
                else:
                    missed.append(claim)
            altered = [c[:2] for c in expected if c[2] == "contradicted"]
            wrong = []
            for c in doc["claims"]:
                if c["verdict"] == "contradicted":
                    called += 1
                    if (c["predicate"], c["value"]) in altered:
                        altered.remove((c["predicate"], c["value"]))
                        right += 1
                    else:
                        wrong.append(f"{c['predicate']} {c['value']}: {c['text']!r}")
            if args.misses and (missed or wrong):
                print(f"{text['id']}: missed {missed}; wrongly contradicted {wrong}")
        print(
            f"{path}: recall {found}/{wanted} = {found / max(wanted, 1):.3f};"
            f" precision of contradicted {right}/{called} = {right / max(called, 1):.3f}"
        )


if __name__ == "__main__":
    main()
