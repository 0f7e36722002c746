# Setu — `make run` to try it, `make test` to check it.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-browser screenshots feedback-audio bench bench-audit lint fmt check worker clean audit

install: $(STAMP)

$(STAMP): pyproject.toml
	@PYTHON_BIN=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$PYTHON_BIN"; rm -rf $(VENV); $$PYTHON_BIN -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip uv
	@# uv installs the same packages in about half pip's time (docs/testing.md); it reads neither
	@# pip's configuration nor its cache, so where it cannot reach an index pip does the install.
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e ".[dev,bench]" || { \
		echo "uv could not install the packages: installing with pip"; \
		$(PY) -m pip install --quiet -e ".[dev,bench]"; }
	@touch $(STAMP)

run: install
	scripts/run

worker: install
	SETU_DEMO_MODE=true $(PY) -m setu.cli db_worker

test: install
	scripts/test

# The real-browser suite alone (scripts/test runs it after the main suite); needs Debian's chromium.
test-browser: install
	scripts/test-browser

# Screenshots of the main pages into docs/screenshots/ (not part of the tests).
screenshots: install
	$(PY) -m tests.browser.screenshots

# The feedback form's spoken questions (eSpeak NG, Opus), after a question's wording changed;
# commit setu/feedback/static/feedback/audio and setu/feedback/prompts.json (docs/feedback.md).
feedback-audio: install
	scripts/feedback-audio $(AUDIO_ARGS)

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# Audit trail throughput on PostgreSQL, before (commit 0cab4d6: every append locked the one
# AuditHead row) and after. Recreates the scratch database BENCH_AUDIT_DATABASE_URL (default
# setu_bench_audit). E.g. make bench-audit BENCH_ARGS="--audit-clients 16 --audit-seconds 15"
AUDIT_BEFORE ?= /tmp/setu-audit-before-0cab4d6
bench-audit:
	@test -d $(AUDIT_BEFORE) || { mkdir -p $(AUDIT_BEFORE) && git archive 0cab4d6 | tar -x -C $(AUDIT_BEFORE); }
	$(PY) bench/run.py --sections audit --audit-before $(AUDIT_BEFORE) $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check setu tests bench
	$(VENV)/bin/ruff format --check setu tests bench
	$(VENV)/bin/lint-imports

fmt: install
	$(VENV)/bin/ruff check --fix setu tests bench
	$(VENV)/bin/ruff format setu tests bench

check: lint test

# Known vulnerabilities in installed packages (needs network; says SKIPPED when it cannot check).
audit: install
	scripts/audit-deps

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
