# Timebridge — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/timebridge
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test test-sqlite lint format check bench bench-api messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install everything (dev tools included)

# var/ holds the local SQLite database; var/static is STATIC_ROOT, which `collectstatic`
# fills and WhiteNoise warns about while it is missing.
var/static:
	@mkdir -p $@

migrate: install | var/static ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo users, team, workspace, organizations and API keys
	$(PY) manage.py load_demo

run: demo ## Set up and serve on http://127.0.0.1:8000 (SQLite by default), reloading on changes
	@# gunicorn with the project's config, not runserver: Django's dev server drops McTime's
	@# `API_KEY` header (it has an underscore), so McTime clients could not authenticate.
	GUNICORN_BIND=127.0.0.1:8000 WEB_CONCURRENCY=2 $(VENV)/bin/gunicorn -c gunicorn.conf.py --reload config.wsgi

test: install | var/static ## Run the whole test suite against PostgreSQL (TEST_DATABASE_URL)
	DATABASE_URL=$(TEST_DATABASE_URL) scripts/ensure-postgres
	scripts/ensure-chromium
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: install | var/static ## Run the suite on SQLite (PostgreSQL-only tests are skipped)
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest $(PYTEST_ARGS)

lint: install | var/static ## ruff check, ruff format --check, makemigrations --check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DATABASE_URL=sqlite:///$(CURDIR)/var/check.sqlite3 $(PY) manage.py makemigrations --check --dry-run

format: install ## Format and autofix with ruff
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install ## Run the benchmarks in bench/ against PostgreSQL
	DATABASE_URL=$(TEST_DATABASE_URL) scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/import_bench.py

messages: install ## Update locale/de from the code's strings, then compile (needs gettext)
	$(PY) manage.py makemessages -l de --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

.PHONY: bench-ledger
bench-ledger: install ## Benchmark the ledger (/days pages, month CSV/XLSX) on PostgreSQL
	DATABASE_URL=$(TEST_DATABASE_URL) scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/ledger_bench.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var

bench-api: install ## Benchmark the APIs under gunicorn beside pgbench and /healthz (needs wrk)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	DATABASE_URL=$(TEST_DATABASE_URL) scripts/ensure-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/api_bench.py $(BENCH_ARGS)
