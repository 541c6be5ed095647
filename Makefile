# The two commands of the README: `make up` and `make test`. Everything else bootstraps them.
# Tools (uv, tox) live in .tools/, a private virtualenv made from the python3 on PATH (3.12+).
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
TOX := $(TOOLS)/bin/tox
export UV_PYTHON_DOWNLOADS ?= never
# Envs run side by side: each has its own venvs, database, Redis db, ports and SMTP sink.
TEST_PARALLEL ?= 4

.PHONY: up test lint types clean tools compare parity browser soak

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
	$(TOX) run -e lint,types,contract,static --result-json reports/tox-checks.json
	$(TOX) run-parallel -p $(TEST_PARALLEL) --parallel-no-spinner -e fastapi,django,flask,sanic \
		--result-json reports/tox-services.json
	$(TOX) run -e parity,browser --result-json reports/tox-compare.json
	$(TOX) run -e soak --result-json reports/tox-soak.json

# `make compare` measures on the embedded defaults; `make compare COMPARE_BACKEND=postgres` on
# PostgreSQL + Redis. BENCH_ARGS e.g. "--duration 3 --runs 1" for a quick trial.
COMPARE_BACKEND ?= embedded
BENCH_ARGS ?=

compare: tools
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 3; }
	@mkdir -p reports
	$(UV) run --frozen bakeoff bench $(if $(filter embedded,$(COMPARE_BACKEND)),--embedded) $(BENCH_ARGS)
	$(UV) run --frozen bakeoff report

parity: tools
	$(TOX) run -e parity

browser: tools
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 3; }
	$(TOX) run -e browser

# 60 s of mixed load against each service in turn; `make test` runs it last, on its own.
soak: tools
	$(TOX) run -e soak

lint: tools
	$(TOX) run -e lint

types: tools
	$(TOX) run -e types

clean:
	rm -rf $(TOOLS) .tox reports .venv services/*/.venv services/*/var
