"""Baseline: the same NASCAR rows loaded into ONE flat SQLite table, nothing else.

Usage: python bench/flat_baseline.py NASCAR_DIR DATABASE_FILE
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pandas as pd

folder, target = Path(sys.argv[1]), Path(sys.argv[2])
frames = [
    pd.read_parquet(folder / f"{s}.parquet").assign(series=s) for s in ("cup", "nxs", "truck")
]
df = pd.concat(frames, ignore_index=True)
columns = list(df.columns)
rows = list(df.astype(object).where(df.notna(), None).itertuples(index=False, name=None))
started = time.perf_counter()
conn = sqlite3.connect(target)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=NORMAL")
quoted = ", ".join(f'"{c}"' for c in columns)
conn.execute(f"CREATE TABLE results ({quoted})")
conn.executemany(f"INSERT INTO results VALUES ({', '.join('?' * len(columns))})", rows)
conn.execute('CREATE INDEX results_driver ON results ("Driver")')
conn.commit()
print(time.perf_counter() - started)  # the insert alone, for reference
