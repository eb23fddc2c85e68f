"""The news desk on fictional stories: importing text, Markdown and HTML (all or none, never
twice, the text as given kept beside the cleaned one), linking what they mention, and the news
pages and API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Pitboard, dump_tables, query
from tests.test_careers import PLACES as CAREERS
from tests.test_news_core import STORY

MARKDOWN = """# Morgan Quill on the Harrow Bowl

Morgan Quill, who raced the **Harrow Thunder Series** before her daughter, watched from
[turn two](https://example.org/turn-two) as Avery Quill won again.
"""

HTML = """<!doctype html><html><head><title>Quill again | Harrow Herald</title>
<meta name="author" content="Sam Ledger"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Quill again at Harrow Bowl</h1>
<p>Avery Quill won her third Harrow Thunder Series race of the year at Harrow Bowl on Saturday
night, leading from the drop of the green flag to the checkered flag in front of a big crowd.</p>
<p>Quill now leads the points by forty over the rest of the field after eight of the twelve
rounds, and her crew chief said the car has been fast on every kind of night this season.</p>
</article><footer>Copyright Harrow Herald. All rights reserved.</footer></body></html>
"""


@pytest.fixture
def stories(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "stories"
    folder.mkdir()
    files = {"story.txt": STORY, "story.md": MARKDOWN, "story.html": HTML}
    for name, text in files.items():
        (folder / name).write_text(text)
    (folder / "careers.toml").write_text(CAREERS)
    return {name: folder / name for name in [*files, "careers.toml"]}


def test_articles_import_all_or_none_and_never_twice(
    pitboard: Pitboard, stories: dict[str, Path], tmp_path: Path
) -> None:
    pitboard.run("init", "--careers", str(stories["careers.toml"]), check=True)
    files = [str(stories[n]) for n in ("story.txt", "story.md", "story.html")]
    done = pitboard.run("news", "import", *files, "--published", "2031-05-02", check=True)
    assert "quill-takes-harrow-opener: 4 mentions linked" in done.stderr, done.stderr
    listed = json.loads(pitboard.run("news", "list", "--format", "json", check=True).stdout)
    assert sorted(a["title"] for a in listed) == [
        "Morgan Quill on the Harrow Bowl",
        "Quill Takes Harrow Opener",
        "Quill again at Harrow Bowl",
    ]
    assert {a["published"] for a in listed} == {"2031-05-02"}

    # The text as given is kept whole beside the body.
    kept = query(pitboard.database, "SELECT original, body, author FROM news_article")
    assert (STORY, "Sam Ledger") in [(o, a) for o, _, a in kept]
    html_body = next(b for o, b, _ in kept if o == HTML)
    assert "Home" not in html_body and "All rights reserved" not in html_body
    assert "leads the points by forty" in html_body
    md_body = next(b for o, b, _ in kept if o == MARKDOWN)
    assert "**" not in md_body and "https://" not in md_body and "turn two" in md_body

    # Again: nothing imported, nothing changed.
    before = dump_tables(pitboard.database)
    again = pitboard.run("news", "import", *files, check=True)
    assert again.stderr.count("already imported as") == 3
    assert dump_tables(pitboard.database) == before

    # A file that is not text stops the whole import, naming it; nothing is written.
    good = tmp_path / "good.txt"
    good.write_text("Avery Quill won at Harrow Bowl once more, her fourth win of the year.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Quill gagn\xe9".encode("latin-1"))
    failed = pitboard.run("news", "import", str(good), str(bad))
    assert failed.returncode == 1
    assert f"nothing imported: {bad}: not UTF-8 text (byte 10)" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert dump_tables(pitboard.database) == before
    odd = pitboard.run("news", "import", str(good), "--published", "May 2031")
    assert odd.returncode == 2 and "not a date (YYYY-MM-DD)" in odd.stderr
    missing = pitboard.run("news", "show", "no-such-story")
    assert missing.returncode == 2 and "no article 'no-such-story'" in missing.stderr


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def test_the_news_pages_link_what_a_story_mentions(
    transactional_db: None, client: Client, static_root: None, stories: dict[str, Path]
) -> None:
    from pitboard.careers.starter import load
    from pitboard.news.services import import_files
    from pitboard.records.models import Person

    load(stories["careers.toml"])
    import_files([stories["story.txt"], stories["story.md"]])
    morgan = Person.objects.get(name="Morgan Quill").pk

    listing = client.get("/news/").content.decode()
    assert '<a href="/news/quill-takes-harrow-opener/">Quill Takes Harrow Opener</a>' in listing
    page = client.get("/news/quill-takes-harrow-opener/").content.decode()
    for link in (
        'href="/drivers/avery-quill/" class="mention driver"',
        'href="/tracks/harrow-bowl/" class="mention track"',
        'href="/series/harrow-weekly/" class="mention series"',
    ):
        assert link in page, link
    assert "By Sam Ledger" in page and "undated" in page
    assert "a note about the author" in page and "repeats an earlier paragraph" in page
    other = client.get("/news/morgan-quill-on-the-harrow-bowl/").content.decode()
    assert f'href="/people/{morgan}/" class="mention person"' in other

    doc = client.get("/api/v1/news/quill-takes-harrow-opener").json()
    assert doc["author"] == "Sam Ledger" and doc["format"] == "text"
    [first] = [m for m in doc["mentions"] if m["start"] == 0]
    assert first["text"] == "Avery Quill" and first["entity"]["kind"] == "driver"
    assert doc["body"][first["start"] : first["end"]] == "Avery Quill"
    assert [r["kind"] for r in doc["removed"]][:2] == ["chrome", "repeat"]
    assert client.get("/api/v1/news/nothing-here").status_code == 404
    assert client.get("/news/nothing-here/").status_code == 404
    listed = client.get("/api/v1/news").json()
    assert (listed["count"], listed["pages"], len(listed["articles"])) == (2, 1, 2)
    # A page at a time, newest first (the undated last), each article on one page only.
    first, second = (client.get(f"/api/v1/news?per_page=1&page={n}").json() for n in (1, 2))
    assert first["pages"] == 2 and first["articles"] != second["articles"]
    assert client.get("/api/v1/news?per_page=1&page=9").json()["articles"] == []

    # The driver's, the parent's, the track's and the series' pages list the stories.
    for url in (
        "/drivers/avery-quill/",
        f"/people/{morgan}/",
        "/tracks/harrow-bowl/",
        "/series/harrow-weekly/",
    ):
        said = client.get(url).content.decode()
        assert 'id="news">In the news' in said, url
    driver = client.get("/drivers/avery-quill/").content.decode()
    assert '<a href="/news/quill-takes-harrow-opener/">' in driver


def test_an_editor_links_a_proposed_name_in_the_admin(
    transactional_db: None, admin_client: Client, static_root: None, stories: dict[str, Path]
) -> None:
    from pitboard.careers.starter import load
    from pitboard.news.models import Mention
    from pitboard.news.services import import_files
    from pitboard.records.models import Track

    load(stories["careers.toml"])
    text = stories["story.txt"].with_name("oval.txt")
    text.write_text("Fans at the Harrow County Oval cheered Avery Quill home.")
    [article] = import_files([text]).articles
    proposed = Mention.objects.get(article=article, status="proposed")
    assert proposed.text == "Harrow County Oval" and proposed.track_id is None
    page = admin_client.get(f"/admin/news/mention/{proposed.pk}/change/")
    assert page.status_code == 200
    bowl = Track.objects.get(slug="harrow-bowl")
    form = {
        "article": article.pk, "kind": "track", "status": "proposed", "confidence": "0",
        "person": "", "track": bowl.pk, "team": "", "series": "",
    }  # fmt: skip
    done = admin_client.post(f"/admin/news/mention/{proposed.pk}/change/", form)
    assert done.status_code == 302, done.content.decode()[:2000]
    proposed.refresh_from_db()
    assert (proposed.status, proposed.track_id, proposed.confidence) == ("linked", bowl.pk, 1.0)
    assert (proposed.kind, proposed.method) == ("track", "editor")
    assert admin_client.get(f"/admin/news/article/{article.pk}/change/").status_code == 200
    page = admin_client.get(f"/news/{article.slug}/").content.decode()
    assert 'href="/tracks/harrow-bowl/" class="mention track"' in page
    # Linking the article again keeps what the editor linked.
    from pitboard.news.services import relink

    assert relink([article.slug]) == 1
    assert Mention.objects.get(pk=proposed.pk).track_id == bowl.pk
    from pitboard.records.services.careers import LookupError_

    with pytest.raises(LookupError_, match="no article 'no-such-story'"):
        relink(["no-such-story"])


def test_an_article_imports_from_its_web_address(pitboard: Pitboard, tmp_path: Path) -> None:
    import http.server
    import threading
    from functools import partial

    site = tmp_path / "site"
    site.mkdir()
    (site / "story.html").write_text(HTML)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        done = pitboard.run("news", "import", f"{base}/story.html", check=True)
        assert "quill-again-at-harrow-bowl:" in done.stderr
        [(url, fmt)] = query(pitboard.database, "SELECT url, format FROM news_article")
        assert (url, fmt) == (f"{base}/story.html", "html")
        before = dump_tables(pitboard.database)
        gone = pitboard.run("news", "import", f"{base}/gone.html")
        assert gone.returncode == 1
        assert f"nothing imported: {base}/gone.html: the site answered 404" in gone.stderr
    finally:
        server.shutdown()
        server.server_close()
    closed = pitboard.run("news", "import", f"{base}/story.html")
    assert closed.returncode == 1 and "could not fetch it" in closed.stderr
    assert "Traceback" not in closed.stderr
    assert dump_tables(pitboard.database) == before
