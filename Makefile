# Two commands on a fresh machine: `make run` serves the forum, `make test` proves it.
# DATABASE_URL=postgres://... switches both from the embedded SQLite to PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check-deploy bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@ $(VENV)/.installed-runtime

run: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_thread fixtures/seed_thread.txt
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: $(VENV)/.installed-test
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-0123456789abcdef \
	  DJANGO_ALLOWED_HOSTS=forum.example $(BIN)/python manage.py check --deploy --fail-level WARNING

test: lint check-deploy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Synthetic threads of 100 to 100,000 comments in the configured database, removed after.
bench: $(VENV)/.installed-test
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py benchmark

# gunicorn (production settings, 2 workers) on PostgreSQL, locust headless: 30 s, 20 users.
loadtest: $(VENV)/.installed-test
	$(BIN)/python -m tests.load.run

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles artifacts .pytest_cache .ruff_cache
