"""Careers as sourced statements: the starter data (every record cited, every number in the
cited text), loading it (once, all or nothing, editors' ranks kept), people meeting the results
whichever loads first, and the statements, stat lines and firsts users ask for."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pitboard.careers.starter import starter_file
from pitboard.core.careers import numbers_in, stated_numbers
from tests.conftest import SHARED, Pitboard, dump_tables, fresh_database, query

ARTICLES = SHARED / "articles"
RR = SHARED / "data" / "racing-reference"


def starter() -> dict[str, Any]:
    return tomllib.loads(starter_file().read_text())


def articles() -> dict[str, str]:
    if not ARTICLES.is_dir():
        pytest.skip(f"the articles are not at {ARTICLES} (set PITBOARD_SHARED)")
    return {hashlib.sha256(f.read_bytes()).hexdigest(): f.read_text() for f in ARTICLES.iterdir()}


def test_every_starter_record_cites_an_article_that_states_its_numbers() -> None:
    data = starter()
    texts = articles()
    pubs = {p["key"]: p for p in data["publications"]}
    for pub in pubs.values():
        assert pub["sha256"] in texts, f"{pub['key']}: no article with that text"
        assert pub["url"].startswith("https://"), pub["key"]
    records = [*data["people"], *data["tracks"], *data["series"], *data["statements"]]
    assert len(records) > 60
    for record in records:
        assert record.get("cite"), f"{record['key']} cites nothing"
        cited = ""
        for cite in record["cite"]:
            text = texts[pubs[cite["source"]]["sha256"]]
            start, end = cite["span"]
            assert 0 <= start < end <= len(text), f"{record['key']}: span out of the article"
            cited += " " + text[start:end]
        if "name" in record and "property" not in record:
            assert record["name"].split()[-1] in cited, f"{record['key']}: name not in the span"
            continue
        stated = stated_numbers(record["value"], record.get("qualifiers", {}))
        missing = stated - numbers_in(cited)
        assert not missing, f"{record['key']}: {sorted(missing)} not in the cited text"


def test_the_starter_data_copies_no_sentence() -> None:
    """Values are our words: no run of eight words of an article appears in the file (but for
    the publications' titles, which cite them)."""
    texts = articles()
    lines = starter_file().read_text().lower().splitlines()
    shipped = " ".join(line for line in lines if not line.startswith("title =")).split()
    runs = {" ".join(shipped[i : i + 8]) for i in range(len(shipped) - 7)}
    for text in texts.values():
        words = " ".join(text.lower().split())
        copied = [run for run in runs if run in words]
        assert not copied, copied[:3]


def test_init_starter_loads_once_and_says_what_it_did(pitboard: Pitboard) -> None:
    first = pitboard.run("init", "--starter", check=True)
    assert "careers: 9 people (9 new)" in first.stderr
    before = dump_tables(pitboard.database)
    careers = query(pitboard.database, "SELECT COUNT(*) FROM careers_statement")[0][0]
    again = pitboard.run("init", "--starter", check=True)
    assert "(0 new), 0 statements new, 0 changed" in again.stderr
    assert dump_tables(pitboard.database) == before
    assert query(pitboard.database, "SELECT COUNT(*) FROM careers_statement")[0][0] == careers
    # Every statement has a reference; two reported ages disagree, and both are kept.
    unreferenced = query(
        pitboard.database,
        "SELECT COUNT(*) FROM careers_statement s WHERE NOT EXISTS"
        " (SELECT 1 FROM careers_reference r WHERE r.statement_id = s.id)",
    )
    assert unreferenced == [(0,)]
    ages = query(pitboard.database, "SELECT COUNT(*) FROM careers_statement WHERE property = 'age'")
    assert ages == [(2,)]


FICTIONAL = """
[[publications]]
key = "gazette"
title = "A fictional gazette"
url = "https://example.org/gazette"

[[people]]
key = "pat-quill"
name = "Pat Quill"
driver = true
cite = [{ source = "gazette", span = [0, 10] }]

[[statements]]
key = "pat-quill/stint"
subject = "pat-quill"
property = "team_stint"
value = { team = "Quill Motorsports", seasons = [2031], schedule = "part-time" }
cite = [{ source = "gazette" }]
"""


def test_a_bad_careers_file_names_its_line_and_field_and_changes_nothing(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    pitboard.run("init", "--starter", check=True)
    before = dump_tables(pitboard.database)
    bad = tmp_path / "careers.toml"
    bad.write_text(FICTIONAL.replace('"part-time"', '"sometimes"'))
    done = pitboard.run("init", "--careers", str(bad))
    assert done.returncode == 1
    line = FICTIONAL.splitlines().index('key = "pat-quill/stint"') + 1
    assert f"{bad}:{line}: pat-quill/stint value.schedule" in done.stderr
    assert "'sometimes' is not one of full-time, part-time" in done.stderr
    assert dump_tables(pitboard.database) == before
    assert query(
        pitboard.database, "SELECT COUNT(*) FROM records_person WHERE name = 'Pat Quill'"
    ) == [(0,)]

    bad.write_text(FICTIONAL.replace('cite = [{ source = "gazette" }]', "cite = []"))
    done = pitboard.run("init", "--careers", str(bad))
    assert "pat-quill/stint cite: every record cites a publication" in done.stderr
    bad.write_text(FICTIONAL.replace('subject = "pat-quill"', 'subject = "nobody"'))
    said = pitboard.run("init", "--careers", str(bad)).stderr
    assert "no person, track or series 'nobody' in the file" in said
    bad.write_text("[[people]\n")
    assert "not a TOML file" in pitboard.run("init", "--careers", str(bad)).stderr
    assert dump_tables(pitboard.database) == before


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def test_an_editors_rank_and_reason_outlast_a_reload(
    transactional_db: None, admin_client: Client, static_root: None
) -> None:
    from pitboard.careers.models import Statement
    from pitboard.careers.starter import load
    from tests.test_editing import change_form, form_errors

    load()
    older = Statement.objects.get(key="amber-balcaen/age-2017")
    url = f"/admin/careers/statement/{older.pk}/change/"
    # A rank without a reason is refused.
    refused = admin_client.post(url, change_form(admin_client, url, rank="deprecated"))
    assert refused.status_code == 200 and "Say why" in form_errors(refused)
    form = change_form(
        admin_client, url, rank="deprecated", rank_reason="an older article; the age is dated"
    )
    done = admin_client.post(url, form)
    assert done.status_code == 302, form_errors(done)
    load()
    older.refresh_from_db()
    assert (older.rank, older.rank_reason) == ("deprecated", "an older article; the age is dated")
    # Deprecated, it is still shown, last and marked as such.
    page = Client().get("/drivers/amber-balcaen/").content.decode()
    assert 'class="deprecated"' in page and "an older article; the age is dated" in page


def test_the_starter_people_and_the_results_meet_whichever_loads_first(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    if not (RR / "nascar_arca").is_dir():
        pytest.skip(f"the racing-reference files are not at {RR} (set PITBOARD_SHARED)")
    args = ("import", "racing-reference", "--source", str(RR), "--series", "arca,arca-east")
    seasons = ("--seasons", "2014-2022")

    def people() -> list[tuple[Any, ...]]:
        return query(
            pitboard.database,
            "SELECT p.name, COUNT(DISTINCT d.id), COUNT(r.id) FROM records_person p"
            " JOIN records_driver d ON d.person_id = p.id"
            " LEFT JOIN records_result r ON r.driver_id = d.id"
            " WHERE p.name IN ('Amber Balcaen', 'Kaz Grala', 'Lee Pulliam')"
            " GROUP BY p.name ORDER BY p.name",
        )

    # Starter first, then the import: the import finds the starter's people.
    pitboard.run("init", "--starter", check=True)
    pitboard.run(*args, *seasons, check=True)
    starter_first = people()
    assert [(name, drivers) for name, drivers, _ in starter_first] == [
        ("Amber Balcaen", 1), ("Kaz Grala", 1), ("Lee Pulliam", 1)
    ]  # fmt: skip
    assert {n: r for n, _, r in starter_first}["Amber Balcaen"] == 21  # 2017 East, 2022 ARCA
    statements = query(
        pitboard.database,
        "SELECT COUNT(*) FROM careers_statement s JOIN records_driver d"
        " ON d.person_id = s.subject_id WHERE d.slug = 'amber-balcaen'",
    )
    assert statements[0][0] > 30

    # The import first, then the starter data: the same people, no new driver.
    (tmp_path / "second").mkdir()
    with fresh_database(tmp_path / "second") as url:
        other = Pitboard(url, tmp_path)
        other.run("init", check=True)
        other.run(*args, *seasons, check=True)
        drivers = query(other.database, "SELECT COUNT(*) FROM records_driver")[0][0]
        loaded = other.run("init", "--starter", check=True)
        assert "identity reviews queued" in loaded.stderr
        # Every one of them raced ARCA or the East series in those seasons: none is new.
        assert query(other.database, "SELECT COUNT(*) FROM records_driver")[0][0] == drivers
        pitboard.database = other.database
        assert people() == starter_first


def test_firsts_and_stat_lines_from_the_starter_data(pitboard: Pitboard) -> None:
    pitboard.run("init", "--starter", check=True)
    found = pitboard.json(
        "firsts", "--event", "win", "--nationality", "CA", "--gender", "female",
        "--sanction", "NASCAR", "--country", "US",
    )  # fmt: skip
    [answer] = found["answers"]
    assert answer["driver"] == {"name": "Amber Balcaen", "slug": "amber-balcaen"}
    assert (answer["date"], answer["track"]["name"], answer["basis"]) == (
        "2016-08-27", "Motor Mile Speedway", "reported"
    )  # fmt: skip
    assert "popularspeed-kn-jump-2017" in {s["key"] for s in answer["sources"]}
    assert found["query"]["nationality"] == "CA"
    assert any("known only where a publication reports it" in m for m in found["missing"])
    # A man, or an American: no answer in the starter data, and the reason is given.
    assert pitboard.json("firsts", "--event", "win", "--gender", "male")["answers"] == []

    line = pitboard.json("statline", "Amber Balcaen", "--season", "2016")
    assert line["text"] == "1 win, 7 podiums and 12 top fives in 13 starts"
    assert (line["basis"], line["counts"]["starts"]) == ("reported", 13)
    assert [s["key"] for s in line["sources"]] == ["popularspeed-kn-jump-2017"]
    none = pitboard.json("statline", "Amber Balcaen", "--season", "2019")
    # No results at all here: not "0 starts", which would say she did not race.
    assert (none["text"], none["basis"]) == ("no results held for 2019", "results")
    odd = pitboard.run("statline", "Amber Balcaen", "--series", "nope")
    assert odd.returncode == 2 and "no series 'nope'" in odd.stderr
    odd = pitboard.run("statline", "Amber Balcaen", "--track", "Atlantis Raceway")
    assert odd.returncode == 2 and "no track 'Atlantis Raceway'" in odd.stderr


def test_the_api_gives_statements_with_their_sources(
    transactional_db: None, client: Client, static_root: None
) -> None:
    from pitboard.careers.starter import load

    load()
    doc = client.get("/api/v1/drivers/lee-pulliam/statements").json()
    assert doc["driver"]["name"] == "Lee Pulliam"
    [titles] = [s for s in doc["statements"] if s["property"] == "titles"]
    assert titles["value"] == {
        "what": "NASCAR Whelen All-American Series national championships", "count": 3
    }  # fmt: skip
    coached = sorted(m["subject"]["name"] for m in doc["mentions"] if m["property"] == "coached_by")
    assert coached == ["Amber Balcaen", "Dalton Sargeant", "Julia Landauer", "Kaz Grala"]
    [source] = doc["sources"]
    assert source["publisher"] == "Popular Speed" and source["published"] is None
    assert (source["published_after"], source["published_before"]) == ("2017-01-01", "2017-02-19")
    assert titles["cites"][0]["n"] == source["n"] and len(titles["cites"][0]["span"]) == 2

    line = client.get("/api/v1/drivers/amber-balcaen/statline?season=2016").json()
    assert line["basis"] == "reported" and line["counts"]["podiums"] == 7
    assert client.get("/api/v1/drivers/amber-balcaen/statline?track=nowhere").status_code == 404
    found = client.get(
        "/api/v1/firsts?event=win&nationality=ca&gender=female&sanction=NASCAR&country=us"
    ).json()
    assert [a["date"] for a in found["answers"]] == ["2016-08-27"]
    assert client.get("/api/v1/firsts?event=fastest").status_code == 422
    assert json.loads(client.get("/api/v1/drivers/nobody/statements").content)["detail"]


NAMED_ONLY = """
[[publications]]
key = "lakeview-weekly"
title = "The Lakeview weekly (fictional)"

[[people]]
key = "avery-quill"
name = "Avery Quill"
driver = true
cite = [{ source = "lakeview-weekly" }]

[[people]]
key = "morgan-quill"
name = "Morgan Quill"
cite = [{ source = "lakeview-weekly" }]

[[statements]]
key = "avery-quill/stint/2025"
subject = "avery-quill"
property = "team_stint"
value = { team = "Quill Racing", seasons = [2025], series = "thunder-stock" }
cite = [{ source = "lakeview-weekly" }]

[[statements]]
key = "avery-quill/parent"
subject = "avery-quill"
property = "relative"
value = { person = "morgan-quill", relation = "parent" }
cite = [{ source = "lakeview-weekly" }]

[[statements]]
key = "avery-quill/age/a"
subject = "avery-quill"
property = "age"
value = { years = 19 }
cite = [{ source = "lakeview-weekly" }]

[[statements]]
key = "avery-quill/age/b"
subject = "avery-quill"
property = "age"
value = { years = 21 }
rank = "preferred"
rank_reason = "the newer issue corrects the older"
cite = [{ source = "lakeview-weekly" }]
"""


def test_a_person_without_ids_is_found_by_name_and_stated_career(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A track's own results name Avery Quill; a careers file about her (no dataset ids)
    finds her by her name and the season and series it says she raced. Her parent, not a
    driver, is a person without a driver page."""
    from tests.test_editing import EXAMPLE

    pitboard.run("import", "results", str(EXAMPLE), check=True)
    drivers = query(pitboard.database, "SELECT COUNT(*) FROM records_driver")[0][0]
    careers = tmp_path / "lakeview.toml"
    careers.write_text(NAMED_ONLY)
    done = pitboard.run("init", "--careers", str(careers), check=True)
    assert "2 people (1 new)" in done.stderr and "0 identity reviews" in done.stderr
    assert query(pitboard.database, "SELECT COUNT(*) FROM records_driver")[0][0] == drivers
    statements = query(
        pitboard.database,
        "SELECT s.key, s.rank, s.rank_reason FROM careers_statement s"
        " JOIN records_driver d ON d.person_id = s.subject_id"
        " JOIN records_result r ON r.driver_id = d.id WHERE s.property = 'age'"
        " GROUP BY s.key, s.rank, s.rank_reason ORDER BY s.key",
    )
    assert statements == [
        ("avery-quill/age/a", "normal", ""),
        ("avery-quill/age/b", "preferred", "the newer issue corrects the older"),
    ]
    parent = query(
        pitboard.database,
        "SELECT p.name, d.id FROM records_person p LEFT JOIN records_driver d"
        " ON d.person_id = p.id WHERE p.name = 'Morgan Quill'",
    )
    assert parent == [("Morgan Quill", None)]


def test_a_merge_carries_the_statements_and_a_split_brings_them_back(
    pitboard: Pitboard, tmp_path: Path
) -> None:
    """A careers file names "Avery Quil" (misspelt, nothing else known): she gets a driver of
    her own until someone merges her into the Avery Quill of the results; her statements go
    with her, and a split brings them back."""
    from tests.test_editing import EXAMPLE

    pitboard.run("import", "results", str(EXAMPLE), check=True)
    careers = tmp_path / "lakeview.toml"
    careers.write_text(
        NAMED_ONLY.replace('name = "Avery Quill"', 'name = "Avery Quil"').replace(
            'series = "thunder-stock"', 'series = "arca"'
        )
    )
    pitboard.run("init", "--careers", str(careers), check=True)

    def about(slug: str) -> int:
        found = query(
            pitboard.database,
            "SELECT COUNT(*) FROM careers_statement s JOIN records_driver d"
            f" ON d.person_id = s.subject_id WHERE d.slug = '{slug}'",
        )
        return int(found[0][0])

    # A story naming her as the file spells her: its mention follows her too.
    story = tmp_path / "story.txt"
    story.write_text("Avery Quil won at Lakeview on Friday night.")
    pitboard.run("news", "import", str(story), check=True)

    def named(slug: str) -> int:
        found = query(
            pitboard.database,
            "SELECT COUNT(*) FROM news_mention m JOIN records_driver d"
            f" ON d.person_id = m.person_id WHERE d.slug = '{slug}'",
        )
        return int(found[0][0])

    assert about("avery-quil") == 5 and about("avery-quill") == 0
    assert (named("avery-quil"), named("avery-quill")) == (1, 0)
    merged = pitboard.json("identity", "merge", "avery-quill", "avery-quil")
    assert about("avery-quill") == 5
    assert (named("avery-quil"), named("avery-quill")) == (0, 1)
    parent = query(
        pitboard.database,
        "SELECT d.slug FROM careers_statement s JOIN records_driver d ON d.person_id ="
        " s.subject_id WHERE s.property = 'relative'",
    )
    assert parent == [("avery-quill",)]
    pitboard.run("identity", "split", str(merged["merge"]), check=True)
    assert about("avery-quil") == 5 and about("avery-quill") == 0
    assert (named("avery-quil"), named("avery-quill")) == (1, 0)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (('cite = [{ source = "lakeview-weekly" }]\n\n[[statements]]\nkey = "avery-quill/parent"',
          'cite = ["lakeview-weekly"]\n\n[[statements]]\nkey = "avery-quill/parent"'),
         "avery-quill/stint/2025 cite[0]"),
        (('value = { years = 19 }', 'value = { years = 19 }\nqualifiers = "oops"'),
         "avery-quill/age/a qualifiers: a table"),
        (('title = "The Lakeview weekly (fictional)"',
          'title = "The Lakeview weekly (fictional)"\nurl = "javascript:alert(1)"'),
         "lakeview-weekly url: not an http or https address"),
        (('rank_reason = "the newer issue corrects the older"\n', ""),
         "avery-quill/age/b rank_reason: a preferred or deprecated statement says why"),
        (('name = "Avery Quill"\ndriver = true', 'name = "Avery Quill"\ndriver = true\nkeys = 5'),
         "avery-quill keys: a table"),
    ],
)  # fmt: skip
def test_careers_files_of_the_wrong_shape_are_refused_with_their_field(
    pitboard: Pitboard, tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    assert change[0] in NAMED_ONLY
    bad = tmp_path / "careers.toml"
    bad.write_text(NAMED_ONLY.replace(*change))
    done = pitboard.run("init", "--careers", str(bad))
    assert done.returncode == 1 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_stat_lines_say_what_they_rest_on(pitboard: Pitboard) -> None:
    if not (RR / "nascar_arca").is_dir():
        pytest.skip(f"the racing-reference files are not at {RR} (set PITBOARD_SHARED)")
    pitboard.run("init", "--starter", check=True)
    pitboard.run(
        "import", "racing-reference", "--source", str(RR), "--series", "arca", "--seasons",
        "2022-2024", check=True,
    )  # fmt: skip

    def line(*args: str) -> dict[str, Any]:
        found: dict[str, Any] = pitboard.json("statline", "Amber Balcaen", *args)
        return found

    # The results where they exist…
    assert line("--series", "arca", "--season", "2022")["basis"] == "results"
    # …else two races a publication reports in 2025, and says that is all it knows…
    late = line("--series", "arca", "--season", "2025")
    assert (late["text"], late["basis"]) == ("0 wins in 2 starts", "reported")
    assert "may have started others" in late["note"]
    # …or a stint's number of races, or a weekly track's season by its name.
    assert line("--series", "arca-west", "--season", "2021")["text"] == "3 starts"
    track = line("--track", "Motor Mile Speedway")
    assert (track["counts"]["starts"], track["basis"]) == (13, "reported")
    # A season the results do not cover is not "0 starts".
    assert line("--series", "arca", "--season", "2019")["text"] == "no results held for arca 2019"


def test_firsts_refuse_a_scope_nobody_has(pitboard: Pitboard) -> None:
    pitboard.run("init", "--starter", check=True)
    for args, said in (
        (("--gender", "nonbinary"), "no one is stated to be 'nonbinary' (known: female, male)"),
        (("--series", "nope"), "no series 'nope'"),
        (("--sanction", "FIA"), "no sanctioning body 'FIA'"),
    ):
        done = pitboard.run("firsts", "--event", "win", *args)
        assert done.returncode == 2 and said in done.stderr, done.stderr
    # A woman is female: the words compare, not the letters.
    found = pitboard.json("firsts", "--event", "win", "--gender", "woman")
    assert [a["driver"]["slug"] for a in found["answers"]] == ["amber-balcaen"]


PLACES = """
[[publications]]
key = "harrow-herald"
title = "The Harrow Herald (fictional)"
url = "https://example.org/herald"

[[people]]
key = "avery-quill"
name = "Avery Quill"
driver = true
cite = [{ source = "harrow-herald" }]

[[people]]
key = "morgan-quill"
name = "Morgan Quill"
cite = [{ source = "harrow-herald" }]

[[tracks]]
key = "harrow-bowl"
name = "Harrow Bowl"
cite = [{ source = "harrow-herald" }]

[[series]]
key = "harrow-weekly"
name = "Harrow Thunder Series"
level = "weekly"
discipline = "late_model"
cite = [{ source = "harrow-herald" }]

[[statements]]
key = "avery-quill/parent"
subject = "avery-quill"
property = "relative"
value = { person = "morgan-quill", relation = "parent" }
cite = [{ source = "harrow-herald" }]

[[statements]]
key = "morgan-quill/titles"
subject = "morgan-quill"
property = "titles"
value = { what = "track championships", count = 4 }
cite = [{ source = "harrow-herald" }]

[[statements]]
key = "harrow-bowl/location"
subject = "harrow-bowl"
property = "location"
value = { city = "Harrow", region = "ON", country = "CA" }
cite = [{ source = "harrow-herald" }]

[[statements]]
key = "harrow-weekly/name/then"
subject = "harrow-weekly"
property = "series_name"
value = { name = "Harrow Lightning Series", season = 2029 }
cite = [{ source = "harrow-herald" }]

[[statements]]
key = "harrow-weekly/name/now"
subject = "harrow-weekly"
property = "series_name"
value = { name = "Harrow Thunder Series", current = true }
cite = [{ source = "harrow-herald" }]
"""


def test_tracks_series_and_people_who_are_not_drivers_have_their_statements(
    transactional_db: None, client: Client, static_root: None, tmp_path: Path
) -> None:
    from pitboard.careers.starter import load
    from pitboard.records.models import Person

    given = tmp_path / "careers.toml"
    given.write_text(PLACES)
    loaded = load(given)
    assert (loaded.tracks, loaded.series, loaded.people_created) == (1, 1, 2)

    # The track: placed by the statement, which its page and the API show with the source.
    page = client.get("/tracks/harrow-bowl/").content.decode()
    assert "in Harrow, ON" in page and "Harrow, ON, CA" in page
    assert "The Harrow Herald (fictional)" in page
    doc = client.get("/api/v1/tracks/harrow-bowl/statements").json()
    assert [s["value"] for s in doc["statements"]] == [
        {"city": "Harrow", "region": "ON", "country": "CA"}
    ]
    assert doc["sources"][0]["url"] == "https://example.org/herald"
    assert client.get("/api/v1/tracks/nowhere/statements").status_code == 404

    # The series: its names then and now, in that order; no results held yet.
    page = client.get("/series/harrow-weekly/").content.decode()
    assert page.index("Harrow Lightning Series (in 2029)") < page.index(
        "Harrow Thunder Series (its name as of the publication)"
    )
    assert "No results of this series are held yet." in page
    doc = client.get("/api/v1/series/harrow-weekly/statements").json()
    assert [s["value"]["name"] for s in doc["statements"]] == [
        "Harrow Lightning Series",
        "Harrow Thunder Series",
    ]

    # The parent is a person with a page; the driver's page links it, and it links back.
    morgan = Person.objects.get(name="Morgan Quill")
    driver = client.get("/drivers/avery-quill/").content.decode()
    assert f'<a href="/people/{morgan.pk}/">Morgan Quill</a>' in driver
    page = client.get(f"/people/{morgan.pk}/").content.decode()
    assert "4 track championships" in page
    assert 'parent of <a href="/drivers/avery-quill/">Avery Quill</a>' in page
    doc = client.get(f"/api/v1/people/{morgan.pk}").json()
    assert doc["person"] == {"id": morgan.pk, "name": "Morgan Quill", "slug": None}
    assert doc["mentions"][0]["subject"]["slug"] == "avery-quill"
    avery = Person.objects.get(name="Avery Quill")
    moved = client.get(f"/people/{avery.pk}/")
    assert moved.status_code == 301 and moved["Location"] == "/drivers/avery-quill/"
    assert client.get("/people/987654/").status_code == 404
    assert client.get("/api/v1/people/987654").status_code == 404

    # A file that renames the parent renames the person; loading it again changes nothing.
    given.write_text(PLACES.replace('name = "Morgan Quill"', 'name = "Morgan Quill-Hart"'))
    assert load(given).changed
    assert Person.objects.get(pk=morgan.pk).name == "Morgan Quill-Hart"
    again = load(given)
    assert (again.changed, again.statements_created, again.statements_changed) == (False, 0, 0)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (('subject = "harrow-bowl"', 'subject = "avery-quill"'),
         "harrow-bowl/location property: location is said of a track, not of a person"),
        (('value = { city = "Harrow", region = "ON", country = "CA" }', "value = { }"),
         "harrow-bowl/location value.city: location needs one of city, region, country"),
        (('level = "weekly"', 'level = "galactic"'), "harrow-weekly level: one of national"),
        (('country = "CA" }', 'country = "Canada" }'),
         "harrow-bowl/location value.country: an ISO 3166 code: US, CA"),
        (('key = "harrow-bowl"\nname = "Harrow Bowl"', 'key = "harrow-bowl"\nname = ""'),
         "harrow-bowl name: a track needs its name"),
    ],
)  # fmt: skip
def test_track_and_series_records_of_the_wrong_shape_are_refused(
    pitboard: Pitboard, tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    assert change[0] in PLACES
    bad = tmp_path / "careers.toml"
    bad.write_text(PLACES.replace(*change))
    before = dump_tables(pitboard.database)
    done = pitboard.run("init", "--careers", str(bad))
    assert done.returncode == 1 and said in done.stderr, done.stderr
    assert dump_tables(pitboard.database) == before
