# Wijkfonds: every set-up step lives here, so that `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wijkfonds
PORT   ?= 5000
export WIJKFONDS_DATABASE_URL ?= sqlite:///$(CURDIR)/instance/wijkfonds.sqlite3

.PHONY: demo test install migrate demo-data serve bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p instance
	$(FLASK) db upgrade

demo-data: migrate
	$(FLASK) demo

demo: demo-data
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest -n 2

bench: install
	$(PY) benchmarks/allocation.py

clean:
	rm -rf $(VENV) instance .pytest_cache
