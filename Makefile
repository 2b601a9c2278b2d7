# Ignition Automation Portal: `make help` lists every target.
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VENV ?= $(ROOT)/.venv
PY := $(VENV)/bin/python
MANAGE := cd $(ROOT) && $(PY) manage.py
STAMP := $(VENV)/.installed
# Test processes for `make test` (pytest-xdist); TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run test lint format web worker worker-designer beat simulator migrate superuser bench soak audit \
        docker-build docker-up clean

help: ## List every target with one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): $(ROOT)/requirements.txt $(ROOT)/requirements-dev.txt
	@test -x $(PY) || python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(ROOT)/requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv (.venv) and install pinned requirements

run: $(STAMP) ## Start the whole product on this machine (SQLite, embedded Redis, simulator)
	cd $(ROOT) && $(PY) -m toolkit_project.launcher

test: $(STAMP) ## Lint, format check, dependency audit and the full test suite with branch coverage (PostgreSQL, Redis, Chromium)
	cd $(ROOT) && $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	cd $(ROOT) && $(PY) tools/audit_dependencies.py
	cd $(ROOT) && $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=25 --cov --cov-report=term $(PYTEST_ARGS)

lint: $(STAMP) ## Lint, check formatting, the import layers (lint-imports) and types (mypy)
	cd $(ROOT) && $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	cd $(ROOT) && $(VENV)/bin/lint-imports
	cd $(ROOT) && $(VENV)/bin/mypy

audit: $(STAMP) ## Check installed dependencies for known vulnerabilities (pip-audit; audit-exceptions.txt explains accepted ones)
	cd $(ROOT) && $(PY) tools/audit_dependencies.py

format: $(STAMP) ## Fix lint findings that can be fixed and format the code
	cd $(ROOT) && $(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

web: $(STAMP) ## Scale-out: run the web process (Daphne) on 0.0.0.0:8000; needs DATABASE_URL, REDIS_URL
	cd $(ROOT) && $(PY) -m daphne -b 0.0.0.0 -p 8000 toolkit_project.asgi:application

worker: $(STAMP) ## Scale-out: run a Celery worker on the executions and default queues
	cd $(ROOT) && $(PY) -m celery -A toolkit_project worker -Q executions,default --loglevel INFO

worker-designer: $(STAMP) ## Desktop host: one Celery worker for runs with designer.* steps (needs DISPLAY)
	cd $(ROOT) && WORKER_CAPABILITIES=desktop $(PY) -m celery -A toolkit_project worker -Q designer -c 1 -n designer@%h --loglevel INFO

beat: $(STAMP) ## Scale-out: run celery beat with the database scheduler (one per installation)
	cd $(ROOT) && $(PY) -m celery -A toolkit_project beat --pidfile= --loglevel INFO

simulator: $(STAMP) ## Run the gateway simulator alone on 127.0.0.1:8088 (8.3 profile)
	$(MANAGE) run_gateway_simulator --port 8088

migrate: $(STAMP) ## Apply database migrations
	$(MANAGE) migrate

superuser: $(STAMP) ## Create an admin user interactively (or reset one's password)
	$(MANAGE) createsuperuser

bench: $(STAMP) ## Run the benchmarks and print ratios and percentiles (recovery times included)
	cd $(ROOT) && $(PY) -m bench

soak: $(STAMP) ## 20-minute soak: 20 runs at a time, Redis restarted every 4 min (SOAK_MINUTES)
	cd $(ROOT) && $(PY) -m bench soak

docker-build: ## Build the container image
	cd $(ROOT) && docker build -t ignition-automation-portal .

docker-up: ## Start the default compose profile (web, worker, beat, redis)
	cd $(ROOT) && docker compose --profile default up

clean: ## Remove the virtualenv, caches and coverage files (keeps var/ data)
	rm -rf $(VENV) $(ROOT)/.pytest_cache $(ROOT)/.ruff_cache $(ROOT)/.coverage $(ROOT)/htmlcov $(ROOT)/staticfiles
	find $(ROOT)/apps $(ROOT)/toolkit_project $(ROOT)/tests -name __pycache__ -type d -prune -exec rm -rf {} +
