# The portal's commands. Each target sets up what it needs on a bare machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast lint format messages lock clean bench

# Test processes (pytest-xdist): one more than the cores by default, as many tests spend their
# time waiting on another process (Chromium, the HTML checker, Celery workers, pip), when a
# spare worker keeps the cores busy. WORKERS=0 runs in this process.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST := $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup
# What test-fast leaves to make test and CI: Chromium, the real services, slow external checkers.
SLOW_MARKERS := not browser and not integration and not external

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics --domain django --input-file $< --output-file $@ --locale $*

messages: $(CATALOGUES) ## Compile the translation catalogues

# axe-core, pinned in package-lock.json, for the accessibility tests; skipped where npm is absent.
node_modules/.package-lock.json: package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund; else echo "npm not found: the accessibility tests will be skipped"; fi

setup: $(INSTALLED) messages node_modules/.package-lock.json ## Create .venv, install the locked dependencies (Python, and npm's where npm exists), compile translations

run: setup ## Serve the seeded portal at http://127.0.0.1:8000 (SQLite, no other service needed)
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py bootstrap --demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup ## Before you stop: every test, with line coverage (PostgreSQL when DATABASE_URL names one)
	$(PYTEST) --cov --cov-report=term $(PYTEST_ARGS)

test-fast: setup ## Before every commit: every test but browser, integration and external ones, on SQLite
	DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= $(PYTEST) -p no:cov -m "$(SLOW_MARKERS)" $(PYTEST_ARGS)

lint: setup ## Lint and check formatting with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: ## Re-resolve the locked versions from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --no-strip-extras -o requirements.lock
	# The image's runtime-only lock, held to the versions the tests ran with.
	uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --no-strip-extras --constraint requirements.lock -o requirements-prod.lock

clean: ## Remove the virtualenv, compiled catalogues and the local database
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules $(CATALOGUES)

# Every benchmark runs and the table is printed even when one fails; then the target fails.
bench: setup ## Measure page costs (small and realistic volume), load, digests, the report; one table
	status=0; \
	$(BIN)/python bench/pages.py --json bench/results/pages.json || status=1; \
	$(BIN)/python bench/report.py --json bench/results/report.json || status=1; \
	$(BIN)/python bench/digests.py --json bench/results/digests.json || status=1; \
	$(BIN)/python bench/load.py --json bench/results/load.json || status=1; \
	$(BIN)/python bench/concurrency.py --json bench/results/concurrency.json || status=1; \
	$(BIN)/python bench/summary.py; exit $$status
