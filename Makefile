# Poverty-alleviation analysis suite. `make help` lists the targets.
#
# Every target that needs Python depends on the virtual environment (.venv), which is
# created from the generated locks when missing or out of date: requirements.lock for the
# report build, requirements-dev.lock (adding the development tools) for the tests. The
# report build uses real file targets, so a no-op `make report` does nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
KERNEL := poverty-analysis
export PYTHONHASHSEED := 0
# Only the build driver marks its notebook runs as build runs (it sets this itself); an
# inherited value must not turn `make lab`, `make notebooks` or nbval runs into build runs.
unexport ANALYSIS_BUILD_OUTPUT_DIR
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Python's default: bytecode caches are written (in __pycache__/, ignored by git). uv installs
# the packages without bytecode, so with an inherited PYTHONDONTWRITEBYTECODE every kernel, build
# and test process would compile pandas, matplotlib, the Jupyter stack and the package again, and
# pytest would rewrite every test module again in each worker.
unexport PYTHONDONTWRITEBYTECODE

RAW_TABLES := $(wildcard data/raw/*.csv)
RAW_FILES  := $(RAW_TABLES) $(wildcard data/raw/documents/*) $(wildcard data/raw/external/*)
# make data also validates the curated tables the reports read themselves (analysis.build.data).
DATA_SRC   := $(addprefix src/analysis/,__init__.py paths.py errors.py) $(wildcard src/analysis/data/*.py) \
              $(addprefix src/analysis/,build/data.py reports/elasticity_vocab.py reports/comparison_data.py reports/headlines.py)
VALIDATED  := data/processed/.validated
PROCESSED  := data/processed/observations.csv data/processed/claims.csv data/processed/consistency.csv data/processed/sources.csv
# The report runs, declared once in src/analysis/build/runs.py: build/runs.mk sets RUNS (name:notebook
# pairs) and RUN_INPUTS_<run> (its processed inputs) from it. Like build/deps.mk it is written with the standard library only, before .venv exists.
build/runs.mk: src/analysis/build/runs.py src/analysis/data/fileio.py
	@PYTHONPATH=src $(PYTHON) -m analysis.build.runs $@
include build/runs.mk
RUN_NAMES := $(foreach r,$(RUNS),$(word 1,$(subst :, ,$(r))))
REPORT_HTML := $(foreach n,$(RUN_NAMES),reports/$(n).html)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

.PHONY: help venv venv-dev lock own data external report screenshots notebooks test test-full lint format readme hooks lab clean bench

help: ## List every target with a one-line description
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The environment comes from the generated locks (hashes checked) by tools/mkvenv.py, in two steps:
# .venv/.installed is the runtime (requirements.lock: what make report, data, notebooks and lab
# need), .venv/.installed-dev adds the development and browser tools (requirements-dev.lock: make
# test, lint, screenshots). uv installs each in seconds (uv itself is installed, pinned, by pip into
# .bootstrap/ from the package index); where uv cannot be had (or ANALYSIS_NO_UV=1), plain pip
# installs the same lock, slower. The first line printed says which. uv syncs exactly, so the
# runtime step removes the development tools again: it drops their stamp too.
BOOT := .bootstrap
UV   := $(BOOT)/bin/uv
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version'
	@rm -f $(DEV_STAMP)
	@$(PYTHON) tools/mkvenv.py $(PYTHON)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (poverty-analysis)" >/dev/null
	@touch $@
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	@$(PYTHON) tools/mkvenv.py $(PYTHON) --dev
	@touch $@

venv: $(STAMP) ## Create .venv from requirements.lock (uv, else pip) and register the Jupyter kernel
venv-dev: $(DEV_STAMP) ## Add the development and browser tools to .venv (requirements-dev.lock; make test does it)

# The locks and environment.yml are generated from pyproject.toml, never edited by hand.
# Add or change a dependency in pyproject.toml, then `make lock`; upgrade one with
# `make lock UPGRADE=pandas` (uv keeps every other version).
UPGRADE ?=
lock: ## Regenerate requirements.lock, requirements-dev.lock and environment.yml from pyproject.toml (uv)
	@test -x $(UV) || $(PYTHON) tools/mkvenv.py $(PYTHON) --uv >/dev/null
	$(PYTHON) tools/lock.py compile $(UV) $(foreach p,$(UPGRADE),--upgrade-package $(p))

# analysis.data.build rewrites a processed file only when its content changes, so touching a raw
# table revalidates everything but reruns only the reports whose inputs really changed.
$(VALIDATED): $(RAW_FILES) $(DATA_SRC) | $(STAMP)
	$(PY) -m analysis.build.data
$(PROCESSED): $(VALIDATED)
	@test -f $@ || { rm -f $(VALIDATED); $(MAKE) --no-print-directory $(VALIDATED); }

data: $(PROCESSED) ## Validate the raw tables and write data/processed/

# The external figures are a checksummed copy in data/raw/external/; this is the only way to
# update it: the candidate (with the README.md beside it) is validated against every raw table
# first, then figures.csv, README.md and SHA256SUMS are replaced together and make data reruns.
FIGURES ?=
external: | $(STAMP) ## Install a new external figures file: make external FIGURES=path/to/figures.csv
	@test -n "$(FIGURES)" || { echo "usage: make external FIGURES=path/to/figures.csv (with its README.md beside it)" >&2; exit 2; }
	$(PY) -m analysis.data.external_update update "$(FIGURES)"
	@$(MAKE) --no-print-directory data

# Each run depends on its notebook, its processed inputs, the build driver and exactly the
# package modules its notebook imports (DEPS_<notebook>, computed from the imports by
# analysis.build.deps into build/deps.mk), so editing one report module reruns only the
# runs that import it. deps.py needs only the standard library (no venv).
BUILD_SRC := $(addprefix src/analysis/build/,report.py runs.py kernels.py) $(wildcard src/analysis/build/templates/report/*)
# The index, catalog and table pages: their builder, the findings and the Jinja2 templates.
SITE_SRC := src/analysis/build/site.py src/analysis/build/record.py src/analysis/build/findings.py src/analysis/build/citations.py $(wildcard src/analysis/build/templates/*.*)
build/deps.mk: $(NOTEBOOKS) $(shell find src/analysis -name '*.py' 2>/dev/null)
	@PYTHONPATH=src $(PYTHON) -m analysis.build.deps $@
include build/deps.mk

# Make decides which runs are stale: build/runs/<run>.inputs depends on exactly that run's
# inputs and is touched when one of them changed (or its report is missing). One driver
# process then executes every run whose report is older than its marker, in a pool of
# kernels reused across runs and notebooks (analysis.build.kernels; ANALYSIS_BUILD_JOBS
# worker processes, default the CPUs): kernel start-up and the imports of the scientific
# stack are paid once per worker, not once per run. The driver writes each report
# atomically, so a failed run never leaves half a file (the reports are precious) and
# stays stale for the next `make report`.
RUN_NOTEBOOK = $(word 2,$(subst :, ,$(filter $(1):%,$(RUNS))))
RUN_MARKERS := $(foreach n,$(RUN_NAMES),build/runs/$(n).inputs)
# The vocabularies under data/raw/ (indicators, regions, units, series breaks, literature bands,
# pair and basis notes, region overlaps, headlines) are read by the reports themselves, not only
# through data/processed/, so a change to any of them reruns every run. The observation tables,
# claims, consistency checks, sources and external indicators reach the reports only through
# data/processed/: touching one of them reruns only the runs whose processed inputs changed.
RUN_VOCAB := $(sort $(filter-out data/raw/observations_% data/raw/claims.csv data/raw/consistency.csv \
  data/raw/sources.csv data/raw/external_indicators.csv,$(wildcard data/raw/*.csv)))
define run_rule
build/runs/$(1).inputs: notebooks/$(2).ipynb $(RUN_INPUTS_$(1)) $(RUN_VOCAB) $$(DEPS_$(2)) $(BUILD_SRC) $(if $(wildcard reports/$(1).html),$(if $(wildcard reports/$(1).ipynb),,FORCE),FORCE)
	@mkdir -p $$(@D) && touch $$@
endef
$(foreach n,$(RUN_NAMES),$(eval $(call run_rule,$(n),$(call RUN_NOTEBOOK,$(n)))))
build/reports.stamp: $(RUN_MARKERS) | $(STAMP)
	@$(PY) -m analysis.build.report stale && touch $@
$(REPORT_HTML): build/reports.stamp ;
.PRECIOUS: $(REPORT_HTML)
.PHONY: FORCE
FORCE:

# The processed tables for Stata and Excel users, and the panel (all files or none; touched so that
# Make sees them current when their content did not change).
DATA_EXPORTS := reports/data/observations.dta reports/data/observations.xlsx reports/data/panel.dta reports/data/panel.csv \
                reports/data/observations.csv reports/data/sources.csv reports/data/regions.csv reports/data/datapackage.json
$(DATA_EXPORTS) &: $(PROCESSED) data/raw/regions.csv data/raw/units.csv $(addprefix src/analysis/data/,exports.py codebook.py columns.py) | $(STAMP)
	@$(PY) -m analysis.data.exports && touch $(DATA_EXPORTS)

reports/index.html: $(DATA_EXPORTS) build/reports.stamp $(REPORT_HTML) $(PROCESSED) $(BUILD_SRC) $(SITE_SRC) src/analysis/build/exports.py | $(STAMP)
	@$(PY) -m analysis.build.report index

report: reports/index.html ## Build every report, figure and table, and reports/index.html
	@echo "make report: reports are current; open reports/index.html"

screenshots: report | $(DEV_STAMP) ## Check every page of reports/ in headless Chromium at 1280 x 800; PNGs to reports/screenshots/
	$(PY) -m analysis.build.browser reports --screenshots reports/screenshots

notebooks: $(PROCESSED) | $(STAMP) ## Re-execute the committed notebooks in place (refresh their outputs for nbval; figures/tables to build/interactive/)
	$(PY) -m analysis.build.report notebook $(NOTEBOOKS)

# Style and types: ruff (lint and format check; config in pyproject.toml) on the Python code,
# mypy on the package (incremental cache in .mypy_cache). `make format` applies ruff's fixes.
LINT_PATHS := src tests benchmarks tools
lint: | $(DEV_STAMP) ## Ruff (lint + format check) and mypy on src/analysis; run by make test
	@$(BIN)/ruff check --quiet $(LINT_PATHS) && echo "ruff check: no findings"
	@$(BIN)/ruff format --check --quiet $(LINT_PATHS) && echo "ruff format: formatted"
	@$(BIN)/mypy

format: | $(DEV_STAMP) ## Apply ruff's automatic fixes and formatting to src, tests, benchmarks, tools
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

readme: $(PROCESSED) | $(STAMP) ## Regenerate the result blocks of README.md, docs/ and benchmarks/README.md from the report tables and benchmarks/results.md
	$(PY) -m analysis.build.readme --write

hooks: | $(DEV_STAMP) ## Optional: install the pre-commit hooks and nbdime's git diff/merge drivers for notebooks
	$(BIN)/pre-commit install
	$(BIN)/nbdime config-git --enable

NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg
# Tests marked `full` are left to CI (CI=true, .ci/run) and `make test-full`; `make test` skips them
# and prints why (tests/conftest.py): a second whole build compared byte for byte, figures drawn
# twice, a second papermill run, and the outside programs (headless Chromium, a JupyterLab server,
# uv resolving the lock against the package index). No test executes a notebook's default run a
# second time: nbval does it.
# Tests marked `driver` (the build driver or its kernels in other processes) run in `make test`
# only when the build layer differs from the last commit (tests/helpers.py DRIVER_PATHS); CI and
# `make test-full` always run them. Outside CI, nbval's notebooks share one kernel per worker
# (analysis.build.pytest_plugin).
# Outside CI, notebook runs that are not build runs (nbval, the exploratory runs) save their
# figures as PNG only (ANALYSIS_FIGURE_FORMATS, analysis.reports.figures): the SVG and PDF copies
# cost two more draws of every figure. Build runs in the tests still write all three; CI writes
# all three everywhere.
comma := ,
TEST_FORMATS := $(if $(filter true 1,$(CI)),png$(comma)svg$(comma)pdf,png)
test: lint $(PROCESSED) | $(DEV_STAMP) ## Lint, then the unit tests (documentation numbers and links, docstring examples) and nbval
	ANALYSIS_REPORTS_DIR=$(CURDIR)/build/nbval-outputs ANALYSIS_FIGURE_FORMATS=$(TEST_FORMATS) \
	  $(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder tests notebooks $(NBVAL)

test-full: ## make test plus the tests marked `full` and `driver` (what CI runs)
	$(MAKE) --no-print-directory test CI=true

LAB_ARGS ?=
NAME ?=
own: ## Start a notebook of your own from the template: make own NAME=my_analysis (notebooks/own/, left alone by make test)
	@$(PYTHON) tools/own_notebook.py "$(NAME)"

lab: $(PROCESSED) | $(STAMP) ## Start JupyterLab with the project kernel on 127.0.0.1
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=$(CURDIR) \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

clean: ## Remove generated files (data/processed, reports, build); keeps .venv
	rm -rf data/processed/*.csv $(VALIDATED) build .pytest_cache
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

# `make bench BENCH=--fresh-clone` times only a fresh clone's `make report` with empty package caches
# against a cold one (benchmarks/bench.py); BENCH="--repeat 1" etc. pass other options.
BENCH ?=
bench: $(PROCESSED) | $(DEV_STAMP) ## Benchmark make report/test against the floor; writes benchmarks/results.md and the table in benchmarks/README.md
	$(PY) benchmarks/bench.py $(BENCH)
	$(PY) -m analysis.build.readme --write
