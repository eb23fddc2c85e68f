"""racing-reference's import next to a flat load of the same rows, in the same run.

    .venv/bin/python bench/racing_reference.py [--source DIR] [--repeats N]

The flat load reads every ``*/race_results/*_race_results.csv`` with pandas and inserts the rows
as they are into one SQLite table (``--flat`` runs only that, in its own process). Each run is a
separate process measured by ``wait4``; prints medians and every run.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PY, REPO, median, timed_child


def flat_load(source: Path, target: Path) -> None:
    import pandas as pd

    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted(source.glob("*/race_results/*_race_results.csv"))
    ]
    frame = pd.concat(frames, ignore_index=True)
    columns = list(frame.columns)
    rows = list(frame.itertuples(index=False, name=None))
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE results ({', '.join(repr(c) for c in columns)})")
    conn.executemany(f"INSERT INTO results VALUES ({', '.join('?' * len(columns))})", rows)
    conn.execute("CREATE INDEX results_driver ON results (driver_id)")
    conn.commit()
    print(len(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--source", default=str(REPO.parent / "shared" / "data" / "racing-reference")
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--flat", metavar="DATABASE", help="run only the flat load into DATABASE")
    args = parser.parse_args()
    if args.flat:
        flat_load(Path(args.source), Path(args.flat))
        return
    work = Path(tempfile.mkdtemp(prefix="pitboard-bench-rr-"))
    imports, flats, memory = [], [], []
    for i in range(args.repeats):
        flat = work / f"flat-{i}.sqlite3"
        t, _, _ = timed_child([PY, __file__, "--source", args.source, "--flat", str(flat)])
        flats.append(t)
        database = f"sqlite:///{work / f'pitboard-{i}.sqlite3'}"
        command = [PY, "-m", "pitboard", "--database", database, "import", "racing-reference"]
        # Exit 3: some rows rejected (one on the shared files), each with its reason.
        t, m, _ = timed_child([*command, "--source", args.source, "--format", "json"], ok=(0, 3))
        imports.append(t)
        memory.append(m)
    print(
        f"| racing-reference import into SQLite, wall | {median(imports):.2f} s | flat table "
        f"{median(flats):.2f} s | {median(imports) / median(flats):.1f}× | within 4× |"
    )
    print(f"| same, peak memory | {max(memory):.0f} MiB | | | |")
    print(
        "Every run, in order: pitboard "
        + ", ".join(f"{t:.2f}" for t in imports)
        + " s; flat "
        + ", ".join(f"{t:.2f}" for t in flats)
        + " s."
    )


if __name__ == "__main__":
    main()
