# AI Strategy Workbook — the two commands a new user needs: `make run` and `make test`.
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
# .python-version asks pyenv for 3.12.1; any python3.12 on PATH works too.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
PG_URL := postgres://postgres@127.0.0.1:5432/workbook
DEMO_PASSWORD_FILE := .demo-password
PORT ?= 8000
# One test worker per core, at most four: the browser tests need memory more than cores.
WORKERS ?= $(shell $(PYTHON) -c "import os; print(max(1, min(4, len(os.sched_getaffinity(0)))))")

.PHONY: help install run test lint bench

help:
	@echo "make run      serve the workbook with demo data at http://127.0.0.1:$(PORT) (PORT=8123 for another port),"
	@echo "              on PostgreSQL: DATABASE_URL, else $(PG_URL) (created if missing)"
	@echo "make test     the whole test suite on PostgreSQL: DATABASE_URL, else $(PG_URL),"
	@echo "              else a throwaway server of its own ($(WORKERS) workers; PYTEST_ARGS=... to pass on)"
	@echo "make lint     ruff check and format check, models without a migration, mypy"
	@echo "make bench    benchmarks; results in docs/benchmarks.md"
	@echo "make install  the virtual environment in $(VENV) with every pinned dependency"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

$(DEMO_PASSWORD_FILE):
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(12))" > $@

# PostgreSQL at DATABASE_URL, else $(PG_URL) (created if missing; decision 20). Safe to run again.
run: export DATABASE_URL := $(or $(DATABASE_URL),$(PG_URL))
run: install $(DEMO_PASSWORD_FILE)
	DEBUG=1 $(PY) manage.py create_database
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_workbook
	DEBUG=1 $(PY) manage.py seed_demo --password "$$(cat $(DEMO_PASSWORD_FILE))"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(PY) tests/run.py -n $(WORKERS) $(PYTEST_ARGS)

# The migration check runs on an in-memory SQLite: no database server, no file left behind.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	PYTHONPATH=. $(VENV)/bin/mypy

# Pages against the bare view, query counts, documents, scale-out; needs wrk and PostgreSQL.
# Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wb_bench); writes
# docs/benchmarks.md and raw output in bench-results/.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)
