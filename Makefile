# Every target installs what it needs first. PORT overrides the port of `make run`.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
SRO := $(RUN) python -m sro

.PHONY: install install-serve run demo test test-fast lint typecheck format pytest deadcode bench bench-web loadtest clean system-deps browser-deps messages vendor-js screenshots

# Two installs into the one .venv/, each with its own stamp:
# - `make install` (lint, tests, bench): everything in uv.lock, with pyproject's default groups
#   `dev` (test tools) and `spark` (PySpark, about 470 MB, built from source the first time);
# - `make install-serve` (run, demo): only what serving needs, the project's own dependencies.
#   --no-default-groups leaves out dev and spark; --inexact keeps what `make install` put there,
#   so `make run` after `make test` removes nothing, and `make test` after `make run` adds the rest.
# The serving commands run with `uv run --no-sync`: a plain `uv run` would first install the
# default groups. uv shows its progress as it downloads and installs.
install: .venv/.installed
install-serve: .venv/.installed-serve

UV_BOOTSTRAP := $(UV) --version >/dev/null 2>&1 || { echo "Installing uv with pip"; python3 -m pip install --quiet uv; }

.venv/.installed: pyproject.toml uv.lock
	@$(UV_BOOTSTRAP)
	$(UV) sync --frozen
	@touch $@

.venv/.installed-serve: pyproject.toml uv.lock
	@$(UV_BOOTSTRAP)
	@echo "Installing what serving needs into .venv/ (not the test tools or PySpark: make test adds them)"
	$(UV) sync --frozen --inexact --no-default-groups
	@touch $@

SERVE := $(UV) run --frozen --no-sync python -m sro
URL := http://127.0.0.1:$(PORT)

run: install-serve
	@echo "Preparing the database (the first time, this also loads the Palm Springs Unified demo)"
	@$(SERVE) migrate --noinput -v0
	@$(SERVE) demo --if-empty
	@echo
	@echo "Starting sro. When the server says it is running, open:"
	@echo "  $(URL)/               sign in with a username above and its password"
	@echo "  $(URL)/public/        the public site, in English and Spanish, no sign-in"
	@echo "  $(URL)/api/v1/docs    the REST API's documentation"
	@echo "Stop it with Ctrl-C."
	@echo
	$(SERVE) runserver 127.0.0.1:$(PORT)

demo: install-serve
	$(SERVE) migrate --noinput -v0
	$(SERVE) demo --reset

# The order of the apps (which may import which) is written once, in .importlinter.
lint: install deadcode
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports --no-cache
	$(RUN) mypy .

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

# Two workers (pytest-xdist) on the 2-core machine; WORKERS=0 runs in this process (for pdb).
# `loadgroup`: the tests marked xdist_group("cpu-heavy") (Spark, the benchmark smoke test, the
# property check) run one after another on one worker instead of side by side.
# PYTEST_ARGS adds arguments, e.g. PYTEST_ARGS="sro/staffing -x" or "--database-only --no-cov".
WORKERS ?= 2
PYTEST_ARGS ?=
pytest: install browser-deps
	$(RUN) pytest -n $(WORKERS) --dist loadgroup --cov --cov-report=term:skip-covered -p no:cacheprovider $(PYTEST_ARGS)

test: lint pytest

# The fast loop: no lint, no coverage, no browser, Spark or statistical tests.
test-fast: install
	$(RUN) pytest -n $(WORKERS) --dist loadgroup -p no:cacheprovider -m "not slow" $(PYTEST_ARGS)

# Re-take the screenshots in docs/screenshots (the only target that writes them).
screenshots: install browser-deps
	SRO_SCREENSHOTS=docs $(RUN) pytest -p no:cacheprovider -p no:randomly tests/browser

# Functions, methods, classes and imports nothing uses (vulture; settings in pyproject.toml).
# Model fields and choices are left out: Django and the templates read them by name.
deadcode: install
	@out="$$($(RUN) vulture | grep -E "unused (function|method|class|property|import)" || true)"; \
	if [ -n "$$out" ]; then echo "$$out"; echo "Remove it, or list it in vulture_whitelist.py saying who uses it."; exit 1; fi; \
	echo "deadcode: nothing unused"

bench: install
	$(RUN) python -m sro.oversight.bench

# Every main page at the demo's size and at 10x, one client (docs/performance.md); about 5 minutes.
bench-web: install
	$(RUN) python -m sro.web.bench

# 50 users for 60 s on gunicorn (4 workers) on 127.0.0.1 against the demo: each page's p50 and p95
# beside the health check's; fails on an error or a p95 over 3x the health check's. USERS, SECONDS.
USERS ?= 50
SECONDS ?= 60
loadtest: install
	$(RUN) python -m sro.web.loadtest --users $(USERS) --seconds $(SECONDS)

clean:
	rm -rf .venv var .mypy_cache .ruff_cache .coverage


# System packages, installed with apt-get only when one is missing (non-interactive, after
# apt-get update): Debian's Chromium for the browser tests (never `playwright install`),
# Pango for WeasyPrint's PDFs, GNU gettext for the translation catalogue, npm for axe-core,
# a Java runtime for the Spark tests.
# Without root or sudo it says what is missing and carries on (the browser tests then skip).
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	for p in $(SYSTEM_LIBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="$$(command -v sudo || true)"; fi; \
	if ! command -v apt-get >/dev/null 2>&1 || { [ "$$(id -u)" != 0 ] && [ -z "$$sudo" ]; }; then \
	  echo "Missing system packages:$$missing (install them; without chromium the browser tests are skipped, without java the Spark tests)"; exit 0; \
	fi; \
	echo "Installing system packages:$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	  || echo "Could not install$$missing (without chromium the browser tests are skipped)"

# axe-core for the accessibility check, from package-lock.json (Node is needed for nothing else).
browser-deps: system-deps node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js to run the accessibility check"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Spanish catalogue: extract the strings, then compile django.mo (commit both files).
messages: install system-deps
	$(RUN) python manage.py makemessages -l es --ignore "var/*" --ignore "node_modules/*" --ignore "docs/*" \
	  --ignore "tests/*" --add-location file
	$(RUN) python manage.py compilemessages -l es -i .venv -i node_modules -i var

# How sro/web/static/vendor/vega* were made (versions and licences: docs/libraries.md).
VEGA := vega@6.4.0 vega-lite@6.4.1 vega-embed@7.3.0 vega-interpreter@2.3.2
vendor-js:
	rm -rf var/vendor && mkdir -p var/vendor
	cd var/vendor && npm pack --silent $(VEGA) && for f in *.tgz; do mkdir -p "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	cp var/vendor/vega-6.4.0/package/build/vega.min.js var/vendor/vega-lite-6.4.1/package/build/vega-lite.min.js \
	  var/vendor/vega-embed-7.3.0/package/build/vega-embed.min.js sro/web/static/vendor/
	for p in vega-6.4.0:vega vega-lite-6.4.1:vega-lite vega-embed-7.3.0:vega-embed vega-interpreter-2.3.2:vega-interpreter; do \
	  cp "var/vendor/$${p%%:*}/package/LICENSE" "sro/web/static/vendor/licenses/$${p##*:}.LICENSE"; done
	$(RUN) python -m sro.web.vendor_interpreter var/vendor/vega-interpreter-2.3.2/package/build/vega-interpreter.js \
	  sro/web/static/vendor/vega-interpreter.js
