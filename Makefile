# Two commands on a fresh machine: `make site` builds the sample site, `make test` runs every test.
# Each installs what it needs (a virtual environment, Chromium for browser tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test serve check browser clean bench-serve

site: $(VENV)/.installed
	$(PY) -m generator build --strict

check: $(VENV)/.installed
	$(PY) -m generator check --strict

serve: $(VENV)/.installed
	$(PY) -m generator serve

# Edit-to-served latency, no-change and template rebuilds of `showcase serve` on 1,000 generated models.
bench-serve: $(VENV)/.installed
	$(PY) bench/serve_bench.py

test: $(VENV)/.installed-test browser
	$(PY) -m pytest -q

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium; there is no browser download at test time.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site .cache
