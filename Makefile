# SalesHelm: `make demo` runs the app with a demo organisation; `make test` runs the suite.
# Each target creates what it needs (virtual environment, database, static files).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: demo test screenshots lint bench fuzz fuzz-api fuzz-import fuzz-plan browser clean help

help:
	@echo "make demo   - set up and run SalesHelm on SQLite with a demo organisation (http://127.0.0.1:8000/)"
	@echo "make test   - set up and run the whole test suite (SQLite; set SALESHELM_DATABASE_URL for PostgreSQL)"
	@echo "make screenshots - the browser journeys that write the user guides' pictures to var/screenshots/"
	@echo "make lint   - ruff, mypy, Django checks, missing migrations"
	@echo "make bench  - benchmarks beside their references (SIZE=S|M|L)"
	@echo "make fuzz   - fuzz-api, fuzz-import and fuzz-plan (long)"
	@echo "make fuzz-api    - schemathesis over the whole API, 100 cases per operation and role"
	@echo "make fuzz-import - atheris on the CSV/XLSX importer's reading and checking (FUZZ_SECONDS, default 600 s)"
	@echo "make fuzz-plan   - atheris on the commission plan JSON parser (FUZZ_SECONDS, default 600 s)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@touch $(STAMP)

demo: $(STAMP)
	SALESHELM_DEBUG=$${SALESHELM_DEBUG:-1} $(BIN)/saleshelm demo

# Browser tests drive Debian's chromium; install it when it is missing and we may.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else echo "no /usr/bin/chromium: browser tests will be skipped"; fi; \
	fi

test: $(STAMP) browser
	@mkdir -p var
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q -p no:cacheprovider $(PYTEST_ARGS)

# The pictures of the user guides (docs/guide/*.md): the browser tests that take them write
# them to var/screenshots/ (gitignored; tests/test_docs.py checks every name the guides use).
SCREENSHOT_TESTS := tests/e2e/test_journey_director.py tests/e2e/test_journey_manager.py \
  tests/e2e/test_journey_rep.py tests/e2e/test_journey_finance.py tests/e2e/test_direction.py \
  tests/e2e/test_shell.py tests/e2e/test_invites.py tests/e2e/test_dashboards.py \
  tests/e2e/test_motivation.py tests/e2e/test_development.py

screenshots: $(STAMP) browser
	@mkdir -p var/screenshots
	$(BIN)/pytest -q -p no:cacheprovider -m e2e $(SCREENSHOT_TESTS) $(PYTEST_ARGS)
	@echo "screenshots in var/screenshots/"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	SALESHELM_DEBUG=1 $(BIN)/mypy src
	SALESHELM_DEBUG=1 $(BIN)/saleshelm manage check --fail-level WARNING
	SALESHELM_DEBUG=1 $(BIN)/saleshelm manage makemigrations --check --dry-run
	SALESHELM_SECRET_KEY=lint-$$(date +%s)-a-long-random-production-key-for-the-deploy-check \
	  SALESHELM_ALLOWED_HOSTS=saleshelm.example.com \
	  $(BIN)/saleshelm manage check --deploy --fail-level WARNING

fuzz: fuzz-api fuzz-import fuzz-plan

# SPEC §11.2 in full: every operation x (rep, admin) x 100 generated cases, and 100 chained
# scenarios per role in the stateful phase (about 80 CPU-minutes; `make test` runs the same
# tests with 5). Set SALESHELM_DATABASE_URL for PostgreSQL.
fuzz-api: $(STAMP)
	@mkdir -p var
	SALESHELM_FUZZ_EXAMPLES=$${SALESHELM_FUZZ_EXAMPLES:-100} $(BIN)/pytest -n $(PYTEST_WORKERS) \
	  -q -p no:cacheprovider tests/reliability/test_api_fuzz.py tests/reliability/test_api_stateful.py \
	  $(PYTEST_ARGS)

# atheris (the `fuzz` extra), FUZZ_SECONDS each (default 10 minutes); the corpus grows in
# var/fuzz/, a crashing input is written there as crash-*. No uncaught exception other than
# the documented validation errors is allowed.
FUZZ_SECONDS ?= 600
FUZZ_STAMP := $(VENV)/.fuzz-installed

$(FUZZ_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[fuzz]"
	@touch $(FUZZ_STAMP)

fuzz-import: $(FUZZ_STAMP)
	@mkdir -p var/fuzz/import
	$(BIN)/python fuzz/fuzz_import.py -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -artifact_prefix=var/fuzz/ -print_final_stats=1 var/fuzz/import fuzz/seeds/import

fuzz-plan: $(FUZZ_STAMP)
	@mkdir -p var/fuzz/plan
	$(BIN)/python fuzz/fuzz_plan.py -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=var/fuzz/ -print_final_stats=1 var/fuzz/plan fuzz/seeds/plan

bench: $(STAMP)
	$(BIN)/python -m bench $(SIZE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var *.sqlite3
