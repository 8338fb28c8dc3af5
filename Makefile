# tanu: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed

.PHONY: run test install translations lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(DEPS)

install: $(DEPS)

translations: install
	TANU_DEBUG=1 $(BIN)/tanu i18n compile

run: translations
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu migrate --no-input
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu demo load
	@echo "tanu is starting at http://127.0.0.1:8000 (stop with Ctrl+C)"
	TANU_DEMO=1 TANU_DEBUG=1 $(BIN)/tanu runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tanu

test: translations lint
	$(BIN)/pytest

bench: translations
	$(BIN)/python benchmarks/bench_assess.py

clean:
	rm -rf $(VENV) var
