"""Printing documents as tables, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

# Piped output is not cut to 80 columns: tables keep their numbers whole.
stdout = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
stderr = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)

FORMATS = ("table", "json", "csv")


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_csv(rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def print_table(title: str | None, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    table = Table(title=title, title_justify="left")
    for name in columns:
        numeric = bool(rows) and isinstance(rows[0].get(name), (int, float))
        table.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else _cell(row[c]) for c in columns))
    stdout.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
