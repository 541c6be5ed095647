# The two commands of the README: `make up` and `make test`. Everything else bootstraps them.
# Tools (uv, tox) live in .tools/, a private virtualenv made from the python3 on PATH (3.12+).
PYTHON ?= python3
TOOLS := .tools
# Absolute and exported: tox envs and the launcher call exactly this uv, never one from PATH.
UV := $(CURDIR)/$(TOOLS)/bin/uv
TOX := $(CURDIR)/$(TOOLS)/bin/tox
export UV
export UV_PYTHON_DOWNLOADS ?= never
# Envs run side by side: each has its own venvs, database, Redis db, ports and SMTP sink.
TEST_PARALLEL ?= 4

.PHONY: up test lint types clean tools compare parity fuzz browser soak firstrun

$(TOOLS)/.ready:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet "uv>=0.9" "tox>=4.30" "tox-uv>=1.28"
	touch $@

tools: $(TOOLS)/.ready

up: tools
	$(UV) run --frozen bakeoff up

# Checks every prerequisite first (providing what it can), then runs the stages: checks,
# the four service envs side by side, compare (parity, browser, first run), soak.
test: tools
	PYTHONPATH=src $(TOOLS)/bin/python -m bakeoff.testrun --tox $(TOX) --parallel $(TEST_PARALLEL)

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

# Differential fuzzing without a bound: a random seed (printed first; BAKEOFF_FUZZ_SEED=N replays
# it) and generated requests until the four services answer one differently.
fuzz: tools
	BAKEOFF_FUZZ_SEED=$${BAKEOFF_FUZZ_SEED:-random} BAKEOFF_FUZZ_REQUESTS=$${BAKEOFF_FUZZ_REQUESTS:-0} \
		$(TOX) run -e differential -- -x

browser: tools
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 3; }
	$(TOX) run -e browser

firstrun: tools
	$(TOX) run -e firstrun

# 60 s of mixed load against each service in turn; `make test` runs it last, on its own.
soak: tools
	$(TOX) run -e soak

lint: tools
	$(TOX) run -e lint

types: tools
	$(TOX) run -e types

clean:
	rm -rf $(TOOLS) .tox reports .venv services/*/.venv services/*/var
