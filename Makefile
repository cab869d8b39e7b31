# Two commands on a fresh machine: `make site` builds the sample site, `make test` runs every test.
# Each installs what it needs (a virtual environment, Chromium for browser tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test serve check browser clean bench-images

site: $(VENV)/.installed
	$(PY) -m generator build --strict

check: $(VENV)/.installed
	$(PY) -m generator check --strict

serve: $(VENV)/.installed
	$(PY) -m generator serve

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

# Photo pipeline: 100 photos of 4000×3000 cold and warm, and bytes a phone downloads (see bench/).
bench-images: $(VENV)/.installed-test browser
	$(PY) bench/images_bench.py
