# Wijkfonds: every set-up step lives here, so that `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wijkfonds
PORT   ?= 5000
export WIJKFONDS_DATABASE_URL ?= sqlite:///$(CURDIR)/instance/wijkfonds.sqlite3

.PHONY: demo test lint format bench-web test-browser vendor-leaflet test-postgres test-queue install weasyprint-libs migrate demo-data serve worker bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(wildcard wijkfonds/allocation/quick/*.c) | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	# compat: a plain path entry instead of an import hook, which would cost every Python
	# process ~20 ms (a command-line run of the engine is timed whole: benchmarks/whole_runs.py)
	$(PY) -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $@

install: $(VENV)/.installed weasyprint-libs

# WeasyPrint (the year report's PDF) needs pango and harfbuzz from Debian (its docs list these
# for Debian 12) and a font; installed when missing, as Chromium is for the browser tests.
weasyprint-libs:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || \
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core; }

migrate: install
	mkdir -p instance
	$(FLASK) db upgrade

demo-data: migrate
	$(FLASK) demo

# The web server in the foreground and the queue's worker in the background (allocation
# runs, mail, anchors, clean-up); the worker stops when the server does (Ctrl-C).
demo: demo-data
	@$(PY) -m wijkfonds.tasks.worker >instance/worker.log 2>&1 & worker=$$!; \
	trap 'kill -TERM '$$worker' 2>/dev/null; wait '$$worker' 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	echo "Background worker started (pid $$worker), log in instance/worker.log"; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The queue's consumer on its own (beside `make serve`, or on another machine with Redis).
worker: migrate
	$(PY) -m wijkfonds.tasks.worker

test: install
	$(PY) -m pytest -n 2 --ignore=tests/browser

# The house style, checked by machines: ruff (lint and format) and mypy (strict for the
# allocation engine and the services; see pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

CHROMIUM ?= /usr/bin/chromium
AXE_VERSION ?= 4.14.1
# Debian's Chromium (never a browser downloaded by Playwright) and axe-core from npm.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

.cache/axe.min.js:
	mkdir -p .cache/npm
	cd .cache/npm && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz
	cp .cache/npm/package/axe.min.js $@

# Leaflet (static/vendor/leaflet, committed) comes from npm, never a CDN: scripts/fetch_leaflet.sh
# (version and integrity pinned there) fetches it again when the version changes.
vendor-leaflet:
	scripts/fetch_leaflet.sh

test-browser: install $(CHROMIUM) .cache/axe.min.js
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pytest -p no:xdist tests/browser

# One sync worker per core: the app is CPU-bound (see README, Sizing).
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# Production-style serving under gunicorn (set WIJKFONDS_ENV=production, WIJKFONDS_SECRET_KEY
# and WIJKFONDS_DATABASE_URL for a real deployment; see the README). Run `make worker` beside
# it: allocation runs, mail and the periodic tasks run there, not in the web workers.
serve: migrate
	@echo "Serving the web only: run 'make worker' beside it for allocation runs, mail and periodic tasks."
	$(VENV)/bin/gunicorn --config python:wijkfonds.web.gunicorn_conf --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - 'wijkfonds:create_app()'

# Below the ephemeral port range (32768-60999 here): a port in it can be taken by any
# outgoing connection at that moment, and the cluster then fails to start.
PG_PORT ?= 25329
# The whole suite against a throwaway PostgreSQL 15 cluster (started as the postgres user).
# The allocation engine's tests are left out: the engine touches no database (test_purity).
test-postgres: install
	@set -e; dir=$$(mktemp -d /tmp/wijkfonds-pg.XXXXXX); chmod 755 $$dir; \
	url=$$(scripts/pg_cluster.sh start $$dir/cluster $(PG_PORT)); \
	trap "scripts/pg_cluster.sh stop $$dir/cluster; rm -rf $$dir" EXIT; \
	echo "PostgreSQL test cluster: $$url"; \
	WIJKFONDS_TEST_POSTGRES_URL=$$url $(PY) -m pytest -n 2 -m "not sqlite_only" --ignore=tests/browser --ignore=tests/allocation

REDIS_SERVER ?= /usr/bin/redis-server
# Below the ephemeral port range, as PG_PORT.
REDIS_PORT ?= 26379
# Debian's Redis, for the queue tests against RedisHuey.
$(REDIS_SERVER):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server

# The queue's tests against a throwaway Redis on 127.0.0.1 (its data in a temporary folder,
# stopped afterwards): real consumers on RedisHuey, as in production.
test-queue: install $(REDIS_SERVER)
	@set -e; dir=$$(mktemp -d /tmp/wijkfonds-redis.XXXXXX); \
	$(REDIS_SERVER) --bind 127.0.0.1 --port $(REDIS_PORT) --dir $$dir --save '' --appendonly no \
		--logfile $$dir/redis.log & redis=$$!; \
	trap 'redis-cli -p $(REDIS_PORT) shutdown nosave >/dev/null 2>&1 || kill '$$redis'; wait '$$redis'; rm -rf '$$dir EXIT; \
	for i in $$(seq 100); do redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.1; done; \
	redis-cli -p $(REDIS_PORT) ping >/dev/null || { cat $$dir/redis.log; exit 1; }; \
	echo "Redis test server: redis://127.0.0.1:$(REDIS_PORT)/0"; \
	WIJKFONDS_TEST_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/0 $(PY) -m pytest tests/test_queue_worker.py

bench: install
	$(PY) benchmarks/allocation.py
	$(PY) benchmarks/whole_runs.py

# Election-night load test: gunicorn on 127.0.0.1 with PostgreSQL (and SQLite), 5,000 codes.
bench-web: install
	$(PY) benchmarks/web.py --db both --codes 5000

clean:
	rm -rf $(VENV) instance .pytest_cache build wijkfonds/allocation/quick/*.so
