"""A million results of fictional weekly divisions in one generic file: time and peak memory.

    .venv/bin/python bench/weekly.py [--rows 1000000] [--postgres URL] [--repeats 1]

Writes one CSV in the generic results format (docs/results-format.md): 250 fictional weekly
divisions over 8 seasons (2,000 division-seasons), 20 rounds of 25 cars each. Then, each as a
separate process measured by ``wait4`` (wall time, peak resident memory):

- ``pitboard import results`` into a new SQLite file, next to a flat load of the same rows into
  one SQLite table (the csv module and executemany, nothing else);
- with ``--postgres``, the same import into a new PostgreSQL database, next to a ``COPY`` of the
  file into one flat table.

Every name is made up from syllables: no real person is in the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PY, median, pg_database, timed_child

GIVEN = [
    "Ari",
    "Bo",
    "Cal",
    "Dax",
    "Eli",
    "Fen",
    "Gus",
    "Hal",
    "Ivo",
    "Jax",
    "Kit",
    "Lem",
    "Max",
    "Ned",
    "Oli",
    "Pax",
    "Quin",
    "Rex",
    "Sol",
    "Tad",
]
SYLLABLES = "bar cor dun fel gar hol jen kal lor mar nor pel quar ros sel tam vox wex yal zen"
PARTS = SYLLABLES.split()
DIVISIONS, SEASONS, ROUNDS, CARS = 250, 8, 20, 25


def surname(n: int) -> str:
    return (PARTS[n % 20] + PARTS[(n // 20) % 20] + PARTS[(n // 400) % 20]).title()


def write_file(path: Path, rows: int) -> int:
    """The generic CSV; returns the number of rows written (at most *rows*)."""
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "series",
                "season",
                "round",
                "date",
                "track",
                "car",
                "driver",
                "start",
                "finish",
                "laps",
                "status",
                "points",
            ]
        )
        for division in range(DIVISIONS):
            series = f"weekly-{division:03d}"
            track = f"{surname(division * 7 + 3)} Speedway"
            for season in range(2031, 2031 + SEASONS):
                for rnd in range(1, ROUNDS + 1):
                    date = f"{season}-{4 + (rnd - 1) // 4:02d}-{1 + 7 * ((rnd - 1) % 4):02d}"
                    for slot in range(CARS):
                        if written == rows:
                            return written
                        finish = (slot + rnd) % CARS + 1
                        person = division * CARS + slot
                        out.writerow(
                            [
                                series,
                                season,
                                rnd,
                                date,
                                track,
                                f"{slot + 1}",
                                f"{GIVEN[person % 20]} {surname(person)}",
                                (slot + 2 * rnd) % CARS + 1,
                                finish,
                                50 if finish < 20 else 31,
                                "running" if finish < 20 else "accident",
                                2 + CARS - finish,
                            ]
                        )
                        written += 1
    return written


FLAT_SQLITE = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=NORMAL")
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    conn.execute(f"CREATE TABLE results ({', '.join(header)})")
    marks = ", ".join("?" * len(header))
    conn.executemany(f"INSERT INTO results VALUES ({marks})", reader)
conn.commit()
"""

COPY_POSTGRES = """
import psycopg, sys
with psycopg.connect(sys.argv[2]) as conn:
    with open(sys.argv[1], encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
        conn.execute(f"CREATE TABLE results ({', '.join(h + ' text' for h in header)})")
        with conn.cursor().copy("COPY results FROM STDIN WITH (FORMAT csv)") as copy:
            while block := handle.read(1 << 20):
                copy.write(block)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pitboard-weekly-"))
    source = work / "weekly.csv"
    rows = write_file(source, args.rows)
    mib = source.stat().st_size / 2**20
    results: dict[str, object] = {"rows": rows, "file_mib": round(mib, 1)}

    def import_into(database: str) -> list[str]:
        return [
            PY,
            "-m",
            "pitboard",
            "--database",
            database,
            "import",
            "results",
            str(source),
            "--format",
            "json",
        ]

    times, peaks, flats, flat_peaks = [], [], [], []
    for i in range(args.repeats):
        t, m, out = timed_child(import_into(f"sqlite:///{work / f'weekly-{i}.sqlite3'}"))
        report = json.loads(out)["files"][0]
        assert report["inserted"] == rows, report
        times.append(t)
        peaks.append(m)
        t, m, _ = timed_child([PY, "-c", FLAT_SQLITE, str(source), str(work / f"flat-{i}.db")])
        flats.append(t)
        flat_peaks.append(m)
    results["sqlite"] = {
        "pitboard_s": round(median(times), 1),
        "pitboard_peak_mib": round(max(peaks)),
        "flat_s": round(median(flats), 1),
        "flat_peak_mib": round(max(flat_peaks)),
        "ratio": round(median(times) / median(flats), 1),
    }
    if args.postgres:
        times, peaks, copies = [], [], []
        for _ in range(args.repeats):
            url, drop = pg_database(args.postgres)
            flat, drop_flat = pg_database(args.postgres)
            try:
                t, m, _ = timed_child(import_into(url))
                times.append(t)
                peaks.append(m)
                copies.append(timed_child([PY, "-c", COPY_POSTGRES, str(source), flat])[0])
            finally:
                drop()  # type: ignore[operator]
                drop_flat()  # type: ignore[operator]
        results["postgres"] = {
            "pitboard_s": round(median(times), 1),
            "pitboard_peak_mib": round(max(peaks)),
            "copy_s": round(median(copies), 1),
            "ratio": round(median(times) / median(copies), 1),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
