# 城市运行驾驶舱 — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?= config.yaml

.PHONY: demo test install lint docs bench services system-deps clean screenshots

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## make demo: install, seed the demo city, print the demo logins, serve http://127.0.0.1:8050
demo: install
	$(BIN)/cockpit --config $(CONFIG) demo

## make test: install what tests need (Chromium, CJK font), start the services they use, run everything
# Test files run in parallel (each file on one worker, so a file's servers start once); most tests wait on
# servers and the browser, so three workers keep two cores busy. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 3
test: install system-deps services lint
	$(BIN)/python -m pytest -q -p no:dash -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

system-deps:
	@bash scripts/ensure_system_deps.sh

services:
	@bash scripts/ensure_services.sh

docs: install
	$(BIN)/cockpit config-reference > docs/configuration.md

bench: install services
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
