# The two commands: `make demo` and `make test`. Needs Python 3.11 or newer as $(PYTHON).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DEBUG=1

.PHONY: demo test lint check-migrations journeys clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/ccm migrate --noinput
	$(DEMO_ENV) $(BIN)/ccm load_reference
	$(DEMO_ENV) $(BIN)/ccm seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a background-task worker beside it (Ctrl-C stops both)"
	@$(DEMO_ENV) $(BIN)/ccm db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/ccm runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ccm

check-migrations: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=ccm.test_settings $(BIN)/ccm makemigrations --check --dry-run

journeys: $(VENV)/.installed-test
	CCM_REQUIRE_BROWSER=1 $(BIN)/pytest -m journey

clean:
	rm -rf $(VENV) var
