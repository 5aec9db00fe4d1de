# Two commands on a fresh machine: `make chat` (run the assistant) and `make test` (the whole suite).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

$(BIN)/openip-bot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install chat test lint bench lock
install: $(BIN)/openip-bot

chat: install
	$(BIN)/openip-bot chat

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m benchmarks

# requirements.lock: every runtime dependency pinned with its hashes (the Docker image installs it).
lock: install
	$(BIN)/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
		--strip-extras --no-emit-index-url --output-file=requirements.lock pyproject.toml
