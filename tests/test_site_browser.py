"""The website in a real browser: headless Chromium (Playwright) against the real server.

What a reader sees and does: search, follow links from a driver to a race, a track and a season,
read the figures, report an error; at desktop and phone widths, with and without JavaScript.
The figures checked are read from the JSON API and the CLI, not written into the tests.
Full-page screenshots of every page visited go to ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import REPO, Pitboard, query
from tests.server import Server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.realdata

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-artifacts" / "screenshots"

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

PETTY = "/drivers/richard-petty/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium) for the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Tab:
    """One browser context with one page at a named viewport. It remembers every request made
    and every failed response, and saves full-page screenshots named after the viewport."""

    def __init__(self, browser: Browser, site: Server, viewport: str, **options: Any) -> None:
        self.site = site
        self.viewport = viewport
        self.width = VIEWPORTS[viewport]["viewport"]["width"]
        self.context = browser.new_context(base_url=site.base, **VIEWPORTS[viewport], **options)
        self.context.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("response", self._on_response)
        self.page: Page = self.context.new_page()

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failures.append(f"{response.status} {response.url}")

    def open(self, path: str) -> Response:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        return response

    def shot(self, name: str) -> None:
        self.page.screenshot(path=SHOTS / f"{self.viewport}-{name}.png", full_page=True)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.site.base + "/")]

    def assert_fits(self) -> None:
        """The page does not scroll sideways: wide tables scroll inside their ``.table-wrap``.

        ``scrollWidth <= window.innerWidth`` alone would prove nothing at phone width: mobile
        Chromium zooms out to fit a page that overflows, and innerWidth grows with the page.
        The root element's clientWidth stays the width of the screen."""
        width, screen, inner = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
            " window.innerWidth]"
        )
        path = _path(self.page)
        assert (screen, inner) == (self.width, self.width), f"{path} was zoomed out: {inner}px"
        assert width <= screen + 1, f"{path} is {width}px wide on a {screen}px screen"

    def assert_charts_legible(self) -> None:
        """No two texts of a chart overlap, and none runs out of its chart (a clipped label)."""
        found = self.page.evaluate(
            """() => [...document.querySelectorAll('main svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                const texts = [...svg.querySelectorAll('text')].map(t => {
                    const r = t.getBoundingClientRect();
                    return [t.textContent, r.left, r.top, r.right, r.bottom];
                });
                return [svg.querySelector('title').textContent,
                        [box.left, box.top, box.right, box.bottom], texts];
            })"""
        )
        for title, (left, top, right, bottom), texts in found:
            for text, x0, y0, x1, y1 in texts:
                inside = x0 >= left - 0.5 and x1 <= right + 0.5 and y0 >= top - 0.5
                assert inside and y1 <= bottom + 0.5, f"{title}: {text!r} runs out of the chart"
            for i, (a, ax0, ay0, ax1, ay1) in enumerate(texts):
                for b, bx0, by0, bx1, by1 in texts[i + 1 :]:
                    apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
                    assert apart, f"{title}: {a!r} overlaps {b!r} at {self.width}px"

    def assert_accessible(self) -> None:
        """axe-core finds no violation on the page as it is now (WCAG 2 A and AA rules, and
        axe's best practices such as a unique landmark and the heading order)."""
        from axe_playwright_python.sync_playwright import Axe

        found = Axe().run(self.page).response["violations"]
        named = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
        assert not named, f"{_path(self.page)} at {self.width}px: {named}"


@pytest.fixture
def new_tab(browser: Browser, site: Server) -> Iterator[Callable[..., Tab]]:
    tabs: list[Tab] = []

    def make(viewport: str, **options: Any) -> Tab:
        tab = Tab(browser, site, viewport, **options)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.context.close()


def _path(page: Page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_search_driver_race_track_season(
    new_tab: Callable[..., Tab], site: Server, nascar_db: Pitboard, viewport: str
) -> None:
    """The reader's journey: search a name, open the driver, one of his races, its track and
    a season raced there; each page shows the figures of the record."""
    from playwright.sync_api import expect

    tab = new_tab(viewport)
    page = tab.page
    career = nascar_db.json("driver", "Richard Petty")["total"]

    tab.open("/")
    expect(page.locator("h1")).to_have_text("The record book of stock-car racing")
    tab.shot("journey-1-home")
    tab.assert_fits()

    box = page.locator("header.site #site-q")
    box.press_sequentially("Richard Petty")
    if viewport == "phone":
        page.locator("header.site form[role=search] button[type=submit]").tap()
    else:
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Richard\+Petty$"))
    expect(page.locator("header.site #site-q")).to_have_value("Richard Petty")
    hits = site.json("/api/v1/search?q=Richard%20Petty")["drivers"]
    found = page.locator("ul.results.drivers li")
    expect(found.first).to_contain_text(hits[0]["name"])
    expect(found).to_have_count(len(hits))
    tab.shot("journey-2-search")
    tab.assert_fits()

    page.locator("ul.results.drivers").get_by_role("link", name="Richard Petty", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(PETTY) + "$"))
    expect(page.locator("h1")).to_have_text("Richard Petty")
    figures = page.locator("#career-figures")
    for stat in ("starts", "wins", "top5", "top10", "poles", "laps_led"):
        expect(figures.locator(f"dd[data-stat={stat}]")).to_have_text(str(career[stat]))
    expect(page.locator("tr.total td[data-stat=wins]")).to_have_text(str(career["wins"]))
    tab.shot("journey-3-driver")
    tab.assert_fits()

    # The first row of the results table is the first start of the career.
    first = site.json("/api/v1/drivers/richard-petty/results")["items"][0]
    link = page.locator("table.results tbody tr").first.locator("td:nth-child(4) a")
    expect(link).to_have_text(first["race"] or first["track"]["name"])
    race_path = f"/races/{first['series']}/{first['season']}/{first['round']}/"
    expect(link).to_have_attribute("href", race_path)
    link.click()
    expect(page).to_have_url(re.compile(re.escape(race_path) + "$"))
    race = site.json(race_path.replace("/races/", "/api/v1/races/").rstrip("/"))
    expect(page.locator("h1")).to_have_text(
        f"{race['season']} {race['name'] or race['track']['name']}"
    )
    rows = page.locator("table.results tbody tr")
    assert len(race["results"]) > 0
    expect(rows).to_have_count(len(race["results"]))
    petty_row = rows.filter(has=page.get_by_role("link", name="Richard Petty", exact=True))
    expect(petty_row.locator("td").first).to_have_text(str(first["finish"]))
    assert race["results"][0]["finish"] == 1, "the race has a winner"
    winner = race["results"][0]["driver"]
    expect(page.locator("#winner")).to_have_text(winner["name"])
    expect(page.locator("#winner")).to_have_attribute("href", f"/drivers/{winner['slug']}/")
    tab.shot("journey-4-race")
    tab.assert_fits()

    track_link = page.locator("p.lede a[href^='/tracks/']")
    expect(track_link).to_have_text(race["track"]["name"])
    track_link.click()
    track_path = f"/tracks/{race['track']['slug']}/"
    expect(page).to_have_url(re.compile(re.escape(track_path) + "$"))
    track = site.json(f"/api/v1/tracks/{race['track']['slug']}")
    winners = site.json(f"/api/v1/tracks/{race['track']['slug']}/winners")
    expect(page.locator("h1")).to_have_text(track["name"])
    most_wins = page.locator(".card").filter(has=page.get_by_role("heading", name="Most wins"))
    expect(most_wins).to_have_count(1)
    top = most_wins.locator("tbody tr").first
    expect(top.locator("td").first).to_have_text(track["most_wins"][0]["driver"]["name"])
    expect(top.locator("td").nth(1)).to_have_text(str(track["most_wins"][0]["wins"]))
    expect(page.locator("table.winners tbody tr")).to_have_count(track["races_count"])
    tab.shot("journey-5-track")
    tab.assert_fits()

    # The series column of the winners table links to that season's page.
    first_win = winners[0]
    series_link = page.locator("table.winners tbody tr").first.locator("td:nth-child(2) a")
    season_path = f"/series/{first_win['series']}/{first_win['season']}/"
    expect(series_link).to_have_attribute("href", season_path)
    series_link.click()
    expect(page).to_have_url(re.compile(re.escape(season_path) + "$"))
    s, year = first_win["series"], first_win["season"]
    standings = site.json(f"/api/v1/series/{s}/{year}/standings")["standings"]
    expect(page.locator("h1")).to_contain_text(str(year))
    leader = page.locator("#driver-standings tbody tr").first
    expect(leader.locator("td").first).to_have_text("1")
    expect(leader.locator("td").nth(1).get_by_role("link")).to_have_text(standings[0]["driver"])
    expect(leader.locator("td").nth(2)).to_have_text(str(standings[0]["points"]))
    tab.shot("journey-6-season")
    tab.assert_fits()

    assert tab.foreign_requests() == []
    assert tab.failures == []


PAGES = [
    ("/", "home", 0),
    ("/search/?q=daytona", "search", 0),
    ("/drivers/", "drivers", 0),
    ("/drivers/?series=cup&era=1970s", "drivers-cup-1970s", 0),
    (PETTY, "driver", 2),
    ("/drivers/kyle-busch/", "driver-three-series", 2),
    ("/tracks/", "tracks", 0),
    ("/tracks/martinsville-speedway/", "track", 0),
    ("/series/cup/", "series", 0),
    ("/series/cup/2016/", "season", 1),
    ("/series/cup/2016/?rules=cup-1975-2003", "season-what-if", 1),
    ("/races/cup/2016/36/", "race", 0),
    ("/records/", "records", 0),
    ("/teams/", "teams", 0),
    ("/teams/{team}/", "team", 0),
    ("/makes/", "makes", 0),
    ("/makes/chevrolet/", "make", 0),
    (f"/report/?page={PETTY}", "report", 0),
    ("/search/?q=nobody+of+that+name", "search-nothing", 0),
]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize(("path", "name", "charts"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_type_is_whole(
    new_tab: Callable[..., Tab], site: Server, viewport: str, path: str, name: str, charts: int
) -> None:
    """Each kind of page: 200, a title, a description, the report link, no sideways scrolling
    of the page itself (wide tables scroll in their own box), charts as inline SVG with a title,
    and nothing fetched from another host."""
    if "{team}" in path:
        team = site.json("/api/v1/races/cup/2016/36")["results"][0]["team"]
        path = path.format(team=team["slug"])
    tab = new_tab(viewport)
    page = tab.page
    response = tab.open(path)
    assert response.headers["content-type"].startswith("text/html")
    tab.shot(f"page-{name}")

    title = page.title().strip()
    assert title and "pitboard" in title, title
    description = page.locator("meta[name=description]").get_attribute("content")
    assert description and description.strip(), path
    assert page.locator("h1").first.inner_text().strip()
    report = page.locator("a.report-link")
    assert report.count() == 1 and report.is_visible()
    assert report.get_attribute("href") == "/report/?page=" + quote(urlsplit(path).path)

    tab.assert_fits()
    tab.assert_accessible()
    tab.assert_charts_legible()

    svgs = page.locator("main svg")
    assert svgs.count() == charts, path
    for i in range(charts):
        svg = svgs.nth(i)
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").first.text_content().strip()
        assert svg.is_visible()
    assert page.locator("main img[src$='.svg'], main object, main iframe").count() == 0

    assert tab.requests and tab.requests[0] == site.base + path
    assert tab.foreign_requests() == [], "requests to another host"
    assert tab.failures == []


def test_the_2016_cup_champion_is_the_standings_leader(
    new_tab: Callable[..., Tab], site: Server
) -> None:
    from playwright.sync_api import expect

    standings = site.json("/api/v1/series/cup/2016/standings")["standings"]
    assert standings[0]["driver"] == "Jimmie Johnson"
    tab = new_tab("desktop")
    page = tab.page

    tab.open("/series/cup/2016/")
    first = page.locator("#driver-standings tbody tr").first
    expect(first.locator("td").first).to_have_text("1")
    expect(first.locator("td").nth(1).get_by_role("link")).to_have_text("Jimmie Johnson")
    expect(first.locator("td").nth(2)).to_have_text(str(standings[0]["points"]))
    expect(page.locator("#driver-standings tbody tr")).to_have_count(len(standings))
    expect(page.locator("p.lede")).to_contain_text("Champion: Jimmie Johnson")
    tab.shot("champion-season")

    # The standings as they stood after an earlier round: pick it, press Show.
    earlier = site.json("/api/v1/series/cup/2016/standings?after_round=10")["standings"]
    page.locator("select#after").select_option("10")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/series/cup/2016/\?after=10#standings$"))
    expect(page.locator("select#after")).to_have_value("10")
    first = page.locator("#driver-standings tbody tr").first
    expect(first.locator("td").nth(1)).to_have_text(earlier[0]["driver"])
    expect(first.locator("td").nth(2)).to_have_text(str(earlier[0]["points"]))
    expect(page.locator("p.lede")).to_contain_text(f"Leader after round 10: {earlier[0]['driver']}")
    tab.assert_fits()
    tab.shot("standings-after-round")

    tab.open("/series/cup/")
    row = page.locator("table.seasons tbody tr").filter(
        has=page.get_by_role("link", name="2016", exact=True)
    )
    expect(row).to_have_count(1)
    champion = row.locator("td").nth(2).get_by_role("link")
    expect(champion).to_have_text("Jimmie Johnson")
    expect(champion).to_have_attribute("href", "/drivers/jimmie-johnson/")
    tab.shot("champion-series")


def test_report_an_error_is_stored(
    new_tab: Callable[..., Tab], site: Server, nascar_db: Pitboard
) -> None:
    from playwright.sync_api import expect

    tab = new_tab("desktop")
    page = tab.page
    tab.open(PETTY)
    page.locator("a.report-link").click()
    expect(page).to_have_url(re.compile(r"/report/\?page=/drivers/richard-petty/$"))
    expect(page.locator("h1")).to_have_text("Report an error")
    expect(page.locator("p.lede a")).to_have_attribute("href", PETTY)
    tab.shot("report-form")

    # Only spaces: the browser's "required" lets it through, the server refuses it.
    page.locator("#report-message").fill("   ")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".errorlist")).to_have_text("say what is wrong on the page")
    tab.shot("report-refused")
    tab.failures.clear()  # that answer is a 400, on purpose

    message = f"browser test {uuid.uuid4().hex}: the 1967 win count looks wrong"
    page.locator("#report-message").fill(message)
    page.locator("#report-contact").fill("tester@example.org")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("#report-filed")).to_be_visible()
    assert _path(page) == f"/report/thanks/?page={quote(PETTY)}"
    expect(page.locator("#report-filed a")).to_have_attribute("href", PETTY)
    tab.shot("report-thanks")

    rows = query(nascar_db.database, "SELECT page, message, contact FROM records_errorreport")
    assert (PETTY, message, "tester@example.org") in rows
    assert not any(m.strip() == "" for _, m, _ in rows), "the empty report was stored"
    assert tab.foreign_requests() == []
    assert tab.failures == []


def test_search_and_driver_page_work_without_javascript(
    new_tab: Callable[..., Tab], nascar_db: Pitboard
) -> None:
    from playwright.sync_api import expect

    wins = nascar_db.json("driver", "Richard Petty")["total"]["wins"]
    tab = new_tab("phone", java_script_enabled=False)
    page = tab.page
    tab.open("/")
    box = page.locator("#site-q")
    box.fill("Richard Petty")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Richard\+Petty$"))
    tab.shot("nojs-search")
    page.locator("ul.results.drivers").get_by_role("link", name="Richard Petty", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(PETTY) + "$"))
    expect(page.locator("#career-figures dd[data-stat=wins]")).to_have_text(str(wins))
    expect(page.locator("main svg[role=img]")).to_have_count(2)
    tab.shot("nojs-driver")
    assert tab.failures == []
