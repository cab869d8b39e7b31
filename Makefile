# Two commands on a fresh machine: `make site` builds the sample site, `make test` runs every test.
# Each installs what it needs (a virtual environment, Chromium for browser tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test serve check browser bench clean

site: $(VENV)/.installed
	$(PY) -m generator build --strict

check: $(VENV)/.installed
	$(PY) -m generator check --strict

serve: $(VENV)/.installed
	$(PY) -m generator serve

test: $(VENV)/.installed-test browser node_modules/.installed
	$(PY) -m pytest -q

# Speed is measured here, never in a timed unit test: every bench/*_bench.py prints medians and corpus sizes.
bench: $(VENV)/.installed-test browser
	@for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# axe-core for the accessibility checks in the browser tests, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

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
