"""The JSON API on the real server (gunicorn) against the real NASCAR database."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Pitboard
from tests.server import Server

pytestmark = pytest.mark.realdata


def test_career_is_the_cli_document(site: Server, nascar_db: Pitboard) -> None:
    api = site.json("/api/v1/drivers/richard-petty/career")
    assert api == nascar_db.json("driver", "Richard Petty", "--by", "series")
    by_season = site.json("/api/v1/drivers/kaz-grala/career?by=season&series=nxs")
    assert by_season == nascar_db.json("driver", "Kaz Grala", "--by", "season", "--series", "nxs")


def test_standings_are_the_cli_document(site: Server, nascar_db: Pitboard) -> None:
    api = site.json("/api/v1/series/cup/2011/standings")
    assert api == nascar_db.json("standings", "--series", "cup", "--season", "2011")
    assert api["standings"][0]["driver"] == "Tony Stewart"
    part = site.json("/api/v1/series/cup/2011/standings?after_round=26")
    assert part["after_round"] == 26


def test_search_ranks_and_lists_candidates(site: Server) -> None:
    found = site.json("/api/v1/drivers?q=Johnny%20Benson")["drivers"]
    assert [d["name"] for d in found] == ["Johnny Benson Jr.", "Johnny Benson Sr."]
    hits = site.json("/api/v1/search?q=richard%20petty")["drivers"]
    assert hits == [{"name": "Richard Petty", "slug": "richard-petty", "match": "exact"}]


def test_search_puts_the_closest_kind_first_and_says_what_it_covers(site: Server) -> None:
    dover = site.json("/api/v1/search?q=Dover")
    assert dover["groups"][0] == "tracks" and dover["tracks"][0]["name"] == "Dover Motor Speedway"
    assert dover["drivers"] == []  # no Fred Dove or Carl Hoover above the track
    nobody = site.json("/api/v1/search?q=Lee%20Pulliam")  # one shared word is not a match
    assert nobody["groups"] == [] and nobody["drivers"] == []
    page = site.get("/search/?q=Lee+Pulliam")[2].decode()
    assert 'id="no-match"' in page and "Nothing matches “Lee Pulliam”" in page
    assert '<a href="/series/cup/">NASCAR Cup Series</a>, 1949–2024' in page
    page = site.get("/search/?q=Dover")[2].decode()
    assert page.index("<h2>Tracks</h2>") < page.index("<h2>Races</h2>")
    assert "<h2>Drivers</h2>" not in page


def test_errors_have_one_shape(site: Server) -> None:
    status, _, body = site.get("/api/v1/drivers/no-such-driver/career")
    assert status == 404 and json.loads(body) == {
        "detail": "no driver with the slug 'no-such-driver'"
    }
    status, _, body = site.get("/api/v1/series/moon/2011/standings")
    assert status == 404 and "no series 'moon'" in json.loads(body)["detail"]
    status, _, body = site.get("/api/v1/drivers/richard-petty/career?by=decade")
    assert status == 422 and json.loads(body)["detail"].startswith("invalid parameters: query.by")
    status, _, body = site.get("/api/v1/drivers?era=197")
    assert status == 422 and "decade" in json.loads(body)["detail"]


def test_the_404_page_gives_a_reason_not_an_exception_name(site: Server) -> None:
    status, _, body = site.get("/no-such-page/")
    page = body.decode()
    assert status == 404 and "Not found" in page and "Resolver404" not in page
    assert "There is no such page in the record book." in page
    status, _, body = site.get("/series/cup/1930/")
    assert status == 404 and "no season 1930 of series &#x27;cup&#x27;" in body.decode()


def test_caching_and_cross_origin_reads(site: Server) -> None:
    status, headers, _ = site.get("/api/v1/series/cup/2016/standings")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    etag = headers["ETag"]
    status, _, body = site.get("/api/v1/series/cup/2016/standings", {"If-None-Match": etag})
    assert status == 304 and body == b""


def test_openapi_and_docs_work_offline(site: Server) -> None:
    spec = site.json("/api/v1/openapi.json")
    assert {"/api/v1/drivers/{slug}/career", "/api/v1/series/{series}/{season}/standings"} <= set(
        spec["paths"]
    )
    status, _, page = site.get("/api/v1/docs")
    assert status == 200
    text = page.decode()
    assert "swagger-ui-bundle.js" in text and "cdn" not in text.lower()
    for asset in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"):
        assert site.get(asset)[0] == 200


def test_home_lists_the_series(site: Server) -> None:
    status, _, page = site.get("/")
    assert status == 200
    assert "NASCAR Cup Series" in page.decode() and "/api/v1/docs" in page.decode()


def test_every_resource_answers_with_the_numbers_of_the_record(site: Server) -> None:
    petty = site.json("/api/v1/drivers/richard-petty")
    career = site.json("/api/v1/drivers/richard-petty/career")
    assert petty["total"] == career["total"] and petty["total"]["wins"] == 200
    results = site.json("/api/v1/drivers/richard-petty/results?page=2&per_page=10")
    assert results["count"] >= career["total"]["starts"]
    assert (results["page"], results["per_page"], len(results["items"])) == (2, 10, 10)
    race = site.json("/api/v1/races/cup/2016/36")
    assert race["results"][0]["driver"]["name"] == "Jimmie Johnson"
    assert race["starters"] == 40 and [r["finish"] for r in race["results"]] == list(range(1, 41))
    schedule = site.json("/api/v1/series/cup/2016")
    assert len(schedule["races"]) == 36
    assert schedule["races"][35]["winner"] == {"name": "Jimmie Johnson", "slug": "jimmie-johnson"}
    cup = site.json("/api/v1/series/cup")
    champion = next(s for s in cup["seasons"] if s["season"] == 2016)["champion"]
    standings = site.json("/api/v1/series/cup/2016/standings")
    assert champion["name"] == standings["standings"][0]["driver"] == "Jimmie Johnson"
    owners = site.json("/api/v1/series/cup/2016/standings?kind=owner")
    assert owners["kind"] == "owner" and owners["standings"][0]["owner"].endswith("#48")
    track = site.json("/api/v1/tracks/martinsville-speedway")
    assert track["most_wins"][0] == {
        "driver": {"name": "Richard Petty", "slug": "richard-petty"},
        "wins": 15,
    }
    winners = site.json("/api/v1/tracks/martinsville-speedway/winners")
    assert len(winners) == track["races_count"]
    dirt = site.json("/api/v1/tracks?surface=dirt&length=short")
    assert dirt["count"] > 0 and all(t["surface"] == "dirt" for t in dirt["tracks"])
    assert all(t["length_miles"] < 1 for t in dirt["tracks"])
    book = site.json("/api/v1/records?series=cup")
    assert book["leaders"]["wins"][0]["driver"]["name"] == "Richard Petty"
    assert book["leaders"]["wins"][0]["value"] == 200


def test_lists_are_paged_and_filtered(site: Server) -> None:
    first = site.json("/api/v1/drivers?series=cup&era=1960s")
    second = site.json("/api/v1/drivers?series=cup&era=1960s&page=2")
    assert first["count"] == second["count"] > 50 and first["pages"] == second["pages"]
    names = [d["slug"] for d in first["drivers"]] + [d["slug"] for d in second["drivers"]]
    assert len(set(names)) == len(names) == 100
    assert first["drivers"][0]["name"] == "Richard Petty"
    assert all(1960 <= d["first_season"] <= d["last_season"] <= 1969 for d in first["drivers"])
    status, _, _ = site.get("/api/v1/drivers/richard-petty/results?per_page=500")
    assert status == 422


@pytest.mark.parametrize(
    ("path", "cap"),
    [
        ("/api/v1/drivers/richard-petty/career", 4),
        ("/api/v1/drivers/richard-petty", 6),  # and his titles: final places, latest seasons
        ("/api/v1/drivers/richard-petty/results", 6),  # the count, then the page alone
        ("/api/v1/series/cup/2016/standings", 6),
        ("/api/v1/series/cup/2016", 7),  # its champion, whether it is under way
        ("/api/v1/races/cup/2016/36", 5),
        ("/api/v1/tracks/martinsville-speedway", 8),
        ("/api/v1/search?q=petty", 12),
        ("/api/v1/records", 4),
        ("/api/v1/teams?series=cup", 11),  # and the titles won in the teams' cars
        ("/api/v1/makes/chevrolet", 10),
        # The page of results reads only the seasons it spans; the sourced statements one more,
        # and the stories naming him one more.
        ("/drivers/richard-petty/", 9),
        ("/api/v1/drivers/richard-petty/milestones", 4),
        ("/api/v1/drivers/richard-petty/statements", 3),
        ("/api/v1/drivers/richard-petty/statline?series=cup", 4),  # and the series there are
        ("/series/cup/2016/", 30),
        ("/races/cup/2016/36/", 9),
        ("/tracks/martinsville-speedway/", 11),  # with what is reported of it, and its stories
        ("/makes/chevrolet/", 12),
        ("/", 20),
    ],
)
def test_queries_per_request_are_capped(site: Server, path: str, cap: int) -> None:
    """A fixed number of queries whatever the size of the career, season or track, and none
    that writes: derived tables are computed when the results change, not when read."""
    status, headers, _ = site.get(path)
    assert status == 200
    assert int(headers["X-Query-Count"]) <= cap, headers["X-Query-Count"]
    assert headers["X-Write-Count"] == "0"


def test_milestones_mark_a_career_in_its_races(site: Server, nascar_db: Pitboard) -> None:
    """Petty's first start (Toronto, 1958), first win (1960) and 200th win (the 1984
    Firecracker 400), in the API, the CLI, his page and the races' pages."""
    document = site.json("/api/v1/drivers/richard-petty/milestones")
    assert document == nascar_db.json("milestones", "Richard Petty")
    career = {
        (m["kind"], m["value"]): m["race"] for m in document["milestones"] if m["series"] is None
    }
    assert career[("first_start", 17)]["season"] == 1958
    assert "Canadian National Exposition" in career[("first_start", 17)]["track"]["name"]
    assert career[("first_win", 1)]["season"] == 1960
    two_hundred = career[("win_number", 200)]
    assert (two_hundred["season"], two_hundred["name"]) == (1984, "Pepsi Firecracker 400")
    assert ("win_number", 210) not in career
    # Every Cup milestone is also a career one: he raced nowhere else.
    cup = {
        (m["kind"], m["value"], m["race"]["round"])
        for m in document["milestones"]
        if m["series"] == "cup"
    }
    assert cup == {(k, v, r["round"]) for (k, v), r in career.items()}
    page = site.get("/drivers/richard-petty/")[2].decode()
    assert 'id="milestones"' in page and "Win No. 200" in page
    race = site.get(f"/races/cup/1984/{two_hundred['round']}/")[2].decode()
    assert ">Richard Petty</a>: win no. 200 (career, CUP)" in race
    status, _, body = site.get("/api/v1/drivers/richard-petty/milestones?series=moon")
    assert status == 404 and "no series 'moon'" in json.loads(body)["detail"]


def test_the_report_form_links_only_to_pages_of_the_site(site: Server) -> None:
    for bad in ("javascript:alert(1)", "//evil.example/x", "https://evil.example/"):
        quoted = bad.replace(":", "%3A")
        status, _, body = site.get(f"/report/?page={quoted}")
        assert status == 200 and 'name="page" value="/"' in body.decode()
        status, _, body = site.get(f"/report/thanks/?page={quoted}")
        assert status == 200 and 'href="/">Back to the page' in body.decode()
        assert f'href="{bad}' not in body.decode()


def test_every_national_season_names_its_published_champion(site: Server) -> None:
    """The series documents name the sourced champion of every season of the three national
    series: the final standings' leader ("rules"), or the published champion ("official")
    where the results cannot name him, never a leader on 0 points."""
    import csv

    from tests.conftest import REPO

    with (REPO / "src" / "pitboard" / "data" / "champions.csv").open(encoding="utf-8") as f:
        published = {(r["series"], int(r["season"])): r for r in csv.DictReader(f)}
    seen = set()
    for series in ("cup", "nxs", "truck"):
        for season in site.json(f"/api/v1/series/{series}")["seasons"]:
            row = published[(series, season["season"])]
            seen.add((series, season["season"]))
            expected = "official" if row["cannot_compute"] else "rules"
            got = (season["champion"]["name"], season["champion_source"])
            assert got == (row["champion"], expected), (series, season["season"])
            assert season["champion"]["slug"], (series, season["season"])
    # Every published champion up to the last season the files hold (2025's: the live ones).
    last = max(year for _, year in seen)
    assert {key for key in published if key[1] <= last} == seen

    year = site.json("/api/v1/series/cup/1950")
    assert year["champion"] == {"name": "Bill Rexford", "slug": "bill-rexford"}
    assert (year["champion_source"], year["champion_why"]) == (
        "official",
        "points penalties (Lee Petty, Red Byron) are not in the results",
    )
    assert year["champion_source_url"].startswith("https://")
    status, _, body = site.get("/series/cup/1950/")
    page = body.decode()
    assert status == 200 and 'id="champion-note"' in page and "Bill Rexford" in page
    assert "Leader:" not in page


def test_every_champion_counts_his_titles(site: Server) -> None:
    """Each champion's titles, in the API and on his page, are the seasons the series
    documents crown him: as many as the champions table gives him, none more."""
    crowned: dict[str, set[tuple[str, int, str]]] = {}
    for series in ("cup", "nxs", "truck"):
        for season in site.json(f"/api/v1/series/{series}")["seasons"]:
            slug = season["champion"]["slug"]
            crowned.setdefault(slug, set()).add(
                (series, season["season"], season["champion_source"])
            )
    for slug, won in crowned.items():
        titles = site.json(f"/api/v1/drivers/{slug}")["titles"]
        assert {(t["series"], t["season"], t["source"]) for t in titles} == won, slug
    assert len(crowned["richard-petty"]) == 7 and len(crowned["kyle-busch"]) == 3
    page = site.get("/drivers/richard-petty/")[2].decode()
    assert '<dd data-stat="titles">7</dd>' in page and page.count("★</strong>") == 7
    assert '<a href="/series/cup/1974/">1974 NASCAR Winston Cup Grand National Series</a>' in page
    busch = site.get("/drivers/kyle-busch/")[2].decode()
    assert "2009 NASCAR Nationwide Series" in busch


def test_the_track_filters_offer_each_value_once(site: Server) -> None:
    import re

    page = site.get("/tracks/")[2].decode()
    surface = re.search(r'<select name="surface">(.*?)</select>', page, re.S)
    assert surface is not None
    options = re.findall(r"<option[^>]*>([^<]*)</option>", surface.group(1))
    assert options == ["Any", "dirt", "paved"]
    assert "road course" in page and "roadcourse" not in page and "road_course" not in page


def test_teams_have_an_index_and_a_roster(site: Server) -> None:
    cup = site.json("/api/v1/teams?series=cup&era=2010s")
    top = cup["teams"][0]
    assert cup["count"] > 20 and top["wins"] >= cup["teams"][1]["wins"]
    assert site.get("/api/v1/teams?series=moon")[0] == 404
    index = site.get("/teams/?series=cup&era=2010s")[2].decode()
    assert f'<a href="/teams/{top["slug"]}/">{top["name"]}</a>' in index
    page = site.get("/teams/hendrick-motorsports/")[2].decode()
    assert '<h2 id="cars">Cars and drivers by season</h2>' in page
    assert '<a href="/drivers/jeff-gordon/">Jeff Gordon</a>' in page
    # The driver page links each result's team.
    results = site.json("/api/v1/drivers/jeff-gordon/results")["items"]
    assert results[0]["team_slug"] == "hugh-connerty-racing"  # his first start, NXS 1990
    assert (
        '<a href="/teams/hendrick-motorsports/">' in site.get("/drivers/jeff-gordon/")[2].decode()
    )


def test_what_if_standings_sit_beside_the_real_ones(site: Server, nascar_db: Pitboard) -> None:
    """Cup 2016 under the 1975-2003 points: each row gives its real place and the places
    gained, in the API, the CLI and on the season page; only shipped rule sets by id."""
    base = "/api/v1/series/cup/2016/standings"
    real = site.json(base)["standings"]
    other = site.json(f"{base}?rules=cup-1975-2003")
    assert (other["rules"], other["compared_with"]) == ("cup-1975-2003", "cup-2016")
    where = {row["driver"]: row["position"] for row in real}
    for row in other["standings"]:
        assert row["real"]["position"] == where[row["driver"]]
        assert row["change"] == where[row["driver"]] - row["position"]
    assert "real" not in real[0] and "compared_with" not in site.json(base)
    assert other == nascar_db.json(
        "standings", "--series", "cup", "--season", "2016", "--rules", "cup-1975-2003"
    )
    shown = nascar_db.run(
        "standings", "--series", "cup", "--season", "2016", "--rules", "cup-1975-2003", check=True
    ).stdout
    assert "real: cup-2016" in shown and "{" not in shown
    for wrong in ("nope", "../../etc/passwd.toml"):
        assert site.get(f"{base}?rules={wrong}")[0] == 404
        assert site.get(f"/series/cup/2016/?rules={wrong}")[0] == 404
    page = site.get("/series/cup/2016/?rules=cup-1975-2003")[2].decode()
    first = other["standings"][0]
    assert 'id="what-if-standings"' in page
    assert f'>{first["driver"]}</a></td><td class="n">{first["points"]}</td>' in page


def test_teams_count_the_titles_won_in_their_cars(site: Server) -> None:
    """Each national champion's title counts for the team whose cars he drove most that
    season, the published champion where the standings cannot name him."""
    import re

    page = site.get("/teams/hendrick-motorsports/")[2].decode()
    cup = re.findall(r'>(\d{4}) CUP</a>: <a href="/drivers/([^/]+)/">', page)
    assert len(cup) == 14  # Gordon 4, Labonte 1, Johnson 7, Elliott 1, Larson 1
    assert ("1996", "terry-labonte") in cup and ("2021", "kyle-larson") in cup
    petty = site.get("/teams/petty-enterprises/")[2].decode()
    assert (
        '>1974 CUP</a>: <a href="/drivers/richard-petty/">Richard Petty</a> <span class="badge"'
        in petty
    )


def test_team_and_make_titles_add_up_to_the_champions_table(site: Server) -> None:
    """Every national champion of the series pages counts for exactly one team and one make
    (those of most of his starts that season), in the lists' counts and on the detail
    documents; none is counted twice or left out."""
    crowned = {
        (series, season["season"], season["champion"]["slug"], season["champion_source"])
        for series in ("cup", "nxs", "truck")
        for season in site.json(f"/api/v1/series/{series}")["seasons"]
        if season["champion"] and season["champion"]["slug"]
    }
    assert len(crowned) == 76 + 43 + 30  # Cup 1949-2024, NXS 1982-, Truck 1995-
    for kind, route, field in (
        ("teams", "/api/v1/teams", "team"),
        ("makes", "/api/v1/makes", "manufacturer"),
    ):
        counted: dict[str, int] = {}
        page, pages = 1, 1
        while page <= pages:
            listing = site.json(f"{route}?per_page=200&page={page}")
            counted.update({row["slug"]: row["titles"] for row in listing[kind] if row["titles"]})
            page, pages = page + 1, listing["pages"]
        won: list[tuple[str, int, str, str]] = []
        for slug, count in counted.items():
            titles = site.json(f"{route}/{slug}")["titles"]
            assert len(titles) == count, slug
            won += [(t["series"], t["season"], t["driver"]["slug"], t["source"]) for t in titles]
        assert len(won) == len(set(won)) and set(won) <= crowned, kind
        # A title counts nowhere only where the champion's results that season name no team
        # or make at all (NXS 1989 and 1990 give no teams).
        for series, year, slug, _ in crowned - set(won):
            results = site.json(f"/api/v1/drivers/{slug}/results?per_page=200")["items"]
            assert not [
                r for r in results if (r["series"], r["season"]) == (series, year) and r[field]
            ], (kind, series, year, slug)
        assert len(crowned) - len(won) <= (2 if kind == "teams" else 0)
    chevrolet = site.json("/api/v1/makes/chevrolet")
    assert ("cup", 2016, "jimmie-johnson", "rules") in {
        (t["series"], t["season"], t["driver"]["slug"], t["source"]) for t in chevrolet["titles"]
    }
    assert chevrolet["winners"][0]["wins"] >= chevrolet["winners"][1]["wins"]
    page = site.get("/makes/chevrolet/")[2].decode()
    assert (
        f'<h2 id="titles">Drivers\' championships in its cars: {len(chevrolet["titles"])}</h2>'
        in page
    )
    assert (
        site.get("/api/v1/makes/moon-buggy")[0] == 404 and site.get("/makes/moon-buggy/")[0] == 404
    )
    # Race and driver results link each make.
    race = site.json("/api/v1/races/cup/2016/1")["results"][0]
    assert race["manufacturer_slug"] in {"chevrolet", "ford", "toyota"}
    assert (
        f'<a href="/makes/{race["manufacturer_slug"]}/">'
        in site.get("/races/cup/2016/1/")[2].decode()
    )
    index = site.get("/makes/")[2].decode()
    assert '<a href="/makes/chevrolet/">Chevrolet</a>' in index
