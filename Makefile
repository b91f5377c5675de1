# forcebook — `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

# One BLAS thread per process: notebooks run one kernel per core, and every command (build, nbval,
# refreshing the committed outputs) computes with the same thread count.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PERIOD ?= 2019-12
PARAMS := params/$(PERIOD).yml
# What WeasyPrint needs from the system to print the PDF (present on most Debian machines).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: help setup pdf-libs browser demo-data report report-all lint test test-fast notebooks bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@echo "  variables: PERIOD=$(PERIOD) (a file params/<PERIOD>.yml)"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

pdf-libs: ## install what WeasyPrint needs to print the PDF (Debian, as root), or say how
	@if ldconfig -p | grep libpangoft2-1.0 >/dev/null && fc-list | grep -i "DejaVu Sans" >/dev/null; then \
	  echo "pdf-libs: Pango and the DejaVu fonts found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "pdf-libs: installing $(PDF_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null; \
	else \
	  echo "pdf-libs: Pango or the DejaVu fonts not found; the PDF cannot be printed. Run: sudo apt-get install --no-install-recommends $(PDF_PACKAGES)"; \
	fi

browser: ## install headless Chromium for the accessibility tests (Debian, as root), or say how
	@if command -v chromium >/dev/null; then \
	  echo "browser: chromium found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "browser: installing chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else \
	  echo "browser: chromium not found; the accessibility tests will be skipped. To get it, run:"; \
	  echo "  sudo apt-get install --no-install-recommends chromium"; \
	fi

data/demo/.complete: $(VENV)/.installed
	$(PY) -m lib demo-data

setup: $(VENV)/.installed pdf-libs data/demo/.complete ## create .venv, install everything, generate the demo data

demo-data: $(VENV)/.installed ## (re)generate the seeded demo data in data/demo/
	$(PY) -m lib demo-data

report: setup ## build the book for PERIOD (default 2019-12) into _build/<PERIOD>/
	$(PY) -m lib build --params $(PARAMS)

report-all: setup ## build every period in params/
	@for p in params/[0-9][0-9][0-9][0-9]-[0-9][0-9].yml; do $(PY) -m lib build --params $$p; done

lint: $(VENV)/.installed ## check the code with ruff, the layers with import-linter, the spelling with codespell
	$(VENV)/bin/ruff check lib tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/codespell lib tests bench README.md params book _config.yml _toc.yml

test: setup browser ## run every test: unit, data, failure drills, nbval and an end-to-end build
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-fast: setup ## unit tests only (skips end-to-end builds)
	$(PY) -m pytest tests -m "not build"

notebooks: setup ## re-execute notebooks/ for the default period and store their outputs (for nbval)
	$(PY) -m lib refresh-notebooks

bench: setup ## time a full period build and each stage, and lib.erlang against pyworkforce
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/bench_build.py --params $(PARAMS)
	$(PY) bench/bench_erlang.py

clean: ## remove built books (keeps .venv and data)
	rm -rf _build
