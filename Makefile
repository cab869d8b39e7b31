# Two commands on a fresh machine: `make site` builds the sample site, `make test` runs every test.
# Each installs what it needs (a virtual environment, Chromium for browser tests).
PYTHON ?= python3
.DEFAULT_GOAL := site
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test lint test-search-corpus fuzz serve check browser hosting clean audit screenshots bench bench-quick bench-images bench-serve

# --publish: compressed copies and content-named theme files for the web server (docs/xuat-ban.md).
site: $(VENV)/.installed node_modules/.installed
	$(PY) -m generator build --strict --publish

check: $(VENV)/.installed
	$(PY) -m generator check --strict

serve: $(VENV)/.installed
	$(PY) -m generator serve

# Edit-to-served latency, no-change and template rebuilds of `showcase serve` on 1,000 generated models.
bench-serve: $(VENV)/.installed node_modules/.installed
	$(PY) bench/serve_bench.py

test: lint $(VENV)/.installed-test browser hosting node_modules/.installed
	$(PY) -m pytest -q

# Pyflakes/pycodestyle (ruff) over the code and tests, and types (mypy) over the package: kept green.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/mypy

# The golden search queries on a generated 1,000-model corpus alone (tests/test_search_relevance.py);
# `make test` runs them too.
test-search-corpus: $(VENV)/.installed-test browser
	$(PY) -m pytest -q -m corpus tests/test_search_relevance.py

# Property-based tests (tests/test_fuzz.py) with many random examples: `make test` runs a small fixed set.
# FUZZ_EXAMPLES sets how many per test (default 400, about five minutes on two cores).
fuzz: $(VENV)/.installed-test
	SHOWCASE_FUZZ=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py

# Speed is measured here, never in a timed unit test: every bench/*_bench.py prints medians and corpus sizes.
# build_bench.py compares with Hugo + Pagefind and Pelican at 1,000 and 10,000 models (slow: about
# half an hour on two cores); BENCH_MODELS=1000 or `make bench-quick` for the first size only.
bench: $(VENV)/.installed-bench browser node_modules/.installed
	@for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done

bench-quick: $(VENV)/.installed-bench node_modules/.installed
	$(PY) bench/build_bench.py --models 1000

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium (no browser download at test time); the Nu HTML Checker
# needs a Java runtime.
# Another apt run (unattended upgrades, a colleague's install) holds the dpkg lock: wait for it.
APT := $(SUDO) apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3
browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT) update -qq && \
		$(APT) install -y -qq chromium >/dev/null; }
	@command -v java >/dev/null 2>&1 || { $(APT) update -qq && \
		$(APT) install -y -qq default-jre-headless >/dev/null; }

# tests/test_hosting_nginx.py serves a built site through Debian's nginx with deploy/nginx/showcase.conf,
# which sends the build's .br copies through the brotli_static module.
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
hosting:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 && test -f $(NGINX_BROTLI) || { \
		$(APT) update -qq && $(APT) install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null; }

# From npm, pinned in package-lock.json: Leaflet (copied into the built site, so no CDN) and the
# theme checks: axe-core (injected by the browser tests), the Nu HTML Checker and Lighthouse.
# Scripts are skipped: vnu-jar's would download a JDK.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Lighthouse, mobile settings, on the five key pages of site/ (slow: not part of `make test`).
audit: site $(VENV)/.installed-test browser
	$(PY) -m tests.browser.audit site

# PNGs of the key pages, the planner, search results (390 px, 1280 px) and the booklet printed to PDF.
screenshots: site $(VENV)/.installed-test browser
	$(PY) -m tests.browser.screenshots site screenshots

clean:
	rm -rf site .cache screenshots

# Photo pipeline: 100 photos of 4000×3000 cold and warm, and bytes a phone downloads (see bench/).
bench-images: $(VENV)/.installed-test browser
	$(PY) bench/images_bench.py
