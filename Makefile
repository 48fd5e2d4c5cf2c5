# Two commands on a fresh machine: `make run` serves the forum, `make test` proves it.
# DATABASE_URL=postgres://... switches both from the embedded SQLite to PostgreSQL.
# Every other target also creates .venv first, so each command in README.md works on a
# fresh clone; ARGS passes extra arguments through (make bench ARGS=--quick).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
ARGS ?=
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV_VERSION := 0.13.9
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --generate-hashes \
	--custom-compile-command "make lock"

.PHONY: run test lint check-deploy bench loadtest clean install migrate manage superuser \
	moderator import export lock serve attack cluster cluster-stop replica rerank

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the locked versions, each file checked against its hash, then the
# project itself without dependencies; a changed lock file reinstalls.
$(VENV)/.installed-runtime: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The development lock holds the runtime lock's versions plus the test and bench extras.
$(VENV)/.installed-test: $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-runtime

# Re-resolve the lock files from pyproject.toml, keeping every locked version that still
# fits; make lock ARGS="--upgrade-package django" (or ARGS=--upgrade) takes newer ones.
# The runtime lock is constrained by the development one: what is tested is what runs.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"
	$(UV_COMPILE) --extra test --extra bench -o $(DEV_LOCK) $(ARGS)
	$(UV_COMPILE) -c $(DEV_LOCK) -o $(LOCK)

install: $(VENV)/.installed-runtime

migrate: install
	$(MANAGE) migrate --no-input

# rerank keeps the front page's hot order aging beside the server (cron does it in
# production: README.md, "Front page and page cache"); it stops with the server.
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) import_thread fixtures/seed_thread.txt
	$(MANAGE) import_thread fixtures/welcome_thread.json
	$(MANAGE) rerank --every 600 -v0 & ranker=$$!; \
	  trap 'kill $$ranker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

# Re-rank recent threads for the front page's hot order once: run it every 10 minutes.
rerank: install
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) rerank $(ARGS)

# Any manage.py command on a migrated database: make manage ARGS="changepassword alice"
manage: install
	@test -n '$(ARGS)' || { echo 'Say which command: make manage ARGS="createsuperuser"' >&2; exit 2; }
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) $(ARGS)

superuser: install
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createsuperuser $(ARGS)

moderator: install
	@test -n '$(NAME)' || { echo 'Say who: make moderator NAME=alice' >&2; exit 2; }
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) add_moderator '$(NAME)' $(ARGS)

import: install
	@test -n '$(FILE)' || { echo 'Say which file: make import FILE=thread.json' >&2; exit 2; }
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) import_thread '$(FILE)' $(ARGS)

# Silent, so that without -o the JSON alone goes to stdout.
export: install
	@test -n '$(THREAD)$(ARGS)' || { echo 'Say which thread: make export THREAD=7 (or ARGS=--all)' >&2; exit 2; }
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) export_thread $(THREAD) $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Production settings, static files collected as make serve does (into a scratch folder):
# proves collectstatic's manifest works and that check --deploy has nothing to say.
check-deploy: $(VENV)/.installed-test
	export DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=forum.example EMAIL_HOST=smtp.forum.example \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	  DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-0123456789abcdef \
	  DJANGO_STATIC_ROOT="$$(mktemp -d)" && \
	$(MANAGE) collectstatic --no-input -v0 && \
	$(MANAGE) check --deploy --fail-level WARNING; \
	status=$$?; rm -rf "$$DJANGO_STATIC_ROOT"; exit $$status

# The site as it runs in production (DEBUG off): migrate, collect static files, check,
# then gunicorn on $(HOST):$(PORT), behind a proxy that ends TLS. Needs DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL; README.md's "Production" section says more.
serve: export DJANGO_DEBUG = 0
serve: install
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input -v0
	$(MANAGE) check --deploy
	exec $(BIN)/gunicorn forum.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	  --access-logfile - $(ARGS)

test: lint check-deploy
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(ARGS)

# The fuzz test at length: thousands of random requests per role (the CI run of
# `make test` takes a few hundred), every nasty value through every route and field.
# make fuzz ARGS="-x" stops at the first 5xx; failing examples are kept in .hypothesis/.
.PHONY: fuzz
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider $(ARGS)

# Synthetic threads of 100 to 100,000 comments in the configured database, removed after;
# it refuses a database holding threads or users it did not make (make bench ARGS=--force).
bench: $(VENV)/.installed-test
	$(MANAGE) migrate --no-input
	$(MANAGE) benchmark $(ARGS)

# gunicorn (production settings, 2 workers) on PostgreSQL, locust headless: 30 s, 20 users;
# the same refusal and --force as bench, and it removes what it seeded. ARGS=--cluster:
# nginx and two instances against one instance without the cache, with a failover.
loadtest: $(VENV)/.installed-test
	$(BIN)/python -m tests.load.run $(ARGS)

# The issue's attacks replayed on the loopback against gunicorn in production mode (own
# SQLite, Redis db 5 under its own key prefix; REDIS must run): password guessing,
# sign-up and comment floods, malformed requests. Prints one table; non-zero on a FAIL.
attack: $(VENV)/.installed-test
	$(BIN)/python -m tests.load.attack $(ARGS)

# Two gunicorn instances (2 workers each, production settings, PostgreSQL and Redis) behind
# nginx on 127.0.0.1:8160; nginx comes from apt when missing. PID files in .cluster/.
cluster: $(VENV)/.installed-runtime
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
	$(BIN)/python -m forum.deploy.cluster start

cluster-stop: $(VENV)/.installed-runtime
	$(BIN)/python -m forum.deploy.cluster stop

# A streaming replica of the local PostgreSQL on port 5433 (as root; idempotent).
replica:
	forum/deploy/replica.sh

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles artifacts .pytest_cache .ruff_cache
