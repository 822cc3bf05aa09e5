# Two commands do all the set-up on a machine with only Python 3.11:
#   make demo   creates .venv, installs, ingests data_samples/ and writes a KPI table
#   make test   creates .venv if missing, runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv fonts demo test lint format samples notebooks bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

# PDF reports render emoji with a colour emoji font; install it when missing (Debian, as root).
fonts:
	@if command -v fc-list >/dev/null 2>&1 && ! fc-list | grep -qi "Noto Color Emoji"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing the emoji font for PDF reports (fonts-noto-color-emoji)..."; \
	    apt-get install -y -q fonts-noto-color-emoji >/dev/null 2>&1 \
	    || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-noto-color-emoji >/dev/null 2>&1) \
	    || echo "warning: fonts-noto-color-emoji could not be installed: emoji show as boxes in PDFs"; \
	  else echo "note: install fonts-noto-color-emoji to see emoji in PDF reports"; fi; \
	fi

demo: venv fonts
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

notebooks: venv
	$(BIN)/python tools/make_notebooks.py
	$(BIN)/python tools/make_training.py

bench: venv
	$(BIN)/python bench/kpi_scale.py

clean:
	rm -rf $(VENV) data_samples/store data_samples/reports .pytest_cache
