# newsfuse — `make help` lists the targets. Everything installs into .venv from PyPI; no other downloads.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST := $(PYTHON) -m pytest

.DEFAULT_GOAL := help
.PHONY: help install browser demo up test test-unit test-integration test-faults lint typecheck bench bench-quality schemas clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -e '.[processor,dev,evaluation]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install newsfuse with every dependency and model

browser: ## Debian's Chromium for the live page's browser test (apt-get install when missing; needs root)
	@[ -n "$$NEWSFUSE_TEST_CHROMIUM" ] || command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; \
	  else echo "the page test needs Chromium: sudo apt-get install chromium (or set NEWSFUSE_TEST_CHROMIUM)" >&2; exit 1; fi; }

demo: install ## Broker + services, ingest seeds/, wait, print the canonical events, stop everything
	$(VENV)/bin/newsfuse demo

up: install ## Run broker + all services in the foreground (Ctrl-C stops)
	$(VENV)/bin/newsfuse up

test: install browser ## Unit + integration tests (real broker, SQLite and PostgreSQL, Chromium); excludes `faults`
	$(PYTEST) -m "not faults" -q

test-unit: install ## Pure logic only (no broker, no database)
	$(PYTEST) tests/unit -q

test-integration: install browser ## Integration tests only
	$(PYTEST) tests/integration -m "not faults" -q

test-faults: install ## kill -9 / outage / restart tests (minutes; CI runs them after `make test`)
	$(PYTEST) -m faults -q

lint: install ## ruff (pyflakes, pycodestyle, import order, bugbear, pyupgrade, simplify; rules in pyproject.toml)
	$(VENV)/bin/ruff check services schemas tests

typecheck: install ## mypy with the pydantic plugin over services/ and schemas/ (settings in pyproject.toml)
	$(VENV)/bin/mypy

bench: install ## Performance benchmarks -> docs/benchmarks.md (+ JSON)
	$(PYTHON) -m services.evaluation.perf

bench-quality: install ## newsfuse (in-process AND through the running pipeline) vs TF-IDF vs MinHash-LSH on the dev datasets -> docs/benchmarks.md + docs/benchmarks-quality.json
	$(PYTHON) -m services.evaluation.bench_quality

schemas: install ## Re-export schemas/jsonschema/*.json from the pydantic models
	$(PYTHON) -m schemas.export

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) .newsfuse .pytest_cache
