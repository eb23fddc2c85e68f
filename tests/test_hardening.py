"""Odd input, errors and the security settings, on the real server over a fictional database.

The crawl asks every page (from the URLconf) and every API operation (from the OpenAPI
document) with odd values in each path and query parameter: no 500, every API error JSON with a
``detail``, every response with a Content-Security-Policy.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver

from tests.builders import DRIVERS, season_rows, write_folder
from tests.conftest import Pitboard, fresh_database, query
from tests.server import Server, serving

# A fictional driver with a name in Cyrillic (and a team named after him).
CYRILLIC = "Ефим Пустоцветов"
CYRILLIC_SLUG = "ефим-пустоцветов"

# Odd values, as they stand in a URL (percent-encoded where needed).
ODD = {
    "nul": "%00",
    "nul-inside": "avery%00quill",
    "huge": str(10**20),
    "negative": "-1",
    "zero": "0",
    "long": "x" * 3000,
    "very-long": "x" * 5000,
    "rtl": urllib.parse.quote("\u202eLakeview Oval"),
    "zero-width": urllib.parse.quote("avery\u200bquill"),
    "cyrillic": urllib.parse.quote("Пустоцветов"),
    "emoji": urllib.parse.quote("🏁"),
    "not-utf8": "%FF%FE",
    "quote": urllib.parse.quote("'\"<>;--"),
}
ODD_DAYS = ["0001-01-01", "9999-12-31", "2032-02-30", "-1", "now"]
# gunicorn answers a request line over this many bytes itself (414, its own page).
GUNICORN_LINE_LIMIT = 4094

# The query parameters each page reads; a new page gets a line here.
PAGE_QUERY = {
    "home": (),
    "search": ("q",),
    "drivers": ("q", "series", "era", "page"),
    "driver": ("page",),
    "teams": ("series", "era", "page"),
    "team": (),
    "makes": ("series", "era", "page"),
    "make": (),
    "tracks": ("surface", "length", "region", "country"),
    "track": (),
    "series-list": (),
    "series": (),
    "season": ("after", "rules"),
    "race": (),
    "records": ("series",),
    "report": ("page",),
    "report-thanks": ("page",),
    "person": (),
    "news": (),
    "article": (),
    "check-draft": (),
    "entry": ("series", "season", "round"),  # signed out: on to the sign-in page
    "downloads": (),
    "download": (),
}
# A value that finds something, for each path parameter.
GOOD = {
    "series": "cup",
    "year": "2032",
    "season": "2032",
    "rnd": "1",
    "round": "1",
    "pk": "1",
    "person_id": "1",
}


def good_slug(path: str) -> str:
    if "/tracks/" in path:
        return "lakeview-oval"
    if "/teams/" in path:
        return "quill-racing"
    if "/makes/" in path:
        return "ford"
    return "avery-quill"


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """The server on two fictional Cup seasons, one driver named in Cyrillic; no response
    cache, so that every request does its real work."""
    folder = tmp_path_factory.mktemp("odd")
    rows = season_rows(2031, 3) + season_rows(2032, 2, [*DRIVERS, CYRILLIC])
    write_folder(folder / "data", {"cup": rows})
    with fresh_database(folder) as url:
        cli = Pitboard(url, folder)
        cli.run("import", "nascar", "--source", str(folder / "data"), check=True)
        cli.run("db", "refresh-standings", check=True)
        env = {"PITBOARD_CACHE_URL": "none", "PITBOARD_DOWNLOADS_DIR": str(folder)}
        with serving(url, folder, env) as live:
            yield live, url


def page_routes() -> list[tuple[str, str, list[str]]]:
    """(name, route, path parameter names) of every page in the URLconf, admin and API aside."""
    from pitboard.urls import urlpatterns

    found = []
    for entry in urlpatterns:
        if isinstance(entry, URLResolver):
            continue  # the admin and the API (crawled from its OpenAPI document)
        assert isinstance(entry, URLPattern)
        route = str(entry.pattern)
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        found.append((str(entry.name), "/" + route, params))
    return found


def page_requests() -> list[str]:
    paths = []
    routes = page_routes()
    assert {name for name, _, _ in routes} == set(PAGE_QUERY), "update PAGE_QUERY"
    for name, route, params in routes:
        good = {p: GOOD.get(p, good_slug(route)) for p in params}
        paths.append(fill(route, good))
        for param in params:
            paths += [fill(route, {**good, param: odd}) for odd in ODD.values()]
        for param in PAGE_QUERY[name]:
            paths += [f"{fill(route, good)}?{param}={odd}" for odd in ODD.values()]
    return paths


def fill(route: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def api_requests(spec: dict) -> list[str]:
    paths = []
    for template, operations in spec["paths"].items():
        if "get" not in operations:
            continue  # a POST: test_odd_drafts_get_no_server_error
        parameters = operations["get"].get("parameters", [])
        in_path = [p["name"] for p in parameters if p["in"] == "path"]
        in_query = [p["name"] for p in parameters if p["in"] == "query"]
        required = {p["name"]: "quill" for p in parameters if p["in"] == "query" and p["required"]}
        good = {p: GOOD.get(p, good_slug(template)) for p in in_path}
        paths.append(api_url(template, good, required))
        for param in in_path:
            paths += [api_url(template, {**good, param: odd}, required) for odd in ODD.values()]
        for param in in_query:
            paths += [api_url(template, good, {**required, param: odd}) for odd in ODD.values()]
    return paths


def api_url(template: str, values: dict[str, str], query: dict[str, str]) -> str:
    path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
    joined = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{path}?{joined}" if joined else path


def problems(server: Server, path: str) -> list[str]:
    status, headers, body = server.get(path)
    where = f"{status} {path[:120]}"
    if len(f"GET {path} HTTP/1.1") > GUNICORN_LINE_LIMIT:
        return [] if status in (400, 414) else [f"{where}: not refused by gunicorn"]
    found = []
    if status >= 500:
        found.append(f"{where}: server error {body[:200]!r}")
    if "Content-Security-Policy" not in headers:
        found.append(f"{where}: no Content-Security-Policy")
    if path.startswith("/api/") and status >= 400:
        try:
            detail = json.loads(body)["detail"]
        except (ValueError, KeyError, TypeError):
            detail = None
        if not isinstance(detail, str) or not detail:
            found.append(f"{where}: not a JSON error with a detail: {body[:200]!r}")
    return found


def test_no_odd_input_gets_a_server_error(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    spec = server.json("/api/v1/openapi.json")
    paths = page_requests() + api_requests(spec)
    paths += ["/api/v1/no-such-operation", "/api/v1/drivers/avery-quill/career/extra"]
    assert len(paths) > 500
    with ThreadPoolExecutor(8) as pool:
        found = [p for batch in pool.map(lambda p: problems(server, p), paths) for p in batch]
    assert not found, f"{len(found)} of {len(paths)} requests:\n" + "\n".join(found[:30])
    assert "Traceback" not in server.log_text()


def test_odd_drafts_get_no_server_error(odd_site: tuple[Server, str]) -> None:
    """The draft checker (POST, JSON) answers odd texts, days and formats with 200 or a JSON
    422, never a server error (fewer requests than its limit of 20 a minute)."""
    server, _ = odd_site
    texts = ["\u202eLakeview Oval won", "avery\u200bquill was 3rd", "🏁 P1", "x" * 5000]
    texts += ["'\"<>;--", "Avery Quill won at Lakeview Oval in 2032, leading 4,000,000 laps."]
    bodies: list[dict[str, object]] = [{"text": t, "published": "2033-01-01"} for t in texts]
    bodies += [{"text": "Avery Quill was 2nd", "published": d} for d in ODD_DAYS]
    bodies += [{"text": "a", "format": "pdf"}, {"text": "x" * 50_001}, {"text": "a\u0000b"}]
    bodies += [{"text": 7}, {}]
    assert len(bodies) < 20
    for body in bodies:
        request = urllib.request.Request(
            f"{server.base}/api/v1/news/check",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, answer = response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, json.loads(exc.read())
        assert status in (200, 422), (body, status, answer)
        assert status == 200 or isinstance(answer["detail"], str)
    assert "Traceback" not in server.log_text()


def test_huge_page_numbers_are_empty_pages(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    listing = server.json(f"/api/v1/drivers?page={10**20}")
    assert listing["drivers"] == [] and listing["count"] == server.json("/api/v1/drivers")["count"]
    results = server.json(f"/api/v1/drivers/avery-quill/results?page={10**20}")
    assert results["items"] == [] and results["count"] == 5
    assert server.get(f"/drivers/?page={10**20}")[0] == 200


def test_nul_is_refused_with_400_on_pages_and_422_in_the_api(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    status, _, body = server.get("/api/v1/drivers/avery%00quill")
    assert status == 422 and json.loads(body) == {
        "detail": "invalid parameters: path: holds a NUL character",
        "errors": [{"where": "path", "problem": "holds a NUL character"}],
    }
    assert server.get("/search/?q=a%00b")[0] == 400


def test_api_errors_django_answers_itself_are_json(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    status, _, body = server.get("/api/v1/nowhere")
    assert status == 404 and json.loads(body) == {"detail": "no API operation at this path"}
    status, _, body = server.post("/api/v1/drivers", {})
    assert status in (403, 405) and "detail" in json.loads(body)


def test_a_driver_named_in_cyrillic_has_working_pages(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    found = server.json("/api/v1/search?q=" + urllib.parse.quote("Пустоцветов"))["drivers"]
    assert found == [{"name": CYRILLIC, "slug": CYRILLIC_SLUG, "match": "contains"}]
    slug = urllib.parse.quote(CYRILLIC_SLUG)
    status, _, body = server.get(f"/drivers/{slug}/")
    assert status == 200 and CYRILLIC in body.decode()
    assert server.json(f"/api/v1/drivers/{slug}")["name"] == CYRILLIC
    status, _, body = server.get(f"/teams/{urllib.parse.quote('пустоцветов-racing')}/")
    assert status == 200 and "Пустоцветов Racing" in body.decode()


def test_a_forged_host_is_refused(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    status, _, body = server.get("/drivers/", {"Host": "evil.example"})
    assert status == 400 and b"evil.example" not in body
    status, _, body = server.get("/api/v1/drivers", {"Host": "evil.example"})
    assert status == 400 and "detail" in json.loads(body)
    port = server.base.rsplit(":", 1)[1]
    status, _, body = server.get("/drivers/", {"Host": f"localhost:{port}"})
    assert status == 200
    assert f'<link rel="canonical" href="http://localhost:{port}/drivers/">' in body.decode()
    log = server.log_text()
    assert "Invalid HTTP_HOST header: 'evil.example'" in log
    assert "Traceback" not in log  # a refusal is one line, not a traceback


def test_every_response_has_a_content_security_policy(odd_site: tuple[Server, str]) -> None:
    server, _ = odd_site
    policies = {
        path: server.get(path)[1]["Content-Security-Policy"]
        for path in ("/", "/api/v1/drivers", "/api/v1/docs", "/static/pitboard/site.css")
    }
    assert "script-src 'none'" in policies["/"]
    assert "script-src 'self'" in policies["/api/v1/docs"]
    assert policies["/api/v1/drivers"] == "default-src 'none'; frame-ancestors 'none'"
    assert "script-src 'none'" in policies["/static/pitboard/site.css"]


def post_report(server: Server, message: str) -> tuple[int, str]:
    """The report form as a browser sends it: the form's CSRF token and its cookie."""
    with urllib.request.urlopen(server.base + "/report/?page=/drivers/") as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "page": "/drivers/", "message": message}
    ).encode()
    request = urllib.request.Request(
        server.base + "/report/", data=data, headers={"Cookie": cookie}, method="POST"
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_report_form_is_rate_limited(odd_site: tuple[Server, str]) -> None:
    server, url = odd_site
    # The limit counts per minute: start early in one, so that all the posts fall in it.
    if (left := 60 - time.time() % 60) < 15:
        time.sleep(left + 0.5)
    status, body = post_report(server, "The 2032 round 1\x00 winner is wrong.")
    assert status == 200 and 'id="report-filed"' in body
    answers = [post_report(server, f"Report number {n}.") for n in range(10)]
    # Two workers, each counting 5 a minute in its own memory: at most 10 of the 11 get in.
    limited = [body for status, body in answers if status == 429]
    assert limited and "Too many reports" in limited[0]
    stored = query(url, "SELECT message FROM records_errorreport")
    assert len(stored) <= 10
    assert ("The 2032 round 1 winner is wrong.",) in stored


def test_server_errors_are_logged_with_their_traceback(tmp_path: Path) -> None:
    """A database that lost a table: the page answers 500, the API a JSON 500, and the server's
    log holds the traceback."""
    write_folder(tmp_path / "data", {"cup": season_rows(2031, 3)})
    with fresh_database(tmp_path) as url:
        cli = Pitboard(url, tmp_path)
        cli.run("import", "nascar", "--source", str(tmp_path / "data"), check=True)
        with serving(url, tmp_path, {"PITBOARD_CACHE_URL": "none"}) as server:
            assert server.get("/tracks/lakeview-oval/")[0] == 200
            query_drop(url, "DROP TABLE records_trackname")
            status, _, _ = server.get("/tracks/lakeview-oval/")
            assert status == 500
            status, _, body = server.get("/api/v1/tracks/lakeview-oval")
            assert status == 500 and json.loads(body) == {"detail": "internal server error"}
            time.sleep(0.5)  # the workers' last lines reach the file
            log = server.log_text()
    assert "ERROR django.request: Internal Server Error: /tracks/lakeview-oval/" in log
    assert "ERROR django.request: Internal Server Error: /api/v1/tracks/lakeview-oval" in log
    assert "Traceback (most recent call last)" in log and "records_trackname" in log


def query_drop(url: str, sql: str) -> None:
    """One statement that changes the schema, straight on the database."""
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url[len("sqlite:///") :]) as conn:
            conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql + " CASCADE")


def secret_key(cwd: Path, env: dict[str, str]) -> str:
    """SECRET_KEY as pitboard's settings make it, in a new process."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PITBOARD_SECRET_KEY")} | {
        "DJANGO_SETTINGS_MODULE": "pitboard.settings",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_secret_key_is_generated_and_kept(database_url: str, tmp_path: Path) -> None:
    env = {"PITBOARD_DATABASE_URL": database_url}
    first = secret_key(tmp_path, env)
    kept = tmp_path / "pitboard.secret-key"  # beside the SQLite file, or in the working folder
    assert kept.read_text().strip() == first and len(first) >= 50
    assert stat.S_IMODE(kept.stat().st_mode) & 0o077 == 0, "readable by others"
    assert secret_key(tmp_path, env) == first
    assert secret_key(tmp_path, env) == first


def test_a_secret_key_from_the_environment_is_not_written(tmp_path: Path) -> None:
    env = {"PITBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    assert secret_key(tmp_path, {**env, "PITBOARD_SECRET_KEY": "given-" * 10}) == "given-" * 10
    assert list(tmp_path.iterdir()) == []
    elsewhere = tmp_path / "keys" / "site.key"
    elsewhere.parent.mkdir()
    key = secret_key(tmp_path, {**env, "PITBOARD_SECRET_KEY_FILE": str(elsewhere)})
    assert elsewhere.read_text().strip() == key


def test_a_key_that_cannot_be_kept_stops_with_a_reason(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "site.key"
    with pytest.raises(subprocess.CalledProcessError) as failed:
        secret_key(tmp_path, {"PITBOARD_SECRET_KEY_FILE": str(missing)})
    assert "set PITBOARD_SECRET_KEY" in failed.value.stderr
