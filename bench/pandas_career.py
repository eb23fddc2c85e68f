"""The pandas way to answer `pitboard driver NAME`: read the three files, filter, group.

Usage: python bench/pandas_career.py NASCAR_DIR "Richard Petty"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

folder, name = Path(sys.argv[1]), sys.argv[2]
df = pd.concat(
    [pd.read_parquet(folder / f"{s}.parquet").assign(series=s) for s in ("cup", "nxs", "truck")]
)
mine = df[df["Driver"] == name]
started = mine[mine["Finish"].notna()]
start = started["Start"].where(started["Start"] > 0)
out = []
for series, rows in started.assign(Start=start).groupby("series"):
    out.append(
        {
            "series": series,
            "starts": len(rows),
            "wins": int((rows["Finish"] == 1).sum()),
            "top5": int((rows["Finish"] <= 5).sum()),
            "top10": int((rows["Finish"] <= 10).sum()),
            "poles": int((rows["Start"] == 1).sum()),
            "laps": int(rows["Laps"].fillna(0).sum()),
            "laps_led": int(rows["Led"].fillna(0).sum()),
            "avg_start": round(float(rows["Start"].mean()), 2),
            "avg_finish": round(float(rows["Finish"].mean()), 2),
            "best_finish": int(rows["Finish"].min()),
            "dnf": int((rows["Status"].str.strip().str.lower() != "running").sum()),
            "points": int(rows["Pts"].fillna(0).sum()),
        }
    )
print(json.dumps(out))
