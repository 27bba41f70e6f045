# Профмаршрут — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test lint translations messages bench css clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d translations 2>/dev/null

## make messages: collect new UI strings into translations/*.po (then fill in the English ones)
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --omit-header \
	  --sort-output --no-location .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

## make run: install, migrate, load demo data when empty, serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --if-empty
	$(BIN)/flask matching build
	@# The worker runs the periodic jobs (expired offers, reminders, the e-mail sweep) beside
	@# the web server, and stops with it.
	$(BIN)/flask worker --workers 1 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## make test: install the dev tools and run the whole suite, one worker per core
## (PYTEST_WORKERS=0 runs it in one process)
PYTEST_WORKERS ?= auto
test: $(VENV)/.dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## make bench: page, explorer and matching benchmarks (needs wrk: apt-get install -y wrk)
bench: $(VENV)/.dev translations
	command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/bookings.py
	$(BIN)/python bench/explorer.py
	$(BIN)/python bench/matching_model.py
	$(BIN)/python bench/recommendations_api.py

## make css: rebuild static/vendor/pico/pico.min.css from assets/ (needs Node.js and npm)
css:
	cd assets && for try in 1 2 3; do npm ci --no-audit --no-fund --loglevel=error && break; \
	  echo "npm ci failed (the registry mirror sometimes serves a stale index); trying again"; done
	cd assets && npm run --silent build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
