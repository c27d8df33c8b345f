# Kent: two commands matter. `make demo` sets everything up and serves the demo district on
# http://127.0.0.1:8000 until Ctrl-C; `make test` sets everything up and runs the whole suite.
VENV   ?= .venv
PY     := $(VENV)/bin/python
OSM    ?=
FILE   ?=

.PHONY: setup demo test lint backup restore bench

setup:
	bash scripts/setup.sh

demo: setup
	bash scripts/demo.sh $(OSM)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

backup: setup
	$(PY) manage.py backup

restore: setup
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/kent-....tar" >&2; exit 2)
	$(PY) manage.py restore "$(FILE)"

bench: setup
	bash bench/run.sh
