# KOLHub: `make run` serves the app with its worker and beat; `make test` is lint + tests.
# Needs only Python 3.11+: uv is bootstrapped into var/ and installs from uv.lock.

PYTHON ?= python3
UV_VERSION := 0.13.9
PORT ?= 8000
BOOT := var/bootstrap
UV := $(BOOT)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Tests start many Python processes (a worker, gunicorn, configuration checks); with their
# bytecode written once (into __pycache__, ignored by git) each starts in half the time.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint fmt migrate bench bench-scale fuzz messages catalogs install check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "KOLHub needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'

$(UV): | check-python
	$(PYTHON) -m venv $(BOOT)
	$(BOOT)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Re-sync only when the lock file changes (fast second run).
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

catalogs: install
	$(PY) manage.py compile_catalogs

migrate: catalogs
	$(PY) manage.py migrate --no-input

run: migrate
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  KOLHub is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo login: consultant@demo.kolhub.local / kolhub-demo"
	@echo "  (manager@demo.kolhub.local and client@demo.kolhub.local use the same password)"
	@echo "  Django admin: http://127.0.0.1:$(PORT)/admin/ as admin@demo.kolhub.local / kolhub-demo (demo only)"
	@echo "  Ctrl-C stops the web server, the worker and beat."
	@echo ""
	@# Threads, not forked children: a laptop run stops at once and cleanly on Ctrl-C.
	WORKER_POOL=$${WORKER_POOL:-threads} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT) 2>&1 || test $$? -eq 130

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy kolhub/tenancy.py kolhub/services.py kolhub/selectors.py kolhub/health.py \
		kolhub/spreadsheets.py kolhub/files.py kolhub/charts.py kolhub/formatting.py kolhub/workbooks.py \
		kolhub/fx.py kolhub/pdf_tables.py \
		creators/services creators/selectors.py creators/importer.py creators/parsing.py \
		creators/audience.py creators/audience_labels.py creators/export.py creators/import_headers.py \
		creators/import_accounts.py creators/categories.py kolhub/folding.py \
		campaigns/stages.py campaigns/services campaigns/selectors campaigns/brief_check \
		campaigns/sweeps.py campaigns/caption_diff.py campaigns/payouts/tax.py \
		campaigns/payouts/selectors.py campaigns/payouts/figures.py campaigns/payouts/ledger.py \
		campaigns/payouts/identifiers.py campaigns/payouts/reasons.py campaigns/payouts/board.py \
		campaigns/payouts/exports.py campaigns/payouts/plan.py campaigns/signing/services.py \
		campaigns/signing/selectors.py campaigns/signing/audit.py campaigns/signing/texts.py \
		kolhub/uploads.py creators/post_urls.py kolhub/encryption.py kolhub/broker.py \
		kolhub/ratelimit.py kolhub/operations.py \
		api/services.py api/selectors.py api/access.py api/problems.py api/authentication.py
	$(VENV)/bin/mypy --exclude '/migrations/' tracking
	$(PY) scripts/architecture.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

test: catalogs lint
	$(VENV)/bin/pytest

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: catalogs
	$(VENV)/bin/pytest bench -p no:randomly -s -m "not scale"

# Agency scale (issue 21), on the local PostgreSQL and Redis: every page and fragment on a busy
# agency's data (bench/scale.py; its database kolhub_scale is built on the first run, about two
# minutes, and reused), then the benchmarks marked `scale` (directory search at 100k creators,
# a full recompute of 2M snapshots, throughput under wrk, pulls per worker process, Insights,
# exports) in their own test database. Each prints its figure beside its budget.
bench-scale: catalogs
	$(VENV)/bin/python -m bench.scale; pages=$$?; \
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kolhub_bench} \
	REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9} \
	$(VENV)/bin/pytest bench -p no:randomly -s -m scale; benches=$$?; \
	exit $$((pages || benches))

# The request fuzz of the test pass with 20x its examples, random ones instead of the fixed
# ones CI runs (takes a while); a failing example is kept in var/hypothesis and tried first
# next time. FUZZ_EXAMPLES_SCALE=100 make fuzz for more. Then Schemathesis against the REST
# API's live schema with API_FUZZ_EXAMPLES (200) examples per operation instead of 5.
fuzz: catalogs
	FUZZ_EXAMPLES_SCALE=$${FUZZ_EXAMPLES_SCALE:-20} $(VENV)/bin/pytest tests/security/test_request_fuzz.py -p no:randomly
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-200} $(VENV)/bin/pytest tests/api/test_schema.py -p no:randomly

# Developers only (needs GNU gettext): extract new strings into the catalogues.
messages: install
	$(PY) manage.py makemessages --locale zh_Hant --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete
	$(PY) scripts/fill_english_catalog.py
