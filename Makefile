# Bro: the two commands of the README, and the helpers they use.
#   make run   set up and start Bro with a demo municipality on http://127.0.0.1:5000
#   make test  set up and run every test, browser tests included
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app app

.PHONY: run test bench fuzz soak install install-test chromium nginx vnu translations compile lint content-check clean audit lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# requirements.lock pins every package, indirect ones too, so what is tested and audited is what runs.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's nginx runs the production recipe (deploy/nginx.conf) in tests/test_nginx.py and make bench.
nginx:
	@command -v nginx >/dev/null 2>&1 || { \
		echo "Installing Debian's nginx for the production-recipe test…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# The Nu Html Checker (the W3C validator) from npm, run by Debian's Java: tests/test_html_valid.py.
VNU := .bench/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU):
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's npm for the HTML checker…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm install --silent --no-audit --no-fund --prefix .bench vnu-jar@26.9.27
vnu: $(VNU)
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's default-jre-headless for the HTML checker…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# Compile the gettext catalogs (.po → .mo). Fuzzy entries are never compiled.
compile: $(VENV)/.installed
	$(BIN)/pybabel compile --directory translations --statistics

# Extract the strings from code and templates, merge them into every catalog, compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext \
		--no-location --sort-output --project Bro --output-file translations/messages.pot .
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations \
		--no-fuzzy-matching --ignore-obsolete
	SECRET_KEY=unused $(FLASK) translations fill-source
	$(MAKE) compile
	-SECRET_KEY=unused $(FLASK) translations report

run: $(VENV)/.installed compile
	BRO_DEV=1 $(FLASK) init-db
	BRO_DEV=1 $(FLASK) seed-demo
	@echo "Bro is starting on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo "(Passkeys need a host name: try them at http://localhost:$(PORT)/)"
	BRO_DEV=1 $(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test chromium nginx vnu compile audit
	SECRET_KEY=unused BRO_DATABASE=$$(mktemp -d)/check.sqlite3 $(FLASK) content check
	$(BIN)/python -m pytest

# Page weight and Lighthouse scores under gunicorn (a measurement, not a test; takes minutes).
.bench/node_modules/.bin/lighthouse:
	npm install --silent --no-audit --no-fund --prefix .bench lighthouse@13.5.0

bench: $(VENV)/.installed-test chromium nginx compile .bench/node_modules/.bin/lighthouse
	@command -v wrk >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python scripts/bench.py

# No lost writes: 50 clients for 60 s, then again with the server killed mid-burst (make soak).
soak: $(VENV)/.installed compile
	$(BIN)/python scripts/soak.py

# The fuzz properties of the test suite with many more examples (make test runs 25 each).
fuzz: $(VENV)/.installed-test compile
	BRO_FUZZ_EXAMPLES=$${BRO_FUZZ_EXAMPLES:-500} $(BIN)/python -m pytest tests/test_fuzz.py -q

# Known vulnerabilities in the locked packages, from PyPI's advisory data (what pip-audit reads).
audit: $(VENV)/.installed
	$(BIN)/python scripts/audit_deps.py

# Rewrite requirements.lock from a clean install of pyproject.toml (after changing a pin there).
lock: | $(BIN)/python
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet '.[test]'
	{ sed -n '/^#/p' requirements.lock; .lock-venv/bin/pip freeze --exclude bro; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests scripts
	$(BIN)/ruff format --check app tests scripts

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name '__pycache__' -prune -exec rm -rf {} +
