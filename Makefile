# The two commands: `make demo` and `make test`. Needs Python 3.11 or newer as $(PYTHON).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DEBUG=1
# Every dependency pinned with its hashes (runtime and test extra); regenerate with `make lock`.
LOCK := requirements.lock
UV_VERSION := 0.13.9

.PHONY: demo test lint check-migrations journeys lock clean messages

# The French and Spanish catalogues, compiled with Babel (no GNU gettext needed): `ccm compile_catalogues`.
CATALOGUES := ccm/locale/fr/LC_MESSAGES/django.mo ccm/locale/es/LC_MESSAGES/django.mo
ccm/locale/%/LC_MESSAGES/django.mo: ccm/locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/python -m ccm.core.catalogues compile

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	touch $@

demo: $(VENV)/.installed $(CATALOGUES)
	$(DEMO_ENV) $(BIN)/ccm migrate --noinput
	$(DEMO_ENV) $(BIN)/ccm load_reference
	$(DEMO_ENV) $(BIN)/ccm seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a background-task worker beside it (Ctrl-C stops both)"
	@$(DEMO_ENV) $(BIN)/ccm db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/ccm runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist); `make test WORKERS=0` runs it in one process.
# PYTEST_ARGS passes options on (CI: `make test PYTEST_ARGS='-m "not journey"'`, the journeys have their step).
WORKERS ?= auto
PYTEST_ARGS ?=
test: $(VENV)/.installed-test $(CATALOGUES)
	$(BIN)/pytest -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ccm
	$(BIN)/lint-imports

check-migrations: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=ccm.test_settings $(BIN)/ccm makemigrations --check --dry-run

journeys: $(VENV)/.installed-test $(CATALOGUES)
	CCM_REQUIRE_BROWSER=1 $(BIN)/pytest -n $(WORKERS) --dist worksteal -m journey

# Re-resolve requirements.lock from pyproject.toml (keeps the pinned versions that still fit; add
# --upgrade to the command to move to the newest). .ci/check_lock.py checks the two agree.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra production --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet -o $(LOCK)

# Refresh the catalogues from the marked strings (needs GNU gettext: Debian's `gettext`); new strings come in
# untranslated and `ccm check_catalogues` (CI) names them until they are translated.
messages: $(VENV)/.installed-test
	cd ccm && DJANGO_SETTINGS_MODULE=ccm.test_settings ../$(BIN)/django-admin makemessages -l fr -l es --no-obsolete \
	  --add-location file
	$(BIN)/python -m ccm.core.catalogues compile

clean:
	rm -rf $(VENV) var
