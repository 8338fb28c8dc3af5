# tanu: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed

AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: run test install translations lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(DEPS)

install: $(DEPS)

translations: install
	$(BIN)/tanu i18n compile

run: translations
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu migrate --no-input
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu demo load
	@echo "tanu is starting at http://127.0.0.1:8000 with its background worker (stop both with Ctrl+C)"
	@TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tanu
	$(BIN)/lint-imports

# axe-core (npm registry) checks accessibility inside the browser tests; skipped without npm.
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION) >/dev/null; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

# The translation check (docs/glossary.md): terms, scripts, placeholders, msgfmt -c.
test: translations lint $(AXE)
	$(BIN)/tanu i18n check
	$(BIN)/pytest

# The benchmark suite (by hand, never in `make test`): see README, "Performance".
BENCH_SIZES ?= 10000,1000000
BENCH_LINKAGE_SIZES ?= 100000
bench: translations
	$(BIN)/python benchmarks/run.py --sizes $(BENCH_SIZES) $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_linkage.py --sizes $(BENCH_LINKAGE_SIZES)

# Mutation testing (by hand, never in `make test`): mutmut changes the rules that protect people
# (setup.cfg lists the files and the tests that guard them) and reports the killed and surviving
# mutants. MUTANTS narrows the run, e.g. make mutate MUTANTS='tanu.reports.suppression*'.
# Each mutant's tests run on a copy of one database migrated here (TANU_TEST_DB_TEMPLATE, see
# conftest.py): migrating afresh for every mutant took most of the time.
MUTANTS ?=
MUTATE_DB := $(CURDIR)/.cache/mutate-db.sqlite3
mutate: translations
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,mutate]'
	rm -rf mutants $(MUTATE_DB)*
	mkdir -p .cache
	DJANGO_SETTINGS_MODULE=tanu.test_settings TANU_DATABASE_URL=sqlite:///$(MUTATE_DB) \
		$(BIN)/tanu migrate --verbosity 0
	TANU_TEST_DB_TEMPLATE=$(MUTATE_DB) $(BIN)/mutmut run $(MUTANTS) || true
	$(BIN)/mutmut results
	$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

# Build outputs only. Never var/ or TANU_DATA_DIR: they hold the database, the documents, the
# backups and the collected static files (tests/test_make_clean.py keeps it so).
clean:
	rm -rf $(VENV) .cache mutants build tanu.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find tanu tests benchmarks -type d -name __pycache__ -prune -exec rm -rf {} +
	find tanu/locale -type f -name '*.mo' -delete
