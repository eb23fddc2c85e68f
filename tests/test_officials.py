"""Accounts and roles (issue 15, part 1): `pitboard users add|list` with real accounts on the
backend under test, what a role allows, and sign-ins throttled on a real server (django-axes).
Fictional series and people."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, Pitboard, dump_tables
from tests.server import Server, serving

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


@pytest.fixture
def league(pitboard: Pitboard) -> Pitboard:
    pitboard.run("init", "--starter", check=True)
    pitboard.run("import", "results", str(EXAMPLE), check=True)  # the thunder-stock series
    return pitboard


def test_accounts_get_roles_and_odd_input_changes_nothing(league: Pitboard) -> None:
    added = league.json("users", "add", "quinn", "--role", "official", "--series", "thunder-stock")
    assert added["series"] == ["thunder-stock"] and len(added["password"]) >= 12
    shown = league.run("users", "add", "ed", "--role", "editor", check=True)
    assert "account ed added as editor; its password (shown once)" in shown.stderr
    assert len(shown.stdout.strip()) >= 12
    again = league.json("users", "add", "quinn", "--role", "admin")
    assert again["password"] is None  # an account that exists keeps its password

    before = dump_tables(league.database)
    for args, why in (
        (("nobody", "--role", "official"), "an official needs --series"),
        (("nobody", "--role", "official", "--series", "nope"), "no series nope (there are:"),
        (("nobody", "--role", "editor", "--series", "thunder-stock"), "only an official has"),
        (("two words", "--role", "editor"), "is not an account name"),
    ):
        done = league.run("users", "add", *args)
        assert done.returncode == 1 and "no account changed: " in done.stderr
        assert why in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert dump_tables(league.database) == before
    listed = {u["name"]: u["roles"] for u in league.json("users", "list")}
    assert listed == {"ed": ["editor"], "quinn": ["admin", "official of thunder-stock"]}


def test_an_official_may_enter_only_their_series(transactional_db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    from pitboard.officials.services import add_user, may_enter
    from pitboard.records.models import Series

    Series.objects.create(slug="harrow-weekly", name="Harrow Weekly Series")
    Series.objects.create(slug="ohio-thunder", name="Ohio Thunder Series")
    add_user("quinn", "official", ["harrow-weekly"])
    add_user("ed", "editor")
    add_user("boss", "admin")
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    assert may_enter(users["quinn"], "harrow-weekly")
    assert not may_enter(users["quinn"], "ohio-thunder")
    assert not may_enter(users["ed"], "harrow-weekly")
    assert may_enter(users["boss"], "ohio-thunder")
    assert not may_enter(AnonymousUser(), "harrow-weekly")
    users["quinn"].is_active = False
    assert not may_enter(users["quinn"], "harrow-weekly")


def _sign_in(site: Server, name: str, password: str) -> int:
    """The status of a sign-in to the admin through its form (with its CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
    )  # fmt: skip
    page = opener.open(f"{site.base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:300]
    form = {"csrfmiddlewaretoken": token.group(1), "username": name, "password": password}
    request = urllib.request.Request(
        f"{site.base}/admin/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{site.base}/admin/login/"},
    )
    try:
        return int(opener.open(request).status)
    except urllib.error.HTTPError as exc:
        return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_sign_ins_are_throttled_per_account_and_address(league: Pitboard, tmp_path: Path) -> None:
    password = league.json(
        "users", "add", "quinn", "--role", "official", "--series", "thunder-stock"
    )["password"]
    with serving(league.database, tmp_path) as site:
        assert _sign_in(site, "quinn", password) == 302  # signed in: on to the admin
        wrong = [_sign_in(site, "quinn", "not-the-password") for _ in range(5)]
        assert wrong[:4] == [200] * 4  # the form again, with its error
        assert _sign_in(site, "quinn", password) == 429  # locked out, even with the password
        assert _sign_in(site, "ed", "whatever") == 200  # another account is not
    [quinn] = league.json("users", "list")
    assert quinn["last_login"] is not None  # the sign-in that worked is on record
