# Two commands do all the set-up on a machine with only Python 3.11:
#   make demo   creates .venv, installs, ingests data_samples/ and writes a KPI table
#   make test   creates .venv if missing, runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv demo test lint format samples bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/kpi demo --workspace data_samples

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check kpi_notebook_lib tests bench data_samples
	$(BIN)/ruff format --check kpi_notebook_lib

format: venv
	$(BIN)/ruff format kpi_notebook_lib

samples: venv
	$(BIN)/python data_samples/generate.py

bench: venv
	$(BIN)/python bench/kpi_scale.py

clean:
	rm -rf $(VENV) data_samples/store data_samples/reports .pytest_cache
