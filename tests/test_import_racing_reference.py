"""`pitboard import racing-reference`: the traps of the scraped files, found from their content.

Fictional drivers in files laid out like the public repository's; the last test reads the shared
files (realdata) for the articles' driver's published figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import rr_season
from tests.conftest import SHARED, Pitboard, fresh_database, query

RR = SHARED / "data" / "racing-reference"
ENTRIES = [
    ("Avery_Quill", "Avery Quill", "7"),
    ("Jordan_Marsh", "Jordan Marsh", "12"),
    ("Riley_Stroud", "Riley Stroud", "3"),
]


def imported(pitboard: Pitboard, root: Path | str, *args: str) -> dict[str, Any]:
    done = pitboard.run(
        "import", "racing-reference", "--source", str(root), *args, "--format", "json"
    )
    assert done.returncode in (0, 3), done.stderr
    import json

    report: dict[str, Any] = json.loads(done.stdout)
    return report


def career(pitboard: Pitboard, name: str) -> dict[str, dict[str, Any]]:
    found = pitboard.json("driver", name, "--by", "series")
    return {**{r["series"]: r for r in found["rows"]}, "total": found["total"]}


def file_outcomes(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What an import report says of each file: status, results inserted, records created,
    remarks."""
    return [
        (f["file"], f["status"], f["inserted"], f["created"], f["remarks"]) for f in report["files"]
    ]


def remarks(report: dict[str, Any]) -> dict[str, int]:
    return {r["reason"]: r["count"] for f in report["files"] for r in f["remarks"]}


def test_both_column_layouts_read_alike(pitboard: Pitboard, tmp_path: Path) -> None:
    """The older layout's prize money pushes status, laps led and points one column right of
    their headers; the layout is told from the values of each file, not from its year."""
    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2010, ENTRIES, older=True)
    rr_season(root, "nascar_arca", "A", 2022, ENTRIES)
    report = imported(pitboard, root)
    assert [f["status"] for f in report["files"]] == ["imported", "imported"]
    assert sum(f["inserted"] for f in report["files"]) == 12
    notes = " ".join(remarks(report))
    assert "older column layout" in notes and "newer column layout" in notes

    winner = pitboard.json("driver", "Avery Quill", "--by", "season")["rows"]
    by_season = {r["season"]: r for r in winner}
    for season in (2010, 2022):
        row = by_season[season]
        assert (row["starts"], row["wins"], row["laps_led"], row["points"]) == (2, 2, 60, 98)
    statuses = query(
        pitboard.database, "SELECT DISTINCT status_text FROM records_result ORDER BY 1"
    )
    assert statuses == [("running",)]
    money = query(
        pitboard.database,
        "SELECT COUNT(*) FROM records_result WHERE prize_money IS NOT NULL",
    )
    assert money == [(6,)]  # the older file's six entries have prize money, the newer none


def test_the_series_comes_from_series_id_not_the_folder(pitboard: Pitboard, tmp_path: Path) -> None:
    root = tmp_path / "rr"
    # As in the public repository: the folder named for the East holds the West series.
    rr_season(root, "nascar_arca_east", "P", 2015, ENTRIES)
    rr_season(root, "nascar_arca_west", "E", 2015, ENTRIES)
    imported(pitboard, root)
    assert set(career(pitboard, "Avery Quill")) == {"arca-west", "arca-east", "total"}
    names = dict(query(pitboard.database, "SELECT slug, name FROM records_series"))
    assert names == {
        "arca-east": "ARCA Menards Series East",
        "arca-west": "ARCA Menards Series West",
    }


def test_names_lose_rookie_marks_tags_and_odd_spaces_and_keep_their_ids(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2021, ENTRIES)
    marked = [
        ("Avery_Quill", "Avery Quill *", "7"),
        ("Jordan_Marsh", "Jordan Marsh\u00a0(Cup)", "12"),
        ("Riley_Stroud", "Riley\u00a0Stroud ", "3"),
    ]
    rr_season(root, "nascar_arca", "A", 2022, marked)
    report = imported(pitboard, root)
    notes = remarks(report)
    assert notes["rookie mark ' *' taken out of the name"] == 2
    assert notes["series tag such as '(Cup)' taken out of the name"] == 2
    drivers = query(pitboard.database, "SELECT name FROM records_person ORDER BY name")
    assert drivers == [("Avery Quill",), ("Jordan Marsh",), ("Riley Stroud",)]
    assert career(pitboard, "Jordan Marsh")["arca"]["starts"] == 4
    keys = query(
        pitboard.database,
        "SELECT key FROM records_sourcekey WHERE dataset = 'racing-reference' AND kind = 'driver' "
        "ORDER BY key",
    )
    assert keys == [("Avery_Quill",), ("Jordan_Marsh",), ("Riley_Stroud",)]


def test_dashes_are_missing_values_and_a_row_without_id_finds_its_person(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_pintys", "T", 2023, [("Elodie_Brule", "Elodie Brulé", "5")])
    rr_season(root, "nascar_pintys", "T", 2024, [("", "Elodie Brul", "5"), *ENTRIES[:1]])
    path = root / "nascar_pintys" / "race_results" / "2024_race_results.csv"
    text = path.read_text("utf-8").replace("Acme Widgets", "\u2013", 1)
    path.write_text(text.replace(",1,1,5,", ",1,-,5,", 1), "utf-8")
    report = imported(pitboard, root)
    assert all(f["rejected"] == 0 for f in report["files"])
    notes = remarks(report)
    assert notes["a dash for 'no value' read as empty"] == 1
    assert any(n.startswith("no driver_id: given the id") for n in notes)
    assert career(pitboard, "Elodie")["pintys"]["starts"] == 4
    starts = query(
        pitboard.database,
        "SELECT COUNT(*) FROM records_result WHERE start IS NULL AND sponsor = ''",
    )
    assert starts == [(1,)]


def test_dates_take_their_century_from_the_season_and_odd_ones_are_flagged(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_midwest_series", "MW", 2000, ENTRIES, dates=["04/02/99", "06/10/00"])
    rr_season(root, "nascar_north_tour", "NN", 1980, ENTRIES, dates=["05/03/80", "07/12/80"])
    report = imported(pitboard, root)
    dates = query(pitboard.database, "SELECT date FROM records_race ORDER BY date")
    assert [str(d[0])[:10] for d in dates] == [
        "1980-05-03",
        "1980-07-12",
        "1999-04-02",
        "2000-06-10",
    ]
    assert remarks(report)["race date outside the 2000 season: kept as given"] == 1


def test_selection_copies_and_reruns(pitboard: Pitboard, tmp_path: Path) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2021, ENTRIES)
    rr_season(root, "nascar_arca", "A", 2022, ENTRIES)
    rr_season(root, "nascar_pintys", "T", 2022, ENTRIES)
    # The public repository keeps a copy of the ARCA files under another name.
    copy = root / "nascar_modified" / "race_results"
    copy.mkdir(parents=True)
    source = root / "nascar_arca" / "race_results" / "2022_race_results.csv"
    (copy / "2022_race_results.csv").write_bytes(source.read_bytes())

    only = imported(pitboard, root, "--series", "arca", "--seasons", "2022")
    done = {f["file"]: f["status"] for f in only["files"]}
    assert done == {
        "nascar_arca/race_results/2022_race_results.csv": "imported",
        "nascar_modified/race_results/2022_race_results.csv": "skipped",
    }

    everything = imported(pitboard, root)
    refused = [f for f in everything["files"] if f["status"] != "imported"]
    assert refused[0]["status"] == "skipped"
    assert len(refused) == 1 and "a copy, not imported again" in refused[0]["error"]
    assert refused[0]["file"] == "nascar_modified/race_results/2022_race_results.csv"
    before = pitboard.stats()
    again = imported(pitboard, root)
    assert again["changed"] is False and pitboard.stats() == before

    wrong = pitboard.run("import", "racing-reference", "--source", str(root), "--series", "nope")
    assert wrong.returncode == 2 and "unknown series nope" in wrong.stderr
    span = pitboard.run("import", "racing-reference", "--source", str(root), "--seasons", "24")
    assert span.returncode == 2 and "expected a year or a span" in span.stderr


def test_a_race_missing_from_the_schedule_is_rejected_with_its_line(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2022, ENTRIES)
    plan = root / "nascar_arca" / "schedule" / "2022_schedule.csv"
    plan.write_text("\n".join(plan.read_text("utf-8").splitlines()[:2]) + "\n", "utf-8")
    report = imported(pitboard, root)
    (file,) = report["files"]
    assert (file["inserted"], file["rejected"]) == (3, 3)
    assert {r["row"] for r in file["rejects"]} == {4, 5, 6}  # data rows: lines 5 to 7
    assert "not in the season's schedule" in file["rejects"][0]["reason"]


@pytest.mark.realdata
def test_the_articles_driver_from_the_shared_files(pitboard: Pitboard) -> None:
    """Amber Balcaen's published record: 46 starts (43 ARCA, 1 East, 2 Pinty's), 14 top tens,
    best finish 6th, 3 laps led; every row of the three series stored or rejected."""
    if not (RR / "nascar_arca").is_dir():
        pytest.skip(f"the racing-reference files are not at {RR} (set PITBOARD_SHARED)")
    report = imported(pitboard, RR, "--series", "arca,arca-east,pintys")
    read = sum(f["read"] for f in report["files"])
    stored = sum(f["inserted"] for f in report["files"])
    rejected = sum(f["rejected"] for f in report["files"])
    assert read == 28_272 + 17_574 + 4_748 and stored + rejected == read
    rows = career(pitboard, "Amber Balcaen")
    assert {s: r["starts"] for s, r in rows.items()} == {
        "arca": 43,
        "arca-east": 1,
        "pintys": 2,
        "total": 46,
    }
    total = rows["total"]
    assert (total["top10"], total["best_finish"], total["laps_led"]) == (14, 6, 3)
    # Her nationality, as racing-reference gives it, with the file it comes from.
    (stated,) = query(
        pitboard.database,
        "SELECT p.nationality, s.dataset FROM records_person p JOIN records_personstatement s "
        "ON s.person_id = p.id WHERE p.name = 'Amber Balcaen'",
    )
    assert stated == ("CA", "racing-reference")

    # ARCA's published 2022 table: race points plus 50 for each five-race segment entered in
    # full, which the per-race points column does not carry.
    table = pitboard.json("standings", "--series", "arca", "--season", "2022")
    assert table["rules"] == "arca-2020"
    top = [(r["position"], r["driver"], r["points"]) for r in table["standings"]]
    assert top[:2] == [(1, "Nick Sanchez", 971), (2, "Daniel Dye", 957)]
    assert (7, "Amber Balcaen", 774) in top
    # The 78 rows whose points carry that bonus already are told apart, not called errors.
    check = pitboard.json("points", "check", "--series", "arca", "--seasons", "2020-2024")
    causes = {m["cause"]: m["count"] for m in check["mismatches"]}
    assert causes["segment bonus in the race's points"] == 78


def test_national_schedules_date_the_races_nascar_data_gave(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """Matched by series, season and round, checked by the winner: a race whose winner is
    another driver (rounds numbered differently) gets nothing, and is reported."""
    from tests.builders import RR_SCHEDULE_HEADER, season_rows, write_folder

    root = tmp_path / "rr"
    plan = root / "nascar_cup" / "schedule"
    plan.mkdir(parents=True)
    rows = [
        "2021,W,1,02/14/21,2021_01,Lakeview,Lakeview_Oval,5,Avery Quill,x,1,Ford,0.375,P,"
        "125,,96.5,7,71.2,12",
        "2021,W,2,02/21/21,2021_02,Cedar,Cedar_Ridge,5,Morgan J. Pike,x,1,Ford,1.500,P,",
        "2021,W,3,02/28/21,2021_03,Pinecrest,Pinecrest,5,Riley Stroud,x,1,Ford,2.200,R,",
    ]
    (plan / "2021_schedule.csv").write_text(
        "\n".join([RR_SCHEDULE_HEADER, *(r + "," * (22 - r.count(",")) for r in rows)]) + "\n",
        "utf-8",
    )
    early = imported(pitboard, root)
    assert [(f["file"], f["status"]) for f in early["files"]] == [
        ("nascar_cup/schedule", "skipped")
    ]
    assert "`pitboard import nascar` first" in early["files"][0]["error"]

    folder = write_folder(tmp_path / "n", {"cup": season_rows(2021, 3)})
    pitboard.run("import", "nascar", "--source", str(folder), check=True)
    report = imported(pitboard, root)
    notes = remarks(report)
    assert notes["2 races held from another source carry this file's date, length and surface"]
    assert any("winner Riley Stroud here, Casey Dunmore in the database" in n for n in notes)
    dates = query(
        pitboard.database,
        "SELECT r.round, r.date FROM records_race r JOIN records_season s ON s.id = r.season_id "
        "JOIN records_series x ON x.id = s.series_id WHERE x.slug = 'cup' ORDER BY r.round",
    )
    assert [(n, str(d)[:10] if d else None) for n, d in dates] == [
        (1, "2021-02-14"),
        (2, "2021-02-21"),
        (3, None),
    ]
    # With the race's facts the schedule gives: cars, cautions, lead changes, speeds.
    facts = query(
        pitboard.database,
        "SELECT car_count, cautions, lead_changes, average_speed, pole_speed FROM records_race "
        "WHERE date = '2021-02-14'",
    )
    assert facts == [(5, 7, 12, 71.2, 96.5)]
    again = imported(pitboard, root)
    assert again["changed"] is False
    # Undoing the run takes its dates away again; nascaR.data's races stay as they were.
    pitboard.run("import", "undo", str(report["run"]), check=True)
    assert query(pitboard.database, "SELECT COUNT(*) FROM records_race WHERE date IS NOT NULL") == [
        (0,)
    ]


@pytest.mark.realdata
def test_cup_races_get_their_dates_from_the_shared_schedules(pitboard: Pitboard) -> None:
    if not (RR / "nascar_cup").is_dir() or not (SHARED / "data" / "nascar").is_dir():
        pytest.skip(f"the shared files are not at {SHARED} (set PITBOARD_SHARED)")
    cup = SHARED / "data" / "nascar" / "cup.parquet"
    pitboard.run("import", "nascar", "--source", str(cup), check=True)
    report = imported(pitboard, RR, "--series", "cup", "--seasons", "2016-2017")
    assert [f["status"] for f in report["files"]] == ["imported", "imported"]
    first = query(
        pitboard.database,
        "SELECT r.date FROM records_race r JOIN records_season s ON s.id = r.season_id "
        "JOIN records_series x ON x.id = s.series_id "
        "WHERE x.slug = 'cup' AND s.year = 2016 AND r.round = 1",
    )
    assert str(first[0][0])[:10] == "2016-02-21"
    undated = query(
        pitboard.database,
        "SELECT COUNT(*) FROM records_race r JOIN records_season s ON s.id = r.season_id "
        "WHERE s.year IN (2016, 2017) AND r.date IS NULL",
    )
    assert undated == [(0,)]


def test_the_public_repository_layout_by_url(pitboard: Pitboard, tmp_path: Path) -> None:
    """The default source is the repository's base URL: files are fetched by series and season,
    and a season the repository does not hold (HTTP 404) is simply not there."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2021, ENTRIES)
    rr_season(root, "nascar_arca", "A", 2023, ENTRIES)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        report = imported(pitboard, url, "--series", "arca", "--seasons", "2020-2024")
    finally:
        server.shutdown()
        server.server_close()
    assert [(f["file"], f["status"], f["inserted"]) for f in report["files"]] == [
        ("nascar_arca/race_results/2021_race_results.csv", "imported", 6),
        ("nascar_arca/race_results/2023_race_results.csv", "imported", 6),
    ]


# Drivers of ARCA, the East and West series and Pinty's: the longest careers there, and drivers
# who went on to the national series (their one document holds both sources' rows).
CAREERS = (
    "Amber_Balcaen",
    "Kaz_Grala",
    "Ty_Gibbs",
    "Hailie_Deegan",
    "Corey_Heim",
    "Frank_Kimmel",
    "Brad_Smith",
    "Bobby_Gerhart",
    "Kelly_Moore",
    "Mark_Gibson",
    "Darrell_Basham",
    "Jack_Sellers",
    "Mike_Olsen",
    "Jamie_Aube",
    "Norm_Benning",
    "Hershel_McGriff",
    "Dale_Shaw",
    "DJ_Kennington",
    "Andrew_Ranger",
    "James_Hylton",
    "Jack_McCoy",
)
REGIONAL = {"A": "arca", "E": "arca-east", "P": "arca-west", "T": "pintys"}


def read_careers(
    ids: set[str],
) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, str], dict[str, int]]:
    """Per driver id and series, the figures of docs/statistics.md, read from the raw files with
    the csv module and this test's own reading of the two layouts; each id's name; and per id
    the starts listed by two series' files under one race id (combination races)."""
    import csv
    import re
    from collections import Counter, defaultdict

    def number(text: str) -> float | None:
        try:
            return float(text.strip())
        except ValueError:
            return None

    rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    listed: Counter[tuple[str, str, str]] = Counter()  # (driver, season, race_id) → files
    for path in sorted(RR.glob("*/race_results/*_race_results.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            body = list(csv.reader(handle))[1:]
        if not body or body[0][1] not in REGIONAL:
            continue
        words = [sum(bool(re.search("[A-Za-z]", r[c])) for r in body) for c in (14, 15)]
        older = words[1] > words[0]  # status words one column right of the header's
        for r in body:
            if r[8] not in ids:
                continue
            name = r[9].replace("\u00a0", " ")
            names.setdefault(r[8], re.sub(r"(\s*(\*|\([A-Za-z]+\)))+\s*$", "", name).strip())
            led, points = (r[16], r[17]) if older else (r[15], r[16])
            finish, start = number(r[4]), number(r[5])
            if finish and finish >= 1:
                listed[(r[8], r[0], r[2])] += 1
            rows[(r[8], REGIONAL[r[1]])].append(
                {
                    "finish": finish if finish and finish >= 1 else None,
                    "start": start if start and start >= 1 else None,
                    "laps": number(r[13]) or 0,
                    "led": number(led) or 0,
                    # fractional points are not stored (docs/import-racing-reference.md)
                    "points": p if (p := number(points)) is not None and p % 1 == 0 else 0,
                }
            )
    careers: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for (driver, series), found in rows.items():
        started = [r for r in found if r["finish"] is not None]
        finishes = [r["finish"] for r in started]
        known_starts = [r["start"] for r in started if r["start"] is not None]
        careers[driver][series] = {
            "starts": len(started),
            "wins": sum(f == 1 for f in finishes),
            "top5": sum(f <= 5 for f in finishes),
            "top10": sum(f <= 10 for f in finishes),
            "poles": sum(s == 1 for s in known_starts),
            "laps": int(sum(r["laps"] for r in found)),
            "laps_led": int(sum(r["led"] for r in found)),
            "points": int(sum(r["points"] for r in found)),
            "best_finish": int(min(finishes)) if finishes else None,
            "avg_finish": round(sum(finishes) / len(finishes), 2) if finishes else None,
            "avg_start": round(sum(known_starts) / len(known_starts), 2) if known_starts else None,
        }
    twice = Counter(driver for (driver, _, _), n in listed.items() if n > 1)
    return careers, names, twice


@pytest.mark.realdata
def test_careers_match_an_independent_reading_of_the_raw_files(pitboard: Pitboard) -> None:
    if not (RR / "nascar_arca").is_dir() or not (SHARED / "data" / "nascar").is_dir():
        pytest.skip(f"the shared files are not at {SHARED} (set PITBOARD_SHARED)")
    pitboard.run("import", "nascar", "--source", str(SHARED / "data" / "nascar"), check=True)
    imported(pitboard, RR, "--series", ",".join(REGIONAL.values()))
    expected, names, twice = read_careers(set(CAREERS))
    assert len(expected) == len(CAREERS) >= 20
    # A race both sources give (a Winston West or Busch North race run with the Cup or Busch
    # cars) is one race: it shows nascaR.data's figures, and each difference from
    # racing-reference's account of it is listed as a disagreement of the two.
    differs: dict[tuple[str, str, str], int] = {}
    for national in ("cup", "nxs", "truck"):
        listed = pitboard.json("sources", "conflicts", "--series", national)["conflicts"]
        for item in listed:
            values = {v["dataset"]: v["value"] for v in item["values"]}
            for dataset, value in values.items():
                series = dataset.partition("/")[2]
                if item["field"] in ("laps", "laps_led") and series and "nascaR.data" in values:
                    key = (item["driver"], series, item["field"])
                    differs[key] = differs.get(key, 0) + values["nascaR.data"] - value
    both = 0
    for driver in CAREERS:
        # By the slug of the driver racing-reference's id stands for: namesakes, or one person
        # whom identity left in the review queue, stay apart by slug.
        ((slug,),) = query(
            pitboard.database,
            "SELECT d.slug FROM records_sourcekey k JOIN records_driver d ON d.id = k.object_id "
            f"WHERE k.dataset = 'racing-reference' AND k.kind = 'driver' AND k.key = '{driver}'",
        )
        document = pitboard.json("driver", slug, "--by", "series")
        assert document["driver"]["name"] == names[driver]
        rows = {r["series"]: r for r in document["rows"]}
        for (who, series, field), difference in differs.items():
            if who == document["driver"]["name"] and series in expected[driver]:
                expected[driver][series][field] += difference
        shown = {s: {k: rows[s][k] for k in figures} for s, figures in expected[driver].items()}
        assert shown == expected[driver], driver
        # A combination race is a start in each series' row and one start in the total (those
        # run with a national series are found by the import, not by this reading: fewer).
        starts = sum(r["starts"] for r in document["rows"]) - twice[driver]
        national = bool({"cup", "nxs", "truck"} & set(rows))
        if national:
            assert document["total"]["starts"] <= starts, driver
        else:
            assert document["total"]["starts"] == starts, driver
        both += national
    assert both >= 5  # drivers whose one document holds both sources' series
    assert twice["Ty_Gibbs"] >= 1  # his 2019 East and West races at Iowa and Gateway


def test_the_site_lists_every_series_by_level(pitboard: Pitboard, tmp_path: Path) -> None:
    from tests.server import serving

    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2022, ENTRIES)
    rr_season(root, "nascar_pintys", "T", 2022, ENTRIES)
    rr_season(root, "iroc", "I", 1990, ENTRIES)
    path = root / "nascar_arca" / "race_results" / "2022_race_results.csv"
    path.write_text(path.read_text("utf-8").replace("Fictional_100", "Acme%27s_150"), "utf-8")
    imported(pitboard, root)
    with serving(pitboard.database, tmp_path) as live:
        status, _, body = live.get("/series/")
        page = body.decode()
        _, _, season = live.get("/series/arca/2022/")
        _, _, pintys = live.get("/series/pintys/2022/")
        _, _, home = live.get("/")
        _, _, driver = live.get("/drivers/avery-quill/")
    assert status == 200
    levels = [page.index(f"<h2>{level}</h2>") for level in ("Development", "International")]
    assert levels == sorted(levels) and "<h2>Exhibition</h2>" in page
    assert "ARCA Menards Series" in page and "NASCAR Canada Series" in page
    # A season carries the name its series had then, with the source of that name.
    assert "2022 NASCAR Pinty&#x27;s Series</h1>" in pintys.decode()
    assert "2023_NASCAR_Pinty%27s_Series" in pintys.decode()
    # The driver's season row: the name then in full, the series' short name on a phone.
    assert '<span class="long">NASCAR Pinty&#x27;s Series</span>' in driver.decode()
    assert "1990" in page and "International Race of Champions" in page
    # The navigation names the first series of the catalog and leads to the rest.
    nav = home.decode().split('<nav aria-label="Sections">')[1].split("</nav>")[0]
    assert 'href="/series/arca/"' in nav and 'href="/series/iroc/"' not in nav
    assert 'href="/series/">All series</a>' in nav
    assert "Acme&#x27;s 150" in season.decode() and "%27" not in season.decode()


def test_owners_come_from_owner_id_or_the_sponsors_suffix(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2023, ENTRIES, races=1)
    path = root / "nascar_arca" / "race_results" / "2023_race_results.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace("Acme Widgets,", '"Acme Widgets   (Pat Owner\n)",')
    lines[2] = lines[2].replace("Acme Widgets,,", "Acme Widgets (AW),Lee_Holder,")
    lines[3] = lines[3].replace("Acme Widgets", "W?linak Tools")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = imported(pitboard, root)
    notes = remarks(report)
    assert notes["owner's name after the sponsor: taken as the car owner"] == 1
    assert notes["letters lost to an encoding ('?' or U+FFFD): kept as given"] == 1
    rows = query(
        pitboard.database,
        "SELECT r.sponsor, t.name FROM records_result r LEFT JOIN records_team t "
        "ON t.id = r.team_id ORDER BY r.finish",
    )
    assert rows == [
        ("Acme Widgets", "Pat Owner"),
        ("Acme Widgets (AW)", "Lee Holder"),
        ("W?linak Tools", None),
    ]


def test_a_combination_race_is_one_race_counted_for_both_championships(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """The East and West files both list the race the two series ran together: one race, at
    its own round in each season, each series scored with the points its own file gives."""
    root = tmp_path / "rr"
    both = [
        *ENTRIES,
        ("Casey_Dunmore", "Casey Dunmore", "44"),
        ("Morgan_Pike", "Morgan Pike", "5"),
        ("Devon_Hale", "Devon Hale", "21"),
        ("Skyler_Rowe", "Skyler Rowe", "9"),
        ("Harper_Lind", "Harper Lind", "31"),
        ("Emerson_Vale", "Emerson Vale", "47"),
        ("Rowan_Tate", "Rowan Tate", "60"),
    ]
    # Each file lists a car the other does not; the West file knows the second driver under
    # another key and spelling.
    east = [*both, ("Quinn_Harlow", "Quinn Harlow", "88")]
    west = [both[0], ("J_Marsh", "J. Marsh", "12"), *both[2:], ("Reese_Moran", "Reese Moran", "77")]
    rr_season(root, "nascar_arca_west", "E", 2012, east, names=["Harvest_150", "Spring_100"])
    rr_season(
        root,
        "nascar_arca_east",
        "P",
        2012,
        west,
        names=["Harvest_150", "Coast_200"],
        points_from=40,
        dates=["05/01/12", "06/09/12"],
    )
    report = imported(pitboard, root)
    notes = remarks(report)
    assert any("a combination race, the same race as" in why for why in notes)
    # Whichever file comes second, its row of that car is the same car: no second result.
    assert sum(n for why, n in notes.items() if "same finishing position" in why) == 1
    harvest = query(
        pitboard.database,
        "SELECT COUNT(*) FROM records_result res JOIN records_race r ON r.id = res.race_id "
        "WHERE r.name = 'Harvest 150'",
    )
    assert harvest == [(12,)]
    races = query(
        pitboard.database,
        "SELECT s.slug, r.round, r.name FROM records_race r "
        "JOIN records_season se ON se.id = r.season_id "
        "JOIN records_series s ON s.id = se.series_id ORDER BY r.name",
    )
    assert [name for _, _, name in races] == ["Coast 200", "Harvest 150", "Spring 100"]

    # A start in each series' row, once in the total.
    quill = career(pitboard, "Avery Quill")
    assert (quill["arca-east"]["starts"], quill["arca-west"]["starts"]) == (2, 2)
    assert quill["total"]["starts"] == 3 and quill["total"]["wins"] == 3
    assert (quill["arca-east"]["points"], quill["arca-west"]["points"]) == (98, 78)

    for series, points in (("arca-east", 98), ("arca-west", 78)):
        table = pitboard.json("standings", "--series", series, "--season", "2012")
        assert table["standings"][0]["driver"] == "Avery Quill"
        assert table["standings"][0]["points"] == points

    # Each schedule lists the race at its round and names the other season it counts in.
    from tests.server import serving

    with serving(pitboard.database, tmp_path) as live:
        schedules = {s: live.json(f"/api/v1/series/{s}/2012") for s in ("arca-east", "arca-west")}
        harvest = {
            s: next(r for r in schedules[s]["races"] if r["name"] == "Harvest 150")
            for s in schedules
        }
        guest = "arca-east" if harvest["arca-west"]["also_counts_for"] else "arca-west"
        seen_as_guest = live.json(f"/api/v1/races/{guest}/2012/{harvest[guest]['round']}")
        _, _, page = live.get(f"/races/{guest}/2012/{harvest[guest]['round']}/")
        live_points = {
            (s, r["driver"]["name"]): r["points"]
            for s in harvest
            for r in live.json(f"/api/v1/races/{s}/2012/{harvest[s]['round']}")["results"]
        }
    for series, other in (("arca-east", "arca-west"), ("arca-west", "arca-east")):
        assert [c["series"] for c in harvest[series]["also_counts_for"]] == [other]
    assert len(seen_as_guest["results"]) == 12
    facts = ("car_count", "cautions", "lead_changes", "average_speed", "pole_speed")
    assert [seen_as_guest[f] for f in facts] == [11, 3, 4, 70.2, 90.1]
    # A car only one file lists scores that series' points, and none of the other's.
    assert [live_points[(s, "Quinn Harlow")] for s in ("arca-east", "arca-west")] == [39, None]
    assert [live_points[(s, "Reese Moran")] for s in ("arca-east", "arca-west")] == [None, 29]
    assert seen_as_guest["results"][0]["points"] == (49 if guest == "arca-east" else 39)
    assert "A combination race: also counts for" in page.decode()

    # A second run finds the same race and changes nothing.
    again = imported(pitboard, root)
    assert sum(f["inserted"] + f["updated"] for f in again["files"]) == 0
    assert len(query(pitboard.database, "SELECT id FROM records_race")) == 3

    # A car the second file no longer lists in the combination race: its account of it is kept
    # and reported, and goes with --prune (the race's result with it: no other source has it).
    second = root / "nascar_arca_west" / "race_results" / "2012_race_results.csv"
    lines = second.read_text("utf-8").splitlines()
    second.write_text(
        "\n".join(x for x in lines if not ("Harvest_150" in x and "Quinn_Harlow" in x)) + "\n",
        "utf-8",
    )
    harvest_rows = (
        "SELECT COUNT(*) FROM records_result res JOIN records_race r ON r.id = res.race_id "
        "WHERE r.name = 'Harvest 150'"
    )
    kept = imported(pitboard, root)
    assert [f["kept"] for f in kept["files"]] == [0, 1]
    assert query(pitboard.database, harvest_rows) == [(12,)]
    pruned = imported(pitboard, root, "--prune")
    assert [f["removed"] for f in pruned["files"]] == [0, 1]
    assert query(pitboard.database, harvest_rows) == [(11,)]


def test_one_track_under_its_names_and_namesakes_kept_apart(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """The track catalog (data/tracks.toml) joins the names one track went by and places it;
    two tracks of one area stay two."""
    root = tmp_path / "rr"
    dover = ("Dover", "Dover_Downs_International_Speedway", "1.000", "P")
    rr_season(root, "nascar_arca", "A", 2001, ENTRIES, track=dover)
    rr_season(
        root,
        "nascar_arca",
        "A",
        2022,
        ENTRIES,
        track=("Dover", "Dover_Motor_Speedway", "1.000", "P"),
    )
    rr_season(
        root,
        "nascar_pintys",
        "T",
        2019,
        ENTRIES,
        track=("Hamilton", "Jukasa_Motor_Speedway", "0.625", "P"),
    )
    rr_season(
        root,
        "nascar_pintys",
        "T",
        2023,
        ENTRIES,
        track=("Ohsweken", "Ohsweken_Speedway", "0.375", "D"),
    )
    imported(pitboard, root)
    tracks = query(
        pitboard.database,
        "SELECT name, city, region, country FROM records_track ORDER BY name",
    )
    assert tracks == [
        ("Dover Motor Speedway", "Dover", "DE", "US"),
        ("Jukasa Motor Speedway", "Cayuga", "ON", "CA"),
        ("Ohsweken Speedway", "Ohsweken", "ON", "CA"),
    ]
    names = {n for (n,) in query(pitboard.database, "SELECT name FROM records_trackname")}
    assert {"Dover Downs International Speedway", "Dover Motor Speedway"} <= names
    # A second run finds the same tracks by their source keys.
    again = imported(pitboard, root)
    assert sum(f["inserted"] + f["updated"] for f in again["files"]) == 0


def test_a_drivers_nationality_is_the_sources_statement(pitboard: Pitboard, tmp_path: Path) -> None:
    """driver_nationality becomes the source's statement about the person, cited on the driver
    page and in the API; "none" states nothing, a word naming two countries is reported, the
    dataset's first statement stands, a re-run changes nothing, and undo takes it back."""
    from tests.server import serving

    root = tmp_path / "rr"
    rr_season(
        root,
        "nascar_arca",
        "A",
        2021,
        ENTRIES,
        nationalities={"Avery_Quill": "canada", "Jordan_Marsh": "none", "Riley_Stroud": "none"},
    )
    rr_season(
        root,
        "nascar_arca",
        "A",
        2022,
        ENTRIES,
        nationalities={
            "Avery_Quill": "usa",
            "Jordan_Marsh": "new_zealand",
            "Riley_Stroud": "virgin_islands",
        },
    )
    first = imported(pitboard, root, "--seasons", "2021")
    assert first["files"][0]["created"]["nationalities"] == 1
    second = imported(pitboard, root, "--seasons", "2022")
    (file,) = second["files"]
    assert file["created"]["nationalities"] == 1  # Jordan Marsh's; Avery Quill's stands
    said = {r["reason"]: r["rows"] for r in file["remarks"]}
    assert said["nationality US here; racing-reference stated CA before, which stands"] == [1]
    (ambiguous,) = [r for r in said if "'virgin_islands' may be" in r]
    assert said[ambiguous] == [3]
    assert imported(pitboard, root)["changed"] is False

    with serving(pitboard.database, tmp_path) as live:
        _, _, avery = live.get("/api/v1/drivers/avery-quill")
        _, _, jordan = live.get("/api/v1/drivers/jordan-marsh")
        _, _, riley = live.get("/api/v1/drivers/riley-stroud")
        _, _, page = live.get("/drivers/avery-quill/")
    import json

    facts = json.loads(avery)["facts"]
    assert (facts["nationality"], facts["nationality_name"]) == ("CA", "Canada")
    cited = facts["nationality_source"]
    assert (cited["dataset"], cited["file"], cited["row"]) == (
        "racing-reference",
        "2021_race_results.csv",
        1,
    )
    assert json.loads(jordan)["facts"]["nationality_name"] == "New Zealand"
    assert json.loads(riley)["facts"]["nationality"] is None
    shown = page.decode().split('<span id="nationality">')[1].split("</span>")[0]
    assert shown.startswith("Nationality: Canada") and "2021_race_results.csv, row 1" in shown

    pitboard.run("import", "undo", str(second["run"]), check=True)
    with serving(pitboard.database, tmp_path) as live:
        _, _, jordan = live.get("/api/v1/drivers/jordan-marsh")
        _, _, avery = live.get("/api/v1/drivers/avery-quill")
    assert json.loads(jordan)["facts"]["nationality"] is None
    assert json.loads(avery)["facts"]["nationality"] == "CA"


def test_a_merge_carries_the_merged_drivers_nationality_and_a_split_takes_it_back(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    from tests.server import serving

    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2021, ENTRIES, nationalities={"Avery_Quill": "none"})
    rr_season(
        root,
        "nascar_pintys",
        "T",
        2022,
        [("Ave_Quill", "Ave Quill", "7")],
        nationalities={"Ave_Quill": "canada"},
    )
    imported(pitboard, root)

    def nationality() -> Any:
        with serving(pitboard.database, tmp_path) as live:
            _, _, body = live.get("/api/v1/drivers/avery-quill")
        import json

        return json.loads(body)["facts"]["nationality"]

    assert nationality() is None
    merged = pitboard.json("identity", "merge", "avery-quill", "ave-quill")
    assert nationality() == "CA"
    pitboard.run("identity", "split", str(merged["merge"]), check=True)
    assert nationality() is None


def test_a_folders_files_read_together_keep_their_own_reports(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A folder's season files are prepared as one table, yet each reject names its own file
    and line, a broken file (or schedule) fails alone, and the outcome is the one of reading
    them one by one (chunks smaller than a file)."""
    root = tmp_path / "rr"
    for season in (2019, 2020, 2021, 2022, 2023):
        rr_season(root, "nascar_arca", "A", season, ENTRIES)
    plans = root / "nascar_arca" / "schedule"
    (plans / "2022_schedule.csv").write_bytes(b"season,series_id,race_num\n2022,A,\xff1\n")
    plans.joinpath("2023_schedule.csv").write_text("season,race_num\n2023,1\n", "utf-8")
    bad = root / "nascar_arca" / "race_results" / "2020_race_results.csv"
    lines = bad.read_text("utf-8").splitlines()
    lines[3] = lines[3].replace(",3,3,", ",3,x,", 1)  # a start that is not a number, line 4
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    broken = root / "nascar_arca" / "race_results" / "2021_race_results.csv"
    broken.write_text(broken.read_text("utf-8").replace("race_id,", "race_name,", 1), "utf-8")

    import json

    command = ("import", "racing-reference", "--source", str(root), "--format", "json")
    done = pitboard.run(*command)
    assert done.returncode == 1  # a file failed; the others are imported
    together = json.loads(done.stdout)
    files = {f["file"].split("/")[-1]: f for f in together["files"]}
    assert files["2019_race_results.csv"]["inserted"] == 6
    rejects = files["2020_race_results.csv"]["rejects"]
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [(3, "start", "x")]
    assert files["2021_race_results.csv"]["status"] == "failed"
    assert "2021_race_results.csv" in files["2021_race_results.csv"]["error"]
    assert "'race_id'" in files["2021_race_results.csv"]["error"]
    assert files["2022_race_results.csv"]["status"] == "failed"
    assert "2022_schedule.csv" in files["2022_race_results.csv"]["error"]
    assert "not UTF-8" in files["2022_race_results.csv"]["error"]
    assert files["2023_race_results.csv"]["status"] == "failed"
    assert "needs series_id" in files["2023_race_results.csv"]["error"]

    (tmp_path / "apart").mkdir()
    with fresh_database(tmp_path / "apart") as other:
        apart = Pitboard(other, tmp_path).run(*command, env={"PITBOARD_IMPORT_CHUNK_ROWS": "2"})

    def shown(report: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (f["file"], f["status"], f["inserted"], f["rejected"], len(f["remarks"]))
            for f in report["files"]
        ]

    assert shown(json.loads(apart.stdout)) == shown(together)


def test_a_folder_written_in_one_transaction_ends_as_its_files_written_one_by_one(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A folder's files are written as one batch, yet the database and every file's report end
    as when each file is written alone, in order: a driver key new in 2022 is weighed against the
    driver 2021 brought (seasons, car, series, of rows the batch has not stored yet), and each
    file counts the drivers, tracks and races it brought."""
    import json

    root = tmp_path / "rr"
    rr_season(root, "nascar_arca", "A", 2021, ENTRIES)
    later = [
        ("Avery_Quill_(2)", "Avery Quill", "7"),
        *ENTRIES[1:],
        ("Casey_Lund", "Casey Lund", "9"),
    ]
    rr_season(root, "nascar_arca", "A", 2022, later, track=("Hollis", "Hollis_Bend", "0.5", "D"))
    command = ("import", "racing-reference", "--source", str(root), "--format", "json")
    together = json.loads(pitboard.run(*command).stdout)
    alone, apart_reviews, _ = file_by_file(tmp_path, command)

    assert file_outcomes(together) == file_outcomes(alone)
    created = {f["file"].split("/")[-1]: f["created"] for f in together["files"]}
    assert created["2021_race_results.csv"]["drivers"] == 3
    assert created["2022_race_results.csv"]["drivers"] == 2  # Avery Quill's second key, Casey
    assert created["2022_race_results.csv"]["tracks"] == 1
    assert created["2022_race_results.csv"]["races"] == 2

    def reviewed(reviews: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(r["name"], r["score"], tuple(r["reasons"])) for r in reviews]

    reviews = pitboard.json("identity", "review")["reviews"]
    assert reviewed(reviews) == reviewed(apart_reviews)
    ((name, _, reasons),) = reviewed(reviews)
    assert name == "Avery Quill"
    assert "shared car: 7" in reasons and "shared series: arca" in reasons
    # Each result cites its own file and row.
    cited = query(
        pitboard.database,
        "SELECT s.uri, x.source_row FROM records_result x JOIN records_source s "
        "ON s.id = x.source_id JOIN records_driver d ON d.id = x.driver_id "
        "WHERE d.slug = 'casey-lund' ORDER BY x.source_row",
    )
    assert [(uri.split("/")[-1], row) for uri, row in cited] == [
        ("2022_race_results.csv", 4),
        ("2022_race_results.csv", 8),
    ]


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_car BEFORE INSERT ON records_result WHEN NEW.car_number = '66' "
        "BEGIN SELECT RAISE(ABORT, 'no car 66 here'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_car() RETURNS trigger AS $$ BEGIN IF NEW.car_number = '66' "
        "THEN RAISE EXCEPTION 'no car 66 here'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_car BEFORE INSERT ON records_result FOR EACH ROW "
        "EXECUTE FUNCTION refuse_car()",
    ],
}


def test_a_file_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_written(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """The database refuses a row of one file of a batch (a trigger another program set): that
    file fails, naming itself and the database's reason, and the files written with it are
    imported as if alone; once the database takes it, a re-run imports it."""
    import json

    root = tmp_path / "rr"
    for season in (2019, 2020, 2021):
        odd = [(*ENTRIES[0][:2], "66"), *ENTRIES[1:]] if season == 2020 else ENTRIES
        rr_season(root, "nascar_arca", "A", season, odd)
    for sql in REFUSE["postgresql" if pitboard.database.startswith("postgres") else "sqlite"]:
        query(pitboard.database, sql, commit=True)
    command = ("import", "racing-reference", "--source", str(root), "--format", "json")
    done = pitboard.run(*command)
    assert done.returncode == 1
    files = {f["file"].split("/")[-1]: f for f in json.loads(done.stdout)["files"]}
    refused = files["2020_race_results.csv"]
    assert refused["status"] == "failed"
    assert "2020_race_results.csv: the database refused it" in refused["error"]
    assert "no car 66 here" in refused["error"]
    for season in (2019, 2021):
        assert files[f"{season}_race_results.csv"]["inserted"] == 6
        assert files[f"{season}_race_results.csv"]["created"]["races"] == 2
    assert query(pitboard.database, "SELECT COUNT(*) FROM records_result") == [(12,)]

    query(
        pitboard.database,
        "DROP TRIGGER refuse_car"
        + (" ON records_result" if pitboard.database.startswith("postgres") else ""),
        commit=True,
    )
    again = {f["file"].split("/")[-1]: f for f in pitboard.json(*command[:-2])["files"]}
    assert again["2020_race_results.csv"]["inserted"] == 6
    assert again["2019_race_results.csv"]["unchanged"] == 6


def test_a_long_run_read_ahead_by_a_worker_ends_as_a_run_in_one_process(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A run of many small batches reads the next ones in a worker process (and, waiting for
    it, reads later ones itself); its database and reports are those of a run that reads and
    writes each file alone, in order. A batch whose rows lack a driver_id is read at its turn
    (its names are matched to the people stored by then)."""
    import json

    root = tmp_path / "rr"
    for season in range(2000, 2024):
        entries = (
            ENTRIES if season < 2012 else [("Avery_Quill_(2)", "Avery Quill", "7"), *ENTRIES[1:]]
        )
        if season in (2020, 2021):
            entries = [entries[0], ("", "Jordan Marsh", "12"), entries[2]]
        rr_season(root, "nascar_arca", "A", season, entries)
    command = ("import", "racing-reference", "--source", str(root), "--format", "json")
    # Two six-row files a batch: twelve batches, most of them read by the worker.
    ahead = json.loads(pitboard.run(*command, env={"PITBOARD_IMPORT_CHUNK_ROWS": "12"}).stdout)
    alone, their_reviews, their_results = file_by_file(tmp_path, command)

    assert len(ahead["files"]) == 24
    assert file_outcomes(ahead) == file_outcomes(alone)
    reviews = pitboard.json("identity", "review")["reviews"]
    assert [(r["name"], r["reasons"]) for r in reviews] == [
        (r["name"], r["reasons"]) for r in their_reviews
    ]
    assert [r["name"] for r in reviews] == ["Avery Quill"]
    assert query(pitboard.database, RESULTS_CITED) == their_results
    files = {f["file"].split("/")[-1]: f for f in ahead["files"]}
    assert "no driver_id: given the id of the one person" in str(
        files["2020_race_results.csv"]["remarks"]
    )


def file_by_file(
    tmp_path: Path, command: tuple[str, ...]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[Any, ...]]]:
    """*command* run on a fresh database with chunks smaller than a file, so that each file is
    written alone, a chunk at a time: its report, the review queue, the results as cited."""
    import json

    (tmp_path / "alone").mkdir()
    with fresh_database(tmp_path / "alone") as url:
        other = Pitboard(url, tmp_path / "alone")
        other.run("init", check=True)
        done = other.run(*command, env={"PITBOARD_IMPORT_CHUNK_ROWS": "4"})
        reviews = other.json("identity", "review")["reviews"]
        return json.loads(done.stdout), reviews, query(url, RESULTS_CITED)


RESULTS_CITED = (
    "SELECT d.slug, se.year, r.round, x.finish, s.uri, x.source_row FROM records_result x "
    "JOIN records_driver d ON d.id = x.driver_id JOIN records_race r ON r.id = x.race_id "
    "JOIN records_season se ON se.id = r.season_id JOIN records_source s ON s.id = x.source_id "
    "ORDER BY se.year, r.round, x.finish"
)
