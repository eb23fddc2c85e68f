"""Fictional results in the nascaR.data layout, for tests that must not use real people."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DRIVERS = ["Avery Quill", "Jordan Marsh", "Riley Stroud", "Casey Dunmore", "Morgan Pike"]
TRACKS = [
    ("Lakeview Oval", 0.375, "paved"),
    ("Cedar Ridge Speedway", 1.5, "paved"),
    ("Pinecrest Road Course", 2.2, "road"),
]


def season_rows(season: int = 2021, races: int = 3, drivers: list[str] | None = None) -> list[dict]:
    """A season of fictional races: every driver in every race, finishing in rotation."""
    drivers = drivers or DRIVERS
    rows = []
    for race in range(1, races + 1):
        track, length, surface = TRACKS[(race - 1) % len(TRACKS)]
        for i, driver in enumerate(drivers):
            finish = (i + race - 1) % len(drivers) + 1
            rows.append(
                {
                    "Season": season,
                    "Race": race,
                    "Track": track,
                    "Name": f"Fictional {race * 100}",
                    "Length": length,
                    "Surface": surface,
                    "Finish": finish,
                    "Start": len(drivers) - finish + 1,
                    "Car": f"{i + 1:02d}",
                    "Driver": driver,
                    "Make": "Chevrolet" if i % 2 else "Ford",
                    "Pts": 50 - finish,
                    "Laps": 100 if finish < 5 else 80,
                    "Led": 10 if finish == 1 else 0,
                    "Status": "running" if finish < 5 else "engine",
                    "Team": f"{driver.split()[1]} Racing",
                    "S1": None,
                    "S2": None,
                    "Rating": 100.0 - finish,
                    "Win": int(finish == 1),
                    "Seg Points": None,
                }
            )
    return rows


def frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for column in (
        "Season",
        "Race",
        "Finish",
        "Start",
        "Pts",
        "Laps",
        "Led",
        "S1",
        "S2",
        "Win",
        "Seg Points",
    ):
        if column in df:
            df[column] = df[column].astype("Int32")
    return df


def write_folder(folder: Path, files: dict[str, list[dict]], fmt: str = "parquet") -> Path:
    """Write cup/nxs/truck files (missing ones get a small season of their own)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in ("cup", "nxs", "truck"):
        rows = files.get(stem)
        if rows is None:
            rows = season_rows(2021, 1, [f"{stem.title()} Regular {n}" for n in range(1, 4)])
        write(folder / f"{stem}.{fmt}", rows)
    return folder


def write(path: Path, rows: list[dict]) -> Path:
    df = frame(rows)
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path, index=False)
    return path
