# The two commands of the README:
#   make serve   installs everything, builds the site and serves it on http://127.0.0.1:8000
#   make test    installs everything (Chromium too) and runs the whole test suite
# Also: make build (site/ only, for the address in ATLAS_SITE_URL), make bench (the benchmark figures), make lint, and
# make check (lint and every test that needs no site build and no browser: the working loop).

VENV ?= .venv
PY := $(VENV)/bin/python
# Two deprecation banners (Material's end of life, a ProperDocs notice) print on every build.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible builds: sitemap dates follow the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build test check bench lint setup chromium

serve: setup
	$(VENV)/bin/mkdocs serve

build: setup
	$(VENV)/bin/mkdocs build

# Two workers (pytest-xdist) share the test files out; tests/conftest.py says what they share.
test: setup chromium
	$(VENV)/bin/pytest -n 2 --dist loadfile --durations=25

check: lint
	$(VENV)/bin/pytest -n 2 --dist loadfile -m "not site" -q

# Lighthouse (npm) is only for the benchmark: installed beside the cache, not for every user.
bench: setup chromium
	test -x .cache/lighthouse/node_modules/.bin/lighthouse || npm install --prefix .cache/lighthouse --no-save --no-audit --no-fund lighthouse@13.5.0
	$(PY) tests/benchmark.py
	$(PY) tests/bench_explore.py

lint: setup
	$(VENV)/bin/ruff check gen tests
	$(VENV)/bin/ruff format --check gen tests

setup: $(VENV)/.installed node_modules/.installed

# torch==2.13.0 is the CPU wheel on this machine's disk (PIP_FIND_LINKS); pip, not uv, sees it.
# timm comes without its dependencies: all are installed by the first line except torchvision,
# whose only build for torch 2.13.0 is a CUDA one that cannot import here (timm.scheduler needs torch alone).
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --progress-bar on -c constraints.txt -e '.[test]'
	$(PY) -m pip install --progress-bar on --no-deps -c constraints.txt timm
	touch $@

# KaTeX renders the math at build time; installed from npm, never copied into the repository.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
