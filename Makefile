# Two commands set up everything on a fresh machine:
#   make demo   ingest seeds/ into quotes.db and serve it on http://127.0.0.1:8001
#   make test   run the whole test suite (installs Debian's chromium for the browser test)
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test browser bench eval clean

# the install compiles the engine (setup.py), so an edit to it installs again
$(BIN)/.installed: pyproject.toml setup.py $(wildcard quotes/extract/*.py)
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/quotes ingest quotes.db seeds/
	$(BIN)/quotes serve quotes.db

# Playwright may not download a browser here: the test drives Debian's chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: $(BIN)/.installed browser
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_extract.py

eval: $(BIN)/.installed
	$(BIN)/quotes eval ../shared/gold/polnear/dev.jsonl
	$(BIN)/quotes eval ../shared/gold/seed.jsonl

clean:
	rm -rf $(VENV) quotes.db build quotes/extract/*.so quotes/extract/_built.py
