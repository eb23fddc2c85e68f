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


def result_row(
    season: int, race: int, driver: str, finish: int, car: int, **fields: object
) -> dict:
    """One fictional result in the nascaR.data layout; *fields* override the defaults."""
    track, length, surface = TRACKS[(race - 1) % len(TRACKS)]
    return {
        "Season": season,
        "Race": race,
        "Track": track,
        "Name": f"Fictional {race * 100}",
        "Length": length,
        "Surface": surface,
        "Finish": finish,
        "Start": None,
        "Car": f"{car:02d}",
        "Driver": driver,
        "Make": "Ford",
        "Pts": 50 - finish,
        "Laps": 100,
        "Led": 10 if finish == 1 else 0,
        "Status": "running",
        "Team": f"{driver.split()[1]} Racing",
        "S1": None,
        "S2": None,
        "Rating": 100.0 - finish,
        "Win": int(finish == 1),
        "Seg Points": None,
        **fields,
    }


def season_rows(season: int = 2021, races: int = 3, drivers: list[str] | None = None) -> list[dict]:
    """A season of fictional races: every driver in every race, finishing in rotation."""
    drivers = drivers or DRIVERS
    rows = []
    for race in range(1, races + 1):
        for i, driver in enumerate(drivers):
            finish = (i + race - 1) % len(drivers) + 1
            rows.append(
                result_row(
                    season,
                    race,
                    driver,
                    finish,
                    i + 1,
                    Start=len(drivers) - finish + 1,
                    Make="Chevrolet" if i % 2 else "Ford",
                    Laps=100 if finish < 5 else 80,
                    Status="running" if finish < 5 else "engine",
                )
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


RR_HEADER = (
    "season,series_id,race_id,race_id_short,finish_position,starting_position,driver_number,"
    "driver_nationality,driver_id,driver_name,sponsor,owner_id,car,race_laps_run,race_status,"
    "race_laps_lead,points_earned,playoff_points_earned"
)
RR_SCHEDULE_HEADER = (
    "season,series_id,race_num,race_date,race_short_id,race_track_name,race_track_id,"
    "race_car_count,race_winner_name,race_winner_real_id,race_winner_starting_pos,"
    "race_winner_make,race_lap_len,race_track_surface,race_miles_completed,race_purse_completed,"
    "race_pole_time,race_cautions,race_speed,race_lead_changes,race_url,race_track_url,"
    "race_winner_url"
)


def rr_season(
    root: Path,
    folder: str,
    code: str,
    season: int,
    entries: list[tuple[str, str, str]],
    *,
    older: bool = False,
    races: int = 2,
    dates: list[str] | None = None,
    names: list[str] | None = None,
    points_from: int = 50,
    track: tuple[str, str, str, str] = ("Lakeview", "Lakeview_Oval", "0.375", "P"),
    nationalities: dict[str, str] | None = None,
) -> Path:
    """A fictional racing-reference season: *entries* are (driver_id, driver_name, car) and
    finish in that order in every race (the winner scores *points_from* - 1); *older* writes
    the layout with the prize-money column (status, laps led and points one column right of
    their headers); *names* names the races (``Fictional_100``, ``Fictional_200``…); *track*
    is the schedule's (location label, track id, length, surface) of every race; a driver's
    ``driver_nationality`` is "usa" unless *nationalities* (driver_id → word) says otherwise."""
    results = root / folder / "race_results"
    schedule = root / folder / "schedule"
    results.mkdir(parents=True, exist_ok=True)
    schedule.mkdir(parents=True, exist_ok=True)
    lines = [RR_HEADER]
    plan = [RR_SCHEDULE_HEADER]
    for race in range(1, races + 1):
        short = f"{season}_{race:02d}" + (f"_{code}" if older else "")
        called = names[race - 1] if names else f"Fictional_{race}00"
        for position, (driver_id, name, car) in enumerate(entries, start=1):
            led = 30 if position == 1 else 0
            points = points_from - position
            tail = (
                f"100,{1000 - position},running,{led},{points}"
                if older
                else f"100,running,{led},{points},"
            )
            lines.append(
                f"{season},{code},{season}_{called},{short},{position},{position},"
                f"{car},{(nationalities or {}).get(driver_id, 'usa')},{driver_id},"
                f'"{name}",Acme Widgets,,Ford,{tail}'
            )
        when = (dates or [])[race - 1] if dates else f"05/{race:02d}/{season % 100:02d}"
        plan.append(
            f"{season},{code},{race},{when},{season}_{race:02d},{track[0]},{track[1]},"
            f"{len(entries)},x,x,1,Ford,{track[2]},{track[3]},37,,90.1,3,70.2,4,u,u,u"
        )
    (results / f"{season}_race_results.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (schedule / f"{season}_schedule.csv").write_text("\n".join(plan) + "\n", "utf-8")
    return root
