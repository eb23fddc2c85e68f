"""Every setting is documented: each PITBOARD_… environment variable the code reads is described
in docs/settings.md."""

from __future__ import annotations

import re

from tests.conftest import REPO

SRC = REPO / "src" / "pitboard"
NAME = re.compile(r"PITBOARD_[A-Z0-9_]*[A-Z0-9]")


def django_settings_of_our_own() -> set[str]:
    """Names that are Django settings pitboard defines (``settings.PITBOARD_…``), not variables
    of the environment, unless the environment is read by the same name."""
    text = (SRC / "settings.py").read_text()
    defined = set(re.findall(r"^(PITBOARD_[A-Z0-9_]+)\s*[:=]", text, re.MULTILINE))
    return {name for name in defined if f'"{name}"' not in text}


def environment_variables() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        names |= set(NAME.findall(path.read_text()))
    return names - django_settings_of_our_own()


def test_the_scan_finds_the_variables_it_should() -> None:
    found = environment_variables()
    assert {"PITBOARD_DATABASE_URL", "PITBOARD_SECRET_KEY", "PITBOARD_CACHE_URL"} <= found
    assert "PITBOARD_RESPONSE_CACHE" not in found  # a Django setting, not a variable


def test_every_environment_variable_is_documented() -> None:
    text = (REPO / "docs" / "settings.md").read_text()
    documented = set(re.findall(r"^\| `(PITBOARD_[A-Z0-9_]+)` \|", text, re.MULTILINE))
    missing = environment_variables() - documented
    assert not missing, f"add these to the table in docs/settings.md: {sorted(missing)}"
