# One task runner. `make run` installs and runs the main job; `make test` lints, then tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where `make run` imports NASCAR history from: a folder or URL (default: the public files).
NASCAR_SOURCE ?= $(PITBOARD_NASCAR_SOURCE)
# And the regional series (ARCA, East, West, Pinty's…) and national race dates: folder or URL.
RACING_REFERENCE_SOURCE ?= $(PITBOARD_RACING_REFERENCE_SOURCE)
DRIVER ?= Richard Petty
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run lint test test-sqlite test-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[dev]'
	touch $@

# Import the NASCAR history, then serve the site. Without internet the import fails with a
# one-line reason and the site is served anyway, with whatever data it has.
run: install
	$(BIN)/pitboard init --starter
	-$(BIN)/pitboard import nascar $(if $(NASCAR_SOURCE),--source "$(NASCAR_SOURCE)")
	-$(BIN)/pitboard import racing-reference $(if $(RACING_REFERENCE_SOURCE),--source "$(RACING_REFERENCE_SOURCE)")
	$(BIN)/pitboard db refresh-standings
	-$(BIN)/pitboard driver "$(DRIVER)"
	$(BIN)/pitboard serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell src tests docs bench README.md CHANGELOG.md
	$(BIN)/mypy

test: lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

# The same suite on PostgreSQL, when a server is named (see README).
test-postgres: install
ifneq ($(PITBOARD_TEST_POSTGRES_URL),)
	PITBOARD_TEST_BACKEND=postgres PITBOARD_DATABASE_URL="$(PITBOARD_TEST_POSTGRES_URL)" $(BIN)/pytest
else
	@echo "SKIPPED: the suite on PostgreSQL (set PITBOARD_TEST_POSTGRES_URL=postgresql://user@host/db to run it)"
endif

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
