# Poverty-alleviation analysis suite. `make help` lists the targets.
#
# Every target that needs Python depends on the virtual environment (.venv), which is
# created from the exact pins in requirements.txt when missing or out of date. The
# report build uses real file targets, so a no-op `make report` does nothing.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
KERNEL := poverty-analysis
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

RAW_TABLES := $(wildcard data/raw/*.csv)
RAW_FILES  := $(RAW_TABLES) $(wildcard data/raw/documents/*) $(wildcard data/raw/external/*)
DATA_SRC   := $(addprefix src/analysis/,__init__.py paths.py errors.py csvio.py numbers.py units.py \
                schema.py provenance.py raw.py derive.py build_data.py load.py)
PROCESSED  := data/processed/observations.csv

.PHONY: help venv data report notebooks test lab clean bench

help: ## List every target with a one-line description
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version' 
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --disable-pip-version-check --no-input -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check --no-input -q --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (poverty-analysis)" >/dev/null
	@touch $@

venv: $(STAMP) ## Create .venv from the pinned requirements and register the Jupyter kernel

$(PROCESSED): $(RAW_FILES) $(DATA_SRC) | $(STAMP)
	$(PY) -m analysis.build_data

data: $(PROCESSED) ## Validate the raw tables and write data/processed/

test: $(STAMP) ## Run the unit tests and nbval on the committed notebooks
	$(PY) -m pytest

lab: $(STAMP) ## Start JupyterLab with the project kernel on 127.0.0.1
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=.

clean: ## Remove generated files (data/processed, reports); keeps .venv
	rm -rf data/processed/*.csv reports/* .pytest_cache
