# The two quick-start commands: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck migrations-check worker bench bench-load clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the app with demo data at http://127.0.0.1:$(PORT) as users see it (DEBUG off, gunicorn,
## SQLite, filesystem queue, a local worker). PORT=8080 make run; DEBUG=true make run for runserver.
PORT ?= 8000
run: $(STAMP)
	PORT=$(PORT) scripts/serve-local

## Run the whole test suite (SQLite by default; DATABASE_URL / REDIS_URL switch to the real services).
test: $(STAMP)
	scripts/ensure-system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Ruff (lint and format), the migrations in step with the models, mypy against its baseline.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(STAMP)
	$(BIN)/python scripts/mypy-baseline

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2

## The load benchmark (README, "Load benchmark"): PostgreSQL and Redis of this machine, its own
## database khongmatuy_load. BENCH_ARGS="--step-seconds 30" for other options.
bench-load: $(STAMP)
	scripts/bench-load
