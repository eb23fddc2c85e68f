"""Race night (issue 15, parts 2 to 4): officials publish, correct and revert results and
penalties through the write API with tokens and through the site's form, with real accounts on
the real server, on the backend under test; the audit trail says who did what. Fictional
series and people (docs/examples/results-example.csv, the starter data)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, Pitboard, dump_tables, query
from tests.server import Server, serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"
RACE = "/api/v1/series/thunder-stock/2025/races/{}/results"
ROUND_3 = [
    {"finish": 1, "car": "8", "driver": "Jordan Marsh", "laps": 40, "points": 50},
    {"finish": 2, "car": "08", "driver": "Avery Quill", "laps": 40, "points": 46},
    {"finish": 3, "car": "17x", "driver": "Riley Stroud", "laps": 38, "status": "accident"},
]
LIMIT = 20  # the server's writes a minute per account in these tests (each of two workers)


@pytest.fixture
def league(pitboard: Pitboard) -> Pitboard:
    pitboard.run("init", "--starter", check=True)
    pitboard.run("import", "results", str(EXAMPLE), check=True)  # thunder-stock, 2 rounds
    return pitboard


@pytest.fixture
def officials(league: Pitboard) -> dict[str, str]:
    """Two officials, each with a token: quinn of thunder-stock, vic of the weekly series."""
    league.json("users", "add", "quinn", "--role", "official", "--series", "thunder-stock")
    league.json("users", "add", "vic", "--role", "official", "--series", "nascar-weekly")
    return {
        name: league.json("tokens", "create", name, "--expires", "30", "--format", "json")["token"]
        for name in ("quinn", "vic")
    }


@pytest.fixture
def site(league: Pitboard, tmp_path: Path) -> Iterator[Server]:
    with serving(league.database, tmp_path, env={"PITBOARD_WRITES_PER_MINUTE": str(LIMIT)}) as live:
        yield live


def call(
    site: Server, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, Any, dict[str, str]]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(site.base + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


def public(site: Server) -> dict[str, Any]:
    """What a reader sees of the season: the standings and every race's results."""
    races = {}
    for rnd in (1, 2, 3):
        status, _, body = site.get(f"/api/v1/races/thunder-stock/2025/{rnd}")
        races[rnd] = json.loads(body)["results"] if status == 200 else status
    return {"standings": site.json("/api/v1/series/thunder-stock/2025/standings"), **races}


def test_an_official_publishes_corrects_and_reverts_through_the_api(
    league: Pitboard, officials: dict[str, str], site: Server
) -> None:
    quinn, vic = officials["quinn"], officials["vic"]
    before = public(site)
    assert before[3] == 404

    status, body, headers = call(site, "PUT", RACE.format(3), ROUND_3)
    assert status == 401 and "Bearer" in headers["WWW-Authenticate"]
    assert call(site, "PUT", RACE.format(3), ROUND_3, "pb_not-a-token")[0] == 401
    status, body, _ = call(site, "PUT", RACE.format(3), ROUND_3, vic)
    assert status == 403 and "vic may not enter results of thunder-stock" in body["detail"]

    # Bad rows: one message each, and nothing written.
    tables = dump_tables(league.database)
    bad = [dict(ROUND_3[0], finish="first", track="Lakeview Oval"), ROUND_3[1]]
    bad.append(dict(ROUND_3[2], season=2024))
    status, body, _ = call(site, "PUT", RACE.format(3), bad, quinn)
    assert status == 422 and body["detail"].startswith("nothing written")
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(1, "finish"), (3, "season")]
    status, body, _ = call(site, "PUT", RACE.format(3), [{"finish": 1, "driver": "X"}], quinn)
    assert status == 422 and "round 3 is a new race" in body["detail"]  # no track to hold it
    assert dump_tables(league.database) == tables

    # The race night, on the public pages at once.
    rows = [dict(r, track="Lakeview Oval") for r in ROUND_3[:1]] + ROUND_3[1:]
    status, body, _ = call(site, "PUT", RACE.format(3), rows, quinn)
    assert status == 200 and body["changed"] and body["inserted"] == 3, body
    first = body["run"]
    published = public(site)
    assert [r["driver"]["name"] for r in published[3]] == [r["driver"] for r in ROUND_3]
    assert published["standings"]["after_round"] == 3
    assert published["standings"] != before["standings"]

    # The same rows again change nothing, not even the log.
    tables = dump_tables(league.database)
    runs = query(league.database, "SELECT count(*) FROM records_importrun")
    status, body, _ = call(site, "PUT", RACE.format(3), rows, quinn)
    assert status == 200 and not body["changed"] and body["run"] is None
    assert body["unchanged"] == 3
    assert dump_tables(league.database) == tables
    assert query(league.database, "SELECT count(*) FROM records_importrun") == runs

    # A correction needs a reason.
    swapped = [dict(ROUND_3[0], finish=2, points=46), dict(ROUND_3[1], finish=1, points=50)]
    swapped.append(ROUND_3[2])
    status, body, _ = call(site, "PUT", RACE.format(3), swapped, quinn)
    assert status == 422 and "say why you correct them" in body["detail"]
    status, body, _ = call(site, "PUT", RACE.format(3) + "?reason=transponder+swap", swapped, quinn)
    assert status == 200 and body["updated"] == 2, body
    second = body["run"]
    corrected = public(site)
    assert corrected[3][0]["driver"]["name"] == "Avery Quill"

    # The audit trail: for token holders, who, through what and why, before and after.
    assert call(site, "GET", "/api/v1/changes")[0] == 401
    status, trail, _ = call(site, "GET", "/api/v1/changes?series=thunder-stock", token=vic)
    assert status == 200
    assert [(c["id"], c["who"], c["through"], c["reason"]) for c in trail[:2]] == [
        (second, "quinn", "api", "transponder swap"),
        (first, "quinn", "api", ""),
    ]
    assert trail[-1]["what"] == "results" and trail[-1]["who"] is None  # the CLI's import
    status, detail, _ = call(site, "GET", f"/api/v1/changes/{second}", token=quinn)
    moved = {c["driver"]: (c["before"]["finish"], c["after"]["finish"]) for c in detail["changes"]}
    assert moved == {"Jordan Marsh": (1, 2), "Avery Quill": (2, 1)}
    assert detail["given"] == swapped
    # The first entry's own values, though the correction has changed them since.
    status, detail, _ = call(site, "GET", f"/api/v1/changes/{first}", token=quinn)
    wrote = {
        c["driver"]: (c["before"], c["after"]["finish"])
        for c in detail["changes"]
        if c["table"] == "result"
    }
    assert wrote == {"Jordan Marsh": (None, 1), "Avery Quill": (None, 2), "Riley Stroud": (None, 3)}

    # Another series' race night, with a driver of this one, does not hold quinn's reverts.
    weekly = "/api/v1/series/nascar-weekly/2025/races/1/results"
    night = [{"finish": 1, "driver": "Jordan Marsh", "track": "Lakeview Oval"}]
    assert call(site, "PUT", weekly, night, vic)[0] == 200

    # Reverting: only quinn's series, the newest first; the standings follow exactly.
    status, body, _ = call(site, "POST", f"/api/v1/changes/{second}/revert", token=vic)
    assert status == 403
    status, body, _ = call(site, "POST", f"/api/v1/changes/{first}/revert", token=quinn)
    assert status == 409 and f"undo the newer runs first ({second})" in body["detail"]
    status, body, _ = call(
        site, "POST", f"/api/v1/changes/{second}/revert?reason=wrong+call", token=quinn
    )
    assert status == 200 and body["restored"] == 2, body
    assert public(site) == published
    status, body, _ = call(site, "POST", f"/api/v1/changes/{first}/revert", token=quinn)
    assert status == 200 and body["results_removed"] == 3
    assert public(site) == before
    status, trail, _ = call(site, "GET", "/api/v1/changes?series=thunder-stock", token=quinn)
    reverts = [(c["what"], c["reverts"], c["reason"]) for c in trail[:2]]
    assert reverts == [("revert", first, ""), ("revert", second, "wrong call")]

    # An entry states what officials say: a race from a results file keeps its other cars.
    one = [{"finish": 1, "driver": "Avery Quill", "laps": 50}]
    status, body, _ = call(site, "PUT", RACE.format(1) + "?reason=official+sheet", one, quinn)
    assert status == 200 and body["removed"] == 0, body
    assert len(public(site)[1]) == len(before[1])
    assert call(site, "POST", f"/api/v1/changes/{body['run']}/revert", token=quinn)[0] == 200
    assert public(site) == before

    # A revoked token stops working.
    [token_id] = [t["id"] for t in league.json("tokens", "list") if t["user"] == "vic"]
    league.run("tokens", "revoke", str(token_id), check=True)
    assert call(site, "GET", "/api/v1/changes", token=vic)[0] == 401


def test_renaming_a_race_is_a_change_of_its_series_shown_at_once(
    league: Pitboard, officials: dict[str, str], site: Server
) -> None:
    quinn = officials["quinn"]
    rows = [dict(r, track="Lakeview Oval") for r in ROUND_3]
    assert call(site, "PUT", RACE.format(3), rows, quinn)[0] == 200
    assert site.json("/api/v1/races/thunder-stock/2025/3")["name"] == ""  # read, so cached
    renamed = [dict(r, race_name="Harvest Moon 40") for r in rows]
    status, body, _ = call(site, "PUT", RACE.format(3) + "?reason=its+name", renamed, quinn)
    assert status == 200 and body["changed"], body
    assert site.json("/api/v1/races/thunder-stock/2025/3")["name"] == "Harvest Moon 40"
    status, change, _ = call(site, "GET", f"/api/v1/changes/{body['run']}", token=quinn)
    assert change["series"] == ["thunder-stock"]
    assert [c["after"]["name"] for c in change["changes"] if c["table"] == "race"] == [
        "Harvest Moon 40"
    ]
    assert call(site, "POST", f"/api/v1/changes/{body['run']}/revert", token=quinn)[0] == 200


def test_a_combination_round_is_entered_where_it_is_held(transactional_db: None) -> None:
    from pitboard.officials.entry import EntryError, publish
    from pitboard.officials.services import add_user
    from pitboard.records.models import (
        Championship,
        ChampionshipRace,
        Race,
        Season,
        Series,
        Track,
    )

    host = Series.objects.create(slug="valley-late-models", name="Valley Late Models")
    guest = Series.objects.create(slug="valley-tour", name="Valley Tour")
    track = Track.objects.create(slug="pine-oval", name="Pine Oval", name_key="pine oval")
    race = Race.objects.create(season=Season.objects.create(series=host, year=2025), round=4,
                               track=track)  # fmt: skip
    championship = Championship.objects.create(
        season=Season.objects.create(series=guest, year=2025), kind="driver"
    )
    ChampionshipRace.objects.create(championship=championship, race=race, round=2)
    add_user("tess", "official", ["valley-tour"])
    from django.contrib.auth import get_user_model

    tess = get_user_model().objects.get(username="tess")
    with pytest.raises(EntryError, match="is valley-late-models 2025 round 4, run with"):
        publish(tess, "valley-tour", 2025, 2, [{"finish": 1, "driver": "A B"}], channel="api")
    assert Race.objects.count() == 1


def test_penalties_move_the_standings_and_a_revert_takes_them_back(
    league: Pitboard, officials: dict[str, str], site: Server
) -> None:
    quinn = officials["quinn"]
    path = "/api/v1/series/thunder-stock/2025/races/2/penalties"
    before = public(site)
    penalty = {"driver": "avery-quill", "points": 25, "reason": "rear spoiler too high"}
    status, body, _ = call(site, "POST", path, penalty, quinn)
    assert status == 201 and body["driver"] == "Avery Quill" and body["points"] == 25
    assert call(site, "POST", path, penalty, quinn)[:2] == (200, body)  # recorded once
    points = {r["driver"]: r["points"] for r in public(site)["standings"]["standings"]}
    was = {r["driver"]: r["points"] for r in before["standings"]["standings"]}
    assert points == {**was, "Avery Quill": was["Avery Quill"] - 25}

    status, body, _ = call(site, "POST", path, {**penalty, "driver": "Nobody Atall"}, quinn)
    assert status == 422 and body["errors"][0]["column"] == "driver"
    status, body, _ = call(site, "POST", path, {**penalty, "points": 0}, quinn)
    assert status == 422 and body["errors"][0]["column"] == "points"
    other = "/api/v1/series/thunder-stock/2025/races/9/penalties"
    assert call(site, "POST", other, penalty, quinn)[0] == 404
    assert call(site, "POST", path, penalty, officials["vic"])[0] == 403

    penalized = public(site)

    # The appeal: the same penalty sent with its outcome updates it (deducted once, not twice).
    appeal = {**penalty, "appeal": "reduced", "points_after_appeal": 10, "fine": "2500.00"}
    status, body, _ = call(site, "POST", path, appeal, quinn)
    assert status == 200 and body["appeal"] == "reduced" and body["points_after_appeal"] == 10
    assert call(site, "POST", path, appeal, quinn)[0] == 200
    points = {r["driver"]: r["points"] for r in public(site)["standings"]["standings"]}
    assert points == {**was, "Avery Quill": was["Avery Quill"] - 10}

    done = league.run("changes", "revert", "999")
    assert done.returncode == 1 and "nothing reverted: no change 999" in done.stderr
    made, appealed = sorted(
        (c for c in league.json("changes", "list", "--format", "json") if c["what"] == "penalty"),
        key=lambda c: c["id"],
    )
    assert made["who"] == "quinn" and made["reason"] == "rear spoiler too high"
    assert appealed["reason"] == "appeal: reduced"
    # The penalty's own change waits for its appeal's to be reverted first.
    held = league.run("changes", "revert", str(made["id"]), "--reason", "entered twice")
    assert held.returncode == 1 and str(appealed["id"]) in held.stderr
    league.run("changes", "revert", str(appealed["id"]), "--reason", "appeal misread", check=True)
    assert public(site) == penalized
    league.run("changes", "revert", str(made["id"]), "--reason", "appeal won", check=True)
    assert public(site) == before


def test_the_write_api_is_rate_limited_and_described(
    league: Pitboard, officials: dict[str, str], site: Server
) -> None:
    schema = site.json("/api/v1/openapi.json")
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    put = schema["paths"]["/api/v1/series/{series}/{season}/races/{round}/results"]["put"]
    assert put["security"] == [{"TokenAuth": []}]
    assert {"401", "403", "422", "429"} <= set(put["responses"])
    answers: list[int] = []
    # Each of the server's two workers counts in its own memory (PITBOARD_CACHE_URL=locmem),
    # by the minute: calls that straddle a minute's end start a new count, so up to twice the
    # calls one minute allows may come before a 429.
    while 429 not in answers and len(answers) <= 4 * LIMIT:
        row = [{"finish": 1, "driver": "Avery Quill"}]
        answers.append(call(site, "PUT", RACE.format(1), row, officials["quinn"])[0])
    assert 429 in answers and LIMIT <= answers.index(429) <= 4 * LIMIT, answers
    # Another account is not held back.
    status, _, _ = call(site, "GET", "/api/v1/changes", token=officials["vic"])
    assert status == 200


def _signed_in(site: Server, name: str, password: str) -> urllib.request.OpenerDirector:
    """A browser-like client signed in through the admin's sign-in form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{site.base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    form = {"csrfmiddlewaretoken": token.group(1), "username": name, "password": password}
    opener.open(
        urllib.request.Request(
            f"{site.base}/admin/login/?next=/officials/entry/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{site.base}/admin/login/"},
        )
    )
    return opener


def _post_form(
    opener: urllib.request.OpenerDirector, site: Server, form: dict[str, str]
) -> tuple[int, str]:
    page = opener.open(f"{site.base}/officials/entry/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:500]
    request = urllib.request.Request(
        f"{site.base}/officials/entry/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **form}).encode(),
        headers={"Referer": f"{site.base}/officials/entry/"},
    )
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


PASTED = (
    "Pos\tCar\tDriver\tLaps\tStatus\tPts\n"
    "1\t8\tJordan Marsh\t40\trunning\t50\n"
    "2\t08\tAvery Quill\t40\trunning\t46\n"
)


def test_the_race_night_form_previews_then_publishes(
    league: Pitboard, tmp_path: Path, site: Server
) -> None:
    password = league.json(
        "users", "add", "quinn", "--role", "official", "--series", "thunder-stock"
    )["password"]
    status, _, page = site.get("/officials/entry/")
    assert status == 200 and b'name="username"' in page  # redirected to the sign-in
    quinn = _signed_in(site, "quinn", password)
    form = {"series": "thunder-stock", "season": "2025", "round": "3", "track": "Lakeview Oval"}

    # "Pos" is no column of the format: one message for the line, nothing written.
    tables = dump_tables(league.database)
    status, page = _post_form(quinn, site, {**form, "text": PASTED, "action": "publish"})
    assert status == 400 and "Nothing was published" in page
    header = "finish\tcar\tdriver\tlaps\tstatus\tpoints"
    text = PASTED.replace(PASTED.splitlines()[0], header).replace(
        "\t40\trunning\t46", "\tforty\trunning\t46"
    )
    status, page = _post_form(quinn, site, {**form, "text": text, "action": "preview"})
    assert status == 400 and "Line 3: column &#x27;laps&#x27;: not a whole number" in page
    text = text.replace("forty", "40")
    status, page = _post_form(quinn, site, {**form, "text": text, "action": "preview"})
    assert status == 200 and "Preview: not published yet" in page
    assert "writes 2 new results" in page and 'value="publish"' in page
    assert dump_tables(league.database) == tables

    status, page = _post_form(quinn, site, {**form, "text": text, "action": "publish"})
    assert status == 200 and "Published." in page
    results = site.json("/api/v1/races/thunder-stock/2025/3")["results"]
    assert [r["driver"]["name"] for r in results] == ["Jordan Marsh", "Avery Quill"]
    [change] = league.json("changes", "list", "--series", "thunder-stock", "--format", "json")[:1]
    assert (change["who"], change["through"], change["what"]) == ("quinn", "page", "entry")

    # The race page shows its history to officials of the series, to nobody else.
    race = quinn.open(f"{site.base}/races/thunder-stock/2025/3/").read().decode()
    assert "History" in race and "Correct this race" in race
    status, _, anonymous = site.get("/races/thunder-stock/2025/3/")
    assert status == 200 and b"Correct this race" not in anonymous
    status, page = _post_form(quinn, site, {**form, "series": "nascar-weekly", "text": text})
    assert status == 403 and "You do not enter results of nascar-weekly" in page

    # Penalties from the same page: recorded, then the appeal's outcome updates it.
    def points() -> dict[str, int]:
        table = site.json("/api/v1/series/thunder-stock/2025/standings")["standings"]
        return {r["driver"]: r["points"] for r in table}

    was = points()
    penalty = {**form, "action": "penalty", "driver": "avery-quill", "reason": "jumped a restart"}
    status, page = _post_form(quinn, site, {**penalty, "points": "ten", "fine": "lots"})
    assert status == 400 and "No penalty was recorded" in page
    assert "points: a whole number" in page and "fine: an amount" in page
    status, page = _post_form(quinn, site, {**penalty, "points": "12", "fine": "NaN"})
    assert status == 400 and "column &#x27;fine&#x27;: an amount from 0" in page
    status, page = _post_form(quinn, site, {**penalty, "points": "12", "fine": "$1,500"})
    assert status == 200 and "Penalty recorded" in page
    assert (
        'value="jumped a restart"' not in page.split('id="penalty-title"')[0]
    )  # not a correction's
    assert points() == {**was, "Avery Quill": was["Avery Quill"] - 12}
    appeal = {**penalty, "points": "12", "appeal": "reduced", "points_after_appeal": "4"}
    status, page = _post_form(quinn, site, appeal)
    assert status == 200 and "Penalty updated" in page and "appeal reduced to 4" in page
    assert points() == {**was, "Avery Quill": was["Avery Quill"] - 4}
    made = league.json("changes", "list", "--series", "thunder-stock", "--format", "json")
    assert [(c["what"], c["through"]) for c in made[:2]] == [("penalty", "page")] * 2


CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-artifacts" / "screenshots"


def test_the_race_night_form_at_phone_width(league: Pitboard, site: Server) -> None:
    """At the track, on a phone: sign in, type the order, fix the line the preview names,
    publish, see the race; the page never scrolls sideways and axe finds nothing to fix."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium) for the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package")
    from axe_playwright_python.sync_playwright import Axe

    password = league.json(
        "users", "add", "quinn", "--role", "official", "--series", "thunder-stock"
    )["password"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(
            base_url=site.base,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()

        def fits() -> None:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{page.url} is {width}px wide at 390px"
            found = Axe().run(page).response["violations"]
            assert not [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]

        page.goto("/officials/entry/")
        page.fill("#id_username", "quinn")
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url("**/officials/entry/")
        assert page.input_value("#entry-round") == "1"  # this year's first race: none held yet
        page.fill("#entry-season", "2025")
        page.fill("#entry-round", "3")
        page.fill("#entry-track", "Lakeview Oval")
        # Typed by hand, no header: finish, car, driver, start, laps, laps led, status, points.
        page.fill("#entry-text", "1,8,Jordan Marsh,2,40,22,,50\n2,08,Avery Quill,1,4O,18,,46\n")
        page.click("button[value=preview]")
        problems = page.locator("#entry-problems")
        assert "Line 2: column 'laps': not a whole number" in problems.inner_text()
        fits()
        page.screenshot(path=SHOTS / "phone-race-night-problem.png", full_page=True)
        page.fill("#entry-text", "1,8,Jordan Marsh,2,40,22,,50\n2,08,Avery Quill,1,40,18,,46\n")
        page.click("button[value=preview]")
        assert page.locator("#preview-title").is_visible()
        fits()
        page.screenshot(path=SHOTS / "phone-race-night-preview.png", full_page=True)
        page.click("button[value=publish]")
        assert "Published." in page.locator("[role=status]").inner_text()
        assert page.locator("text=See the race").count() == 1
        # A penalty for a driver of the race just published, from the same page.
        page.select_option("#penalty-driver", "avery-quill")
        page.fill("#penalty-points", "15")
        page.fill("#penalty-reason", "jumped the restart")
        page.click("button[value=penalty]")
        assert "Penalty recorded" in page.locator("#penalty-done").inner_text()
        fits()
        page.screenshot(path=SHOTS / "phone-race-night-penalty.png", full_page=True)
        page.goto("/races/thunder-stock/2025/3/")
        assert page.locator("table.results tbody tr").count() == 2
        assert page.locator("#history").is_visible()
        fits()
        page.screenshot(path=SHOTS / "phone-race-night-race.png", full_page=True)
        browser.close()
