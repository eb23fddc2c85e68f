"""The starter driver's career in a browser: her page shows the ladder with the reported
seasons and their sources, the Dover injury and the Kansas race after it, her teams, her family
and her coach; the coach's page leads to the national-series careers of the drivers he coached.

The news desk on the same database: the four articles import without their page chrome,
disclaimers, bylines, notes about the author and repeated paragraphs, and link the drivers,
people, tracks, teams and series they mention.

The database: ``career_record`` (conftest): the starter data, the NASCAR Truck Series file,
racing-reference's ARCA, East and West results and the four articles (``../shared``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Pitboard
from tests.server import Server, serving
from tests.test_site_browser import Tab, browser  # noqa: F401  (the module's browser fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.realdata

AMBER = "/drivers/amber-balcaen/"
K_AND_N = "/news/amber-balcaen-ready-to-make-the-jump-to-k-n-series-in-2017/"
PULLIAM = "/drivers/lee-pulliam/"


@pytest.fixture(scope="module")
def career_site(career_record: Pitboard) -> Iterator[Server]:
    with serving(career_record.database, career_record.cwd, {"PITBOARD_CACHE_URL": "none"}) as live:
        yield live


@pytest.fixture
def tab(browser: Browser, career_site: Server) -> Iterator[Callable[[str], Tab]]:  # noqa: F811
    tabs: list[Tab] = []

    def make(viewport: str) -> Tab:
        tabs.append(Tab(browser, career_site, viewport))
        return tabs[-1]

    yield make
    for one in tabs:
        one.context.close()


def _rows(tab: Tab, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in tab.page.locator(selector).all_inner_texts()]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_starter_drivers_career_with_its_sources(
    tab: Callable[[str], Tab], viewport: str
) -> None:
    page = tab(viewport)
    page.open(AMBER)
    # The ladder: results and reported seasons from 2015 to 2025; outlined cells are reported,
    # and their tooltips cite the numbered sources.
    ladder = page.page.locator("svg.chart").first
    years = ladder.locator("text").all_text_contents()
    assert {"2016", "2020", "2024"} <= set(years) and "Injuries, milestones" in years
    reported = ladder.locator("rect.cell.reported title").all_text_contents()
    assert any(t.startswith("ARCA Menards Series 2025: 2025, Nitro Motorsports") for t in reported)
    assert any(re.search(r"Limited Sportsman.*2016.*\[\d\]", t) for t in reported)
    raced = ladder.locator("rect.cell:not(.reported) title").all_text_contents()
    assert "ARCA Menards Series 2022: 20 starts" in raced
    marks = " ".join(ladder.locator("text.mark title").all_text_contents())
    assert "Dover Motor Speedway: broken left foot" in marks and "milestone" in marks

    rows = _rows(page, "table.about tbody tr")
    said = "\n".join(rows)
    for expected in (
        "injury 2024, ARCA Menards Series, Dover Motor Speedway: broken left foot; raced on",
        "Kansas Speedway: finished 8th (the race after her Dover crash, with a broken foot)",
        "team 2022, Rette Jones Racing, ARCA Menards Series, full-time",
        "team 2024, Venturini Motorsports, ARCA Menards Series, full-time",
        "team 2017, Martin-McClure Racing, ARCA Menards Series East, full-time (announced)",
        "family Mike Balcaen (parent)",
        "family Kim Balcaen (parent)",
        "family Lou Kennedy Sr. (grandparent)",
        "coached by Lee Pulliam 2016",
        "1 win, 7 podiums and 12 top fives in 13 starts",
    ):
        assert expected in said, expected
    # Every statement cites a numbered source, and the number leads to it.
    assert all(re.search(r"\[\d\]$", row) for row in rows), rows
    sources = _rows(page, "ol.sources li")
    assert len(sources) == 4 and any("Popular Speed, by Andy Marquis" in s for s in sources)
    page.page.locator("table.about a.cite").first.click()
    assert page.page.url.endswith("#source-1")

    # Year by year, the results and the reports merged, each labelled.
    timeline = _rows(page, "ol.timeline > li")
    year = next(t for t in timeline if t.startswith("2024"))
    assert "results ARCA Menards Series: 7 top tens in 20 starts, 6th in points" in year
    assert "reported injury: ARCA Menards Series, Dover Motor Speedway: broken left foot" in year
    assert "reported season, as reported: ARCA Menards Series: 6th in points [2]" in year

    # In the results, Kansas is the race after Dover in 2024.
    # (Every cell, the columns a phone hides too.)
    results = page.page.evaluate(
        "[...document.querySelectorAll('table.results tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.textContent.trim()).join(' | '))"
    )
    arca_2024 = [r for r in results if r.startswith("2024 | ARCA")]
    dover = next(i for i, r in enumerate(arca_2024) if "Dover" in r)
    assert "Kansas" in arca_2024[dover + 1]

    page.assert_fits()
    page.assert_accessible()
    page.shot("career-amber-balcaen")
    assert page.foreign_requests() == [] and page.failures == []


def test_the_coachs_page_leads_to_the_careers_he_helped(tab: Callable[[str], Tab]) -> None:
    page = tab("desktop")
    page.open(PULLIAM)
    rows = _rows(page, "table.about tbody tr")
    assert "championships 3 NASCAR Whelen All-American Series national championships [1]" in rows
    coached = page.page.locator("tr[data-property='coached_by-of'] a:not(.cite)")
    names = sorted(coached.all_inner_texts())
    assert names == ["Amber Balcaen", "Dalton Sargeant", "Julia Landauer", "Kaz Grala"]
    page.page.get_by_role("link", name="Kaz Grala").click()
    page.page.wait_for_url("**/drivers/kaz-grala/")
    career = _rows(page, "#career + .table-wrap table tbody tr")
    [truck] = [r for r in career if "Truck" in r]
    starts = int(re.findall(r"\d+", truck.split("Series", 1)[1])[0])
    assert starts > 40, truck  # his Truck Series starts, 2016–2023
    # His page names the coach back.
    assert "coached by Lee Pulliam" in "\n".join(_rows(page, "table.about tbody tr"))
    page.assert_accessible()
    page.shot("career-lee-pulliam")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_her_family_the_tracks_and_the_weekly_series_as_reported(
    tab: Callable[[str], Tab], viewport: str
) -> None:
    page = tab(viewport)
    page.open(AMBER)
    # Her father is not a driver in the results: his page says what the sources do.
    page.page.locator("table.about").get_by_role("link", name="Mike Balcaen").click()
    page.page.wait_for_url("**/people/*/")
    rows = "\n".join(_rows(page, "table.about tbody tr"))
    assert "championships 56 track championships [1]" in rows
    assert "family parent of Amber Balcaen" in rows
    assert len(_rows(page, "ol.sources li")) == 1
    page.assert_fits()
    page.assert_accessible()
    page.shot("person-mike-balcaen")

    # Myrtle Beach Speedway is in the results (the East raced there); the article places it.
    page.open("/tracks/myrtle-beach-speedway/")
    assert "location SC, US [1]" in _rows(page, "table.about tbody tr")
    assert "in , SC (US)" not in page.page.locator("p.lede").inner_text()
    # Valley Speedway, where she was hurt in 2020, is known only from reporting: her page's
    # injury links it, and its page places it.
    page.open(AMBER)
    injury = page.page.locator("tr[data-property='injury']", has_text="2020")
    injury.get_by_role("link", name="Valley Speedway").click()
    page.page.wait_for_url("**/tracks/valley-speedway/")
    assert "Grain Valley, MO" in page.page.locator("p.lede").inner_text()

    # The weekly series: its name in 2016 and its name now, both cited twice.
    page.open("/series/nascar-weekly/")
    names = _rows(page, "table.about tbody tr")
    assert names == [
        "name NASCAR Whelen All-American Series (in 2016) [1][2]",
        "name NASCAR Advance Auto Parts Weekly Series (its name as of the publication) [1][2]",
    ]
    page.assert_fits()
    page.assert_accessible()
    page.shot("series-nascar-weekly")
    assert page.foreign_requests() == [] and page.failures == []


def test_the_articles_read_clean_and_link_what_they_mention(career_site: Server) -> None:
    def doc(slug: str) -> dict:
        status, _, body = career_site.get(f"/api/v1/news/{slug}")
        assert status == 200, slug
        return json.loads(body)

    status, _, body = career_site.get("/api/v1/news")
    assert status == 200
    slugs = [a["slug"] for a in json.loads(body)["articles"]]
    assert len(slugs) == 4
    docs = {d["published"][:4]: d for d in (doc(s) for s in slugs)}
    removed = {year: sorted(r["kind"] for r in d["removed"]) for year, d in docs.items()}
    assert removed == {
        "2017": ["blurb", "byline", "chrome", "disclaimer", "repeat", "repeat"],
        "2023": ["blurb", "chrome", "chrome", "disclaimer"],
        "2024": [],
        "2025": [],
    }
    assert docs["2017"]["author"] == "Andy Marquis"
    assert docs["2017"]["body"].count("is ready to make the jump") == 1

    def linked(year: str) -> set[tuple[str, str]]:
        return {
            (m["entity"]["kind"], m["entity"]["slug"] or m["entity"]["name"])
            for m in docs[year]["mentions"]
            if m["entity"]
        }

    assert {
        ("driver", "amber-balcaen"), ("driver", "lee-pulliam"), ("driver", "julia-landauer"),
        ("driver", "dalton-sargeant"), ("driver", "kaz-grala"), ("person", "Troy Carnes"),
        ("track", "myrtle-beach-speedway"), ("track", "motor-mile-speedway"),
        ("track", "new-smyrna-speedway"), ("series", "arca-east"), ("series", "nascar-weekly"),
    } <= linked("2017")  # fmt: skip
    assert {
        ("person", "Lou Kennedy Sr."), ("person", "Mike Balcaen"), ("series", "arca-west"),
        ("track", "daytona-international-speedway"), ("track", "talladega-superspeedway"),
        ("series", "nascar-weekly"), ("team", "venturini-motorsports"),
    } <= linked("2023")  # fmt: skip
    assert {("person", "Kim Balcaen"), ("track", "valley-speedway")} <= linked("2024")
    assert {
        ("track", "dover-motor-speedway"), ("track", "kansas-speedway"), ("series", "arca")
    } <= linked("2025")  # fmt: skip
    # Places are not tracks: "moved to North Carolina" links no speedway.
    said = [m["text"] for d in docs.values() for m in d["mentions"] if m["entity"]]
    assert "North Carolina" not in said and "South Carolina" not in said
    # Every name that matches nothing waits for review; none became an entity.
    proposed = {m["text"] for d in docs.values() for m in d["mentions"] if not m["entity"]}
    assert {"Martin-McClure Racing", "Nitro Motorsports"} <= proposed


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_article_page_links_its_names(tab: Callable[[str], Tab], viewport: str) -> None:
    page = tab(viewport)
    page.open("/news/")
    page.page.get_by_role("link", name="Amber Balcaen Ready to Make the Jump").click()
    page.page.wait_for_url(f"**{K_AND_N}")
    story = page.page.locator("article.story")
    assert story.locator("a.mention.track", has_text="Motor Mile Speedway").count() >= 2
    removed = _rows(page, "ul.removed li")
    assert any(r.startswith("byline") for r in removed) and len(removed) == 6
    page.assert_fits()
    page.assert_accessible()
    page.shot("article-kn-jump")
    story.locator("a.mention.driver", has_text="Lee Pulliam").first.click()
    page.page.wait_for_url("**/drivers/lee-pulliam/")
    news = _rows(page, "#news + ul.news li")
    assert news and news[0].startswith("Amber Balcaen Ready to Make the Jump")
    assert page.foreign_requests() == [] and page.failures == []
