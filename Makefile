# `make run` and `make test` work from a fresh clone: they build .venv, install the pinned
# requirements, compile the translations, and do the rest themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
PO := translations/ja/LC_MESSAGES/messages.po
MO := translations/ja/LC_MESSAGES/messages.mo
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# The address links in mail sent by `flask` commands start with (pages use each request's own address).
SITE_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))

.PHONY: run test lint bench bench-reports translations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.run-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.run-installed
install-dev: $(VENV)/.dev-installed

$(MO): $(PO) $(VENV)/.run-installed
	$(BIN)/pybabel compile -d translations

translations: $(MO)

run: install translations
	mkdir -p instance
	printf 'http://%s:%s\n' '$(SITE_HOST)' '$(PORT)' > instance/site-url
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) refresh-catalogue
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) --no-control-socket \
		--max-requests 5000 --max-requests-jitter 500 --access-logfile - wsgi:app

# Lint and the import contracts first (pyproject.toml): a new cycle or an arrow running back up fails fast.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: install-dev translations lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev translations
	$(BIN)/python -m bench $(BENCH_ARGS)

# The staff reports on 50,000 exchanges, 200,000 enrolments and 50,000 certificates (see README).
bench-reports: install-dev translations
	$(BIN)/python -m bench.reports $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(MO) .pytest_cache
