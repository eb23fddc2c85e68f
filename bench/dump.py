"""How long `pitboard import dump` takes to load a Parquet export of the full history into a
new SQLite file, next to `pitboard import nascar` of the same nascaR.data files into another:

    .venv/bin/python bench/dump.py --export DIR --nascar ../shared/data/nascar [--repeats 3]

DIR is a `pitboard export --format parquet` of a database holding those files. Each repeat
runs both, one after the other, as the commands a user runs (separate processes, new files);
medians are printed. Both end with the standings, tallies and milestones computed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--export", type=Path, required=True)
    parser.add_argument("--nascar", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    commands = {
        "import nascar (baseline)": ["import", "nascar", "--source", str(args.nascar)],
        "import dump": ["import", "dump", str(args.export)],
    }
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory(prefix="pitboard-dump-") as folder:
                url = f"sqlite:///{Path(folder) / 'pitboard.sqlite3'}"
                began = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "pitboard", "--database", url, *command],
                    check=True,
                    capture_output=True,
                )
                runs[name].append(time.perf_counter() - began)
    base = statistics.median(runs["import nascar (baseline)"])
    print(f"medians of {args.repeats}")
    for name, got in runs.items():
        median = statistics.median(got)
        print(f"  {name:28} {median:6.1f} s  ({median / base:.2f}×)")


if __name__ == "__main__":
    main()
