"""Docs that cannot drift: generated references match the code, documented things exist."""

from __future__ import annotations

import re

from pitboard.cli.reference import render
from pitboard.importers.nascar import COLUMNS as NASCAR_COLUMNS
from pitboard.importers.registry import IMPORTERS
from pitboard.importers.results_format import COLUMNS as RESULT_COLUMNS
from tests.conftest import REPO

DOCS = REPO / "docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text() == render(), (
        "docs/cli.md is stale: run `python -m pitboard.cli.reference > docs/cli.md`"
    )


def test_every_results_format_column_is_documented() -> None:
    text = (DOCS / "results-format.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_0-9]+)`", text, re.MULTILINE))
    documented |= set(re.findall(r"`(stage_\d)`", text))
    assert {c.name for c in RESULT_COLUMNS} <= documented


def test_every_nascar_column_is_documented() -> None:
    text = (DOCS / "import-nascar.md").read_text()
    for column in NASCAR_COLUMNS:
        assert f"`{column.name}`" in text or column.name in ("S2",), column.name


def test_every_importer_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    for name in IMPORTERS:
        assert f"pitboard import {name}" in readme


def test_readme_links_resolve() -> None:
    readme = (REPO / "README.md").read_text()
    for link in re.findall(r"\]\((docs/[^)]+)\)", readme):
        assert (REPO / link).exists(), link


def test_every_shipped_rule_set_is_valid_and_cites_a_source() -> None:
    from pitboard.records.services.points import shipped_rule_sets

    rule_sets = shipped_rule_sets()
    assert len({r.id for r in rule_sets}) == len(rule_sets)
    for rules in rule_sets:
        assert rules.sources and all(s for s in rules.sources), rules.id


def test_nascar_seasons_have_exactly_one_rule_set() -> None:
    from pitboard.records.services.points import shipped_rule_sets

    for series, first in (("cup", 1975), ("nxs", 1982), ("truck", 1995)):
        for season in range(first, 2027):
            found = [r.id for r in shipped_rule_sets() if r.names(series, season)]
            assert len(found) == 1, (series, season, found)


def test_every_api_operation_is_documented() -> None:
    from pitboard.api.routes import api

    served = {
        f"{method.upper()} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    documented = set(
        re.findall(r"`((?:GET|POST|PUT) /api/v1/[^`]*)`", (DOCS / "api.md").read_text())
    )
    assert served == documented
