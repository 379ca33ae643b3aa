# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs on every core (pytest-xdist); each worker has its own database.
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint openapi install node

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "buurtwacht needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The JavaScript clients the suite runs (ical.js, openapi-typescript + tsc, Redocly), pinned in tests/js/package-lock.json.
NODE_STAMP := tests/js/node_modules/.installed
$(NODE_STAMP): tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null || { echo "make test needs Node.js 20+ and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node: $(NODE_STAMP)

## make demo: install, migrate SQLite, load the demo data, print sign-in help, serve the API (make demo PORT=8000 HOST=0.0.0.0)
demo: $(STAMP)
	$(BIN)/flask --app wsgi demo --url http://$(HOST):$(PORT)
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## make test: install and run the whole suite (SQLite; set BUURTWACHT_TEST_DATABASE_URL for PostgreSQL)
test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check buurtwacht tests bench migrations/env.py
	$(BIN)/mypy

openapi: $(STAMP)
	$(BIN)/flask --app wsgi openapi write openapi/openapi.json
