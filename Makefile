# Every target installs what it needs first. PORT overrides the port of `make run`.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
SRO := $(RUN) python -m sro

.PHONY: install run demo test lint typecheck format pytest bench clean

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

run: install
	$(SRO) migrate --noinput -v0
	$(SRO) demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT)/  (public site: /public/, API docs: /api/v1/docs)"
	$(SRO) runserver 127.0.0.1:$(PORT)

demo: install
	$(SRO) migrate --noinput -v0
	$(SRO) demo --reset

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

pytest: install
	$(RUN) pytest --cov --cov-report=term:skip-covered -p no:cacheprovider

test: lint pytest

bench: install
	$(RUN) python -m sro.oversight.bench

clean:
	rm -rf .venv var .mypy_cache .ruff_cache .coverage
