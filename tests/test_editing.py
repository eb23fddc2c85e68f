"""A correction made by hand in the admin is the editor's own statement: it is shown, it outlasts
a re-import of any source, and it is listed beside what the sources say (issue 9)."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pitboard.importers.base import run_import
from pitboard.importers.results_format import ResultsFormatImporter
from pitboard.records.models import Race, Result, ResultStatement
from pitboard.records.services.sources import disagreements
from tests.conftest import REPO

EXAMPLE = REPO / "docs" / "examples" / "results-example.csv"


class _Form(HTMLParser):
    """The fields of the admin's change form, with the values its page shows."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox"):
            self.fields[name] = a.get("value", "")
        elif tag == "input" and name and "checked" in a:
            self.fields[name] = "on"
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def change_form(client: Client, url: str, **changes: Any) -> dict[str, str]:
    """The admin change form at *url* as its page would post it, with *changes*."""
    page = client.get(url)
    assert page.status_code == 200
    form = _Form()
    form.feed(page.content.decode())
    return {**form.fields, **{k: str(v) for k, v in changes.items()}}


def form_errors(response: Any) -> str:
    form = response.context["adminform"].form if response.context else None
    return str(form.errors.as_data()) if form is not None else str(response.status_code)


def restated(folder: Path, *, laps: str | None = None, race_name: str | None = None) -> Path:
    """The example file with Avery Quill's laps in round 1, or round 1's race name, changed."""
    with EXAMPLE.open(newline="") as given:
        rows = list(csv.DictReader(given))
    for row in rows:
        if row["round"] != "1":
            continue
        if laps is not None and row["driver"] == "Avery Quill":
            row["laps"] = laps
        if race_name is not None:
            row["race_name"] = race_name  # every row of a race states its facts alike
    path = folder / "results-example.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def static_root(settings: Any, tmp_path: Path) -> None:
    """The admin's pages served in-process; the static files are not collected here."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def imported(transactional_db: None, tmp_path: Path) -> Path:
    reports, _ = run_import(ResultsFormatImporter(), str(EXAMPLE), rejects_dir=tmp_path)
    assert reports[0].inserted == 9
    return tmp_path


def test_a_correction_outlasts_a_reimport_and_is_listed_as_a_conflict(
    imported: Path, admin_client: Client
) -> None:
    result = Result.objects.get(driver__person__name="Avery Quill", race__round=1)
    assert result.laps == 50
    url = f"/admin/records/result/{result.pk}/change/"
    response = admin_client.post(url, change_form(admin_client, url, laps=47))
    assert response.status_code == 302, form_errors(response)
    result.refresh_from_db()
    assert result.laps == 47
    editor = ResultStatement.objects.get(result=result, dataset="editor")
    assert (editor.laps, editor.finish) == (47, None)  # only what was changed

    # The source restates the result (49 laps now): its statement changes, the correction stays.
    reports, _ = run_import(
        ResultsFormatImporter(), str(restated(imported, laps="49")), rejects_dir=imported
    )
    assert reports[0].updated == 1
    result.refresh_from_db()
    assert result.laps == 47
    [conflict] = disagreements()
    assert conflict["field"] == "laps"
    assert [(v["dataset"], v["value"], v["shown"]) for v in conflict["values"]] == [
        ("editor", 47, True),
        ("results-format", 49, False),
    ]
    page = admin_client.get("/races/thunder-stock/2025/1/").content.decode()
    assert "corrected by hand by pitboard&#x27;s editors" in page
    assert "47 (editor); 49 (results-format)" in page


def test_a_race_correction_is_kept_the_same_way(imported: Path, admin_client: Client) -> None:
    race = Race.objects.order_by("pk").first()
    assert race is not None
    url = f"/admin/records/race/{race.pk}/change/"
    response = admin_client.post(url, change_form(admin_client, url, name="Harvest Classic 150"))
    assert response.status_code == 302, form_errors(response)
    path = restated(imported, race_name="Spring Opener 55")
    reports, _ = run_import(ResultsFormatImporter(), str(path), rejects_dir=imported)
    assert reports[0].races_updated == 0  # the shown race is the editor's still
    race.refresh_from_db()
    assert race.name == "Harvest Classic 150"


def test_an_admin_edit_is_in_the_audit_trail_and_reverts(
    imported: Path, admin_client: Client
) -> None:
    from pitboard.officials.changes import change_detail, change_list, revert

    result = Result.objects.get(driver__person__name="Avery Quill", race__round=1)
    url = f"/admin/records/result/{result.pk}/change/"
    response = admin_client.post(url, change_form(admin_client, url, laps=47))
    assert response.status_code == 302, form_errors(response)
    [edit, _imported] = change_list()
    assert (edit["what"], edit["who"], edit["through"], edit["series"]) == (
        "edit",
        "admin",
        "admin",
        ["thunder-stock"],
    )
    [stated] = change_detail(edit["id"])["changes"]
    assert (stated["before"], stated["after"]["laps"]) == (None, 47)  # the editor's first word

    revert(None, edit["id"], channel="cli", reason="a misread lap chart")
    result.refresh_from_db()
    assert result.laps == 50
    assert not ResultStatement.objects.filter(result=result, dataset="editor").exists()
