# The two commands of the README: `make up` and `make test`. Everything else bootstraps them.
# Tools (uv, tox) live in .tools/, a private virtualenv made from the python3 on PATH (3.12+).
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
TOX := $(TOOLS)/bin/tox
export UV_PYTHON_DOWNLOADS ?= never
# Envs run side by side: each has its own venvs, database, Redis db, ports and SMTP sink.
TEST_PARALLEL ?= 4

.PHONY: up test lint types clean tools

$(TOOLS)/.ready:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet "uv>=0.9" "tox>=4.30" "tox-uv>=1.28"
	touch $@

tools: $(TOOLS)/.ready

up: tools
	$(UV) run --frozen bakeoff up

test: tools
	@mkdir -p reports
	$(TOX) run -e lint,types,contract,static
	$(TOX) run-parallel -p $(TEST_PARALLEL) --parallel-no-spinner -e fastapi,django,flask,sanic

lint: tools
	$(TOX) run -e lint

types: tools
	$(TOX) run -e types

clean:
	rm -rf $(TOOLS) .tox reports .venv services/*/.venv services/*/var
