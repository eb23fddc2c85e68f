"""Career figures of ``pitboard driver NAME --format json`` checked against the raw NASCAR files.

The expected figures are computed here independently, straight from the Parquet files in
``../shared/data/nascar`` with pandas and plain Python (nothing is imported from ``pitboard``),
following the contract of the ``driver`` command:

- series slug = file stem (cup, nxs, truck); a driver is matched by the exact ``Driver`` string;
- rows by series, by (series, Season) or by (series, track layout); a group exists wherever the
  driver has any row; order: cup, nxs, truck, then season / track label ascending. A track is
  its name (the current one where the track catalog, ``src/pitboard/data/tracks.toml``, lists
  the file's name as another name of the track), and a race with Surface "road" under an oval's
  name is on that speedway's road course: such a name is labelled "NAME (oval)" /
  "NAME (road course)" when the driver raced both;
- starts = rows with a Finish; wins / top5 / top10 / poles / averages / best over starts;
- dnf = rows (entries, started or not) whose Status is not "running" (PRODUCT.md's contract);
- laps, laps_led, points = sums over all the group's rows (missing = 0);
- a Start of 0 means unknown; averages rounded to 2 decimals with Python's ``round``;
- duplicate rows (a driver twice in one race) count normally.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from typing import Any

import pandas as pd
import pytest

from tests.conftest import NASCAR, REPO, Pitboard

pytestmark = pytest.mark.realdata

SERIES = ("cup", "nxs", "truck")
FIELDS = (
    "series",
    "season",
    "track",
    "starts",
    "wins",
    "top5",
    "top10",
    "poles",
    "laps",
    "laps_led",
    "avg_start",
    "avg_finish",
    "best_finish",
    "dnf",
    "points",
)

# Drivers named in the brief plus three long three-series careers picked from the data.
DRIVERS = [
    "Fireball Roberts",
    "Richard Petty",
    "Kaz Grala",
    "Danica Patrick",
    "Julia Landauer",
    "Johnny Benson Jr.",
    "Johnny Benson Sr.",
    "Kyle Petty",
    "Lee Petty",
    "Adam Petty",
    "Dale Earnhardt",
    "Jimmie Johnson",
    "Kyle Busch",
    "Ron Hornaday Jr.",
    "Mike Skinner",
    "Jeff Gordon",
    "Bobby Allison",
    "David Pearson",
    "Doug Cooper",  # twice in one 1966 Cup race
    "Tommy Houston",  # twice in one 1986 NXS race; 36 starts with Start 0
    "Benny Gordon",  # an NXS 2009 entry without a finishing position
    "Mark Green",  # an NXS 2009 entry without a finish, Start 0
    "Mike Harmon",  # an NXS 2022 entry without a finish, Start 0
    "Morgan Shepherd",  # 1967-2016, all three series
    "Mark Martin",  # 1981-2013, all three series
    "Joe Nemechek",  # all three series, entries without laps led
]

BY_SEASON = [
    "Richard Petty",
    "Kaz Grala",
    "Danica Patrick",
    "Johnny Benson Jr.",
    "Adam Petty",
    "Kyle Busch",
    "Doug Cooper",
    "Tommy Houston",
    "Benny Gordon",
    "Mark Green",
    "Mike Harmon",
    "Morgan Shepherd",
]

BY_TRACK = [
    "Richard Petty",  # raced both the oval and the road course at Charlotte and Augusta
    "Fireball Roberts",  # likewise, at two speedways
    "Lee Petty",
    "Julia Landauer",
    "Ron Hornaday Jr.",
    "Doug Cooper",
    "Tommy Houston",
    "Mike Skinner",
]

NXS_ONLY = [
    "Dale Earnhardt",
    "Kyle Busch",
    "Tommy Houston",
    "Benny Gordon",
    "Mark Martin",
]


# --------------------------------------------------------------------------- expectations


@functools.lru_cache(maxsize=1)
def raw_results() -> pd.DataFrame:
    """All three files, loaded once, with a ``series`` column holding the file stem, and each
    track under the name the track catalog gives it."""
    frames = []
    for slug in SERIES:
        frame = pd.read_parquet(NASCAR / f"{slug}.parquet")
        frames.append(frame.assign(series=slug))
    results = pd.concat(frames, ignore_index=True)
    catalog = tomllib.loads((REPO / "src" / "pitboard" / "data" / "tracks.toml").read_text())
    road = results["Surface"].eq("road").fillna(False) | results["Track"].str.contains(
        "Road Course"
    )
    for track in catalog["track"]:
        named = results["Track"].isin(track.get("aliases", []))
        on_layout = road if track["layout"] == "road_course" else ~road
        results.loc[named & on_layout, "Track"] = track["name"]
    return results


def _values(column: pd.Series) -> list[int | None]:
    """A column as Python ints, ``None`` where the value is missing."""
    return [None if pd.isna(v) else int(v) for v in column]


def figures(rows: pd.DataFrame) -> dict[str, Any]:
    """The statistics of one group of result rows (every row counts; duplicates included)."""
    finishes = _values(rows["Finish"])
    starts_at = _values(rows["Start"])
    statuses = [str(s) for s in rows["Status"]]
    laps = _values(rows["Laps"])
    led = _values(rows["Led"])
    pts = _values(rows["Pts"])

    started = [
        (finish, start, status)
        for finish, start, status in zip(finishes, starts_at, statuses, strict=True)
        if finish is not None
    ]
    finish_list = [finish for finish, _, _ in started]
    known_starts = [start for _, start, _ in started if start is not None and start != 0]
    return {
        "starts": len(started),
        "wins": sum(1 for f in finish_list if f == 1),
        "top5": sum(1 for f in finish_list if f <= 5),
        "top10": sum(1 for f in finish_list if f <= 10),
        "poles": sum(1 for s in known_starts if s == 1),
        "laps": sum(v or 0 for v in laps),
        "laps_led": sum(v or 0 for v in led),
        "avg_start": round(sum(known_starts) / len(known_starts), 2) if known_starts else None,
        "avg_finish": round(sum(finish_list) / len(finish_list), 2) if finish_list else None,
        "best_finish": min(finish_list) if finish_list else None,
        "dnf": sum(1 for status in statuses if status.strip().lower() != "running"),
        "points": sum(v or 0 for v in pts),
    }


def expected_document(name: str, by: str = "series", series: str | None = None) -> dict[str, Any]:
    """Expected ``rows`` and ``total`` of ``pitboard driver NAME --by BY [--series S]``."""
    data = raw_results()
    mine = data[data["Driver"] == name]
    if series is not None:
        mine = mine[mine["series"] == series]
    assert len(mine) > 0, f"{name!r} has no rows in the files (series={series})"

    rows: list[dict[str, Any]] = []
    for slug in SERIES:
        in_series = mine[mine["series"] == slug]
        if in_series.empty:
            continue
        if by == "series":
            rows.append({"series": slug, "season": None, "track": None, **figures(in_series)})
        elif by == "season":
            for season in sorted({int(s) for s in in_series["Season"]}):
                group = in_series[in_series["Season"] == season]
                rows.append({"series": slug, "season": season, "track": None, **figures(group)})
        elif by == "track":
            road = in_series["Surface"].eq("road").fillna(False) | in_series["Track"].str.contains(
                "Road Course"
            )
            layouts = in_series.assign(_road=road)
            both = layouts.groupby("Track")["_road"].nunique()
            labels = {
                (track, is_road): (
                    f"{track} ({'road course' if is_road else 'oval'})"
                    if both[track] > 1
                    else track
                )
                for track, is_road in zip(layouts["Track"], layouts["_road"], strict=True)
            }
            for key, label in sorted(labels.items(), key=lambda item: item[1]):
                group = layouts[(layouts["Track"] == key[0]) & (layouts["_road"] == key[1])]
                rows.append({"series": slug, "season": None, "track": label, **figures(group)})
        else:
            raise ValueError(by)
    total = {"series": series, "season": None, "track": None, **figures(mine)}
    return {"rows": rows, "total": total}


# --------------------------------------------------------------------------- comparison


def _label(row: dict[str, Any]) -> str:
    parts = [str(row.get("series"))]
    if row.get("season") is not None:
        parts.append(str(row["season"]))
    if row.get("track") is not None:
        parts.append(str(row["track"]))
    return "/".join(parts)


def _mismatches(where: str, expected: dict[str, Any], got: dict[str, Any]) -> Iterable[str]:
    missing = [field for field in FIELDS if field not in got]
    if missing:
        yield f"{where}: fields missing from the output: {missing}"
    for field in FIELDS:
        if field not in got:
            continue
        want, have = expected[field], got[field]
        # bool is an int subclass: a True/False where a number is due is a mismatch too
        if want != have or isinstance(have, bool) or (want is None) != (have is None):
            yield f"{where}, field {field!r}: expected {want!r}, got {have!r}"


def compare(name: str, args: tuple[str, ...], expected: dict[str, Any], got: dict[str, Any]):
    """Assert that the CLI document matches the expectation, with every difference listed."""
    context = f"driver {name!r} ({' '.join(args) or '--by series'})"
    assert set(got) >= {"driver", "rows", "total"}, f"{context}: keys {sorted(got)}"
    driver = got["driver"]
    assert driver["name"] == name, f"{context}: matched driver {driver!r}"
    assert isinstance(driver["id"], str) and driver["id"], f"{context}: driver id {driver!r}"
    assert isinstance(driver["slug"], str) and driver["slug"], f"{context}: slug {driver!r}"

    want_keys = [_label(r) for r in expected["rows"]]
    got_keys = [_label(r) for r in got["rows"]]
    assert got_keys == want_keys, (
        f"{context}: rows (number/order) differ\n  expected {want_keys}\n  got      {got_keys}"
    )
    problems: list[str] = []
    for want_row, got_row in zip(expected["rows"], got["rows"], strict=True):
        problems.extend(_mismatches(f"{context}, row {_label(want_row)}", want_row, got_row))
    problems.extend(_mismatches(f"{context}, total", expected["total"], got["total"]))
    assert not problems, "\n".join(problems)


def check(nascar_db: Pitboard, name: str, *args: str) -> dict[str, Any]:
    by = "series"
    series = None
    if "--by" in args:
        by = args[args.index("--by") + 1]
    if "--series" in args:
        series = args[args.index("--series") + 1]
    expected = expected_document(name, by, series)
    got = nascar_db.json("driver", name, *args)
    compare(name, args, expected, got)
    return got


# --------------------------------------------------------------------------- tests


def test_drivers_exist_exactly_as_written() -> None:
    """Guard for the lists above: each name is a ``Driver`` string in the files as written."""
    if not (NASCAR / "cup.parquet").exists():
        pytest.skip(f"the NASCAR files are not at {NASCAR}")
    known = set(raw_results()["Driver"])
    absent = [name for name in DRIVERS if name not in known]
    assert not absent, f"not in the files: {absent}"
    for group in (BY_SEASON, BY_TRACK, NXS_ONLY):
        assert set(group) <= set(DRIVERS)
    data = raw_results()
    for name in NXS_ONLY:
        assert ((data["Driver"] == name) & (data["series"] == "nxs")).any(), name


def test_expectation_sees_the_known_quirks() -> None:
    """The expectation code counts duplicated entries and skips rows without a Finish."""
    if not (NASCAR / "cup.parquet").exists():
        pytest.skip(f"the NASCAR files are not at {NASCAR}")
    data = raw_results()
    cooper = data[
        (data["Driver"] == "Doug Cooper")
        & (data["series"] == "cup")
        & (data["Season"] == 1966)
        & (data["Race"] == 38)
    ]
    assert len(cooper) == 2
    assert figures(cooper)["starts"] == 2
    gordon = data[
        (data["Driver"] == "Benny Gordon") & (data["series"] == "nxs") & (data["Season"] == 2009)
    ]
    assert gordon["Finish"].isna().sum() == 1
    assert figures(gordon)["starts"] == len(gordon) - 1


@pytest.mark.parametrize("name", DRIVERS)
def test_career_by_series(nascar_db: Pitboard, name: str) -> None:
    check(nascar_db, name)


@pytest.mark.parametrize("name", BY_SEASON)
def test_career_by_season(nascar_db: Pitboard, name: str) -> None:
    check(nascar_db, name, "--by", "season")


@pytest.mark.parametrize("name", BY_TRACK)
def test_career_by_track(nascar_db: Pitboard, name: str) -> None:
    check(nascar_db, name, "--by", "track")


@pytest.mark.parametrize("name", NXS_ONLY)
def test_career_in_nxs_only(nascar_db: Pitboard, name: str) -> None:
    check(nascar_db, name, "--series", "nxs")


@pytest.mark.parametrize("name", ["Tommy Houston", "Benny Gordon"])
def test_career_in_nxs_by_season(nascar_db: Pitboard, name: str) -> None:
    check(nascar_db, name, "--series", "nxs", "--by", "season")


def test_benson_junior_and_senior_are_two_drivers(nascar_db: Pitboard) -> None:
    junior = check(nascar_db, "Johnny Benson Jr.")
    senior = check(nascar_db, "Johnny Benson Sr.")
    assert junior["driver"]["id"] != senior["driver"]["id"], (
        f"Johnny Benson Jr. and Sr. share the driver id {junior['driver']['id']!r}"
    )
    assert junior["driver"]["slug"] != senior["driver"]["slug"]
