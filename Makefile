# Two entry points: `make report` and `make test`. Both create .venv if missing.
# `make bench` runs the benchmarks (benchmarks/README.md); `make bench LARGE=1` also
# generates (once) and runs the 100M-line client in the full-run benchmark.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENT ?= data/sample

.PHONY: report test validate lint format bench sample clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kk)"
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install --attributes .gitattributes
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/kk run $(CLIENT)

validate: $(STAMP)
	$(BIN)/kk validate $(CLIENT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_customer_table.py
	$(BIN)/python benchmarks/bench_readers.py
	$(BIN)/python benchmarks/bench_excel.py
	$(BIN)/python benchmarks/bench_run.py $(if $(LARGE),--lines 100000000)

sample: $(STAMP)
	$(BIN)/python -m kk_helpers.sample data/sample

clean:
	rm -rf reports .pytest_cache
