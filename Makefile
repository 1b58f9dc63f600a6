# Access Portal. `make run` serves the demo portal; `make test` runs the whole suite.
# Each target sets up what it needs: a virtualenv in .venv and the NHS.UK frontend from npm.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || true)

# `make run` serves the production settings (DEBUG off, static files collected and served
# by the portal), on plain HTTP because it listens on 127.0.0.1 only.
LOCAL := DJANGO_HTTPS=0
# The demo app (manage.py demo_load) is installed only where DJANGO_DEMO=1 says so.
DEMO := DJANGO_DEMO=1
PYTEST_WORKERS ?= auto

.PHONY: run test setup deps migrate demo static lint format check-deploy worker clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Access Portal needs Python 3.11 or newer (set PYTHON=python3.x)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

migrate: deps
	$(PY) manage.py migrate --no-input

setup: migrate

## Static files as production serves them: hashed names, compressed (again only when changed).
staticfiles/.collected: $(VENV)/.installed node_modules/.installed core/staticfinders.py \
		access_portal/settings.py $(shell find static -type f)
	$(PY) manage.py collectstatic --no-input --verbosity 0
	touch $@

static: deps staticfiles/.collected

demo: setup
	$(LOCAL) $(DEMO) $(PY) manage.py demo_load --demo-on-production-settings

## Serve the portal with the demo ICB on http://$(HOST):$(PORT), with a Celery worker beside it.
run: demo static
	@echo "Starting a Celery worker and the web server on http://$(HOST):$(PORT) (Ctrl+C stops both)"
	@$(LOCAL) $(DEMO) $(PY) -m celery -A access_portal worker --beat --loglevel=warning --concurrency=2 & \
		worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(LOCAL) $(DEMO) $(VENV)/bin/gunicorn access_portal.wsgi --bind $(HOST):$(PORT) --access-logfile -

worker: deps
	$(PY) -m celery -A access_portal worker --loglevel=info

## Run the whole suite, one process per CPU (PYTEST_WORKERS=0 runs it in one process).
## Browser tests run wherever a Chromium is found.
test: deps
	@if [ -z "$(CHROMIUM)" ]; then echo "No Chromium found: the browser tests will be skipped (apt-get install chromium)."; fi
	CHROMIUM_PATH="$(CHROMIUM)" $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: deps
	DJANGO_SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-value-0123456789 \
		DJANGO_ALLOWED_HOSTS=access-portal.example.nhs.uk \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var staticfiles
