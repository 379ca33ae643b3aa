# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs on every core (pytest-xdist); each worker has its own database.
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint openapi install node console

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

# The web console at /console (buurtwacht/console/web): npm ci from its package-lock.json, then tsc and vite
# into buurtwacht/console/web/dist (git-ignored). Rebuilt when its sources or the OpenAPI document change.
CONSOLE := buurtwacht/console/web
CONSOLE_STAMP := $(CONSOLE)/dist/.built
CONSOLE_SOURCES := $(shell find $(CONSOLE)/src -type f ! -name schema.d.ts 2>/dev/null) $(CONSOLE)/index.html \
	$(CONSOLE)/vite.config.ts $(CONSOLE)/tsconfig.json $(CONSOLE)/package-lock.json openapi/openapi.json
$(CONSOLE)/node_modules/.installed: $(CONSOLE)/package.json $(CONSOLE)/package-lock.json
	@command -v npm >/dev/null || { echo "the console needs Node.js 20.19+ and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix $(CONSOLE) --no-audit --no-fund --loglevel=error
	@touch $@
# Built beside the served one and swapped in, so a running server never finds dist/ half made.
$(CONSOLE_STAMP): $(CONSOLE)/node_modules/.installed $(CONSOLE_SOURCES)
	rm -rf $(CONSOLE)/dist.next $(CONSOLE)/dist.old
	npm run --prefix $(CONSOLE) build -- --outDir dist.next
	if [ -d $(CONSOLE)/dist ]; then mv $(CONSOLE)/dist $(CONSOLE)/dist.old; fi
	mv $(CONSOLE)/dist.next $(CONSOLE)/dist && rm -rf $(CONSOLE)/dist.old
	@touch $@

console: $(CONSOLE_STAMP)

## make demo: install, build the console (with npm), migrate SQLite, load the demo data, print sign-in help, serve the API and /console (make demo PORT=8000 HOST=0.0.0.0)
demo: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory console; \
	else echo "The web console needs Node.js 20.19+ and npm (apt-get install nodejs npm); serving the API only."; fi
	$(BIN)/flask --app wsgi demo --url http://$(HOST):$(PORT)
	BUURTWACHT_DEV_SIGN_IN=1 $(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## make test: install and run the whole suite (SQLite; set BUURTWACHT_TEST_DATABASE_URL for PostgreSQL)
test: $(STAMP) $(NODE_STAMP) $(CONSOLE_STAMP) lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check buurtwacht tests bench migrations/env.py
	$(BIN)/mypy

openapi: $(STAMP)
	$(BIN)/flask --app wsgi openapi write openapi/openapi.json
