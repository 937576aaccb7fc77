# 反诈课堂: the two commands of the README, and a few helpers.
# Both commands start with scripts/system-deps: the Debian packages (installed when run as root,
# otherwise it prints the one `sudo apt-get install` line and stops) and, for the tests, PostgreSQL
# and Redis on 127.0.0.1.
PYTHON ?= python3
VENV   := .venv
PORT   ?= 5000
WORKERS ?= 2
FLASK  := $(VENV)/bin/flask --app wsgi
# Backends the test suite runs on; the PostgreSQL run leaves out the browser tests (already run on
# SQLite) and the deploy tests (tests/deploy: they use PostgreSQL of their own in the SQLite run).
TEST_BACKENDS ?= sqlite postgresql
# What scripts/system-deps sets up: `run` (espeak-ng, python3-venv) or `test` (also chromium, fonts,
# PostgreSQL, Redis). A target-specific value also holds for everything the target builds first.
SYSTEM_DEPS_MODE := run
test: SYSTEM_DEPS_MODE := test

.PHONY: run test lint bench clean system-deps

system-deps:
	scripts/system-deps $(SYSTEM_DEPS_MODE)

# Order-only: the packages are checked before the venv is made, without making it again every time.
$(VENV)/.run-deps: requirements.txt | system-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

instance/secret_key: | system-deps
	mkdir -p instance
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@

run: system-deps $(VENV)/.run-deps instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) bank import
	@# Offline speech for every question, made ahead (resumable: a later run only makes what is
	@# missing; about half a minute for the whole bank the first time). system-deps installed
	@# espeak-ng, so a clip still missing afterwards is an error: warm names it and why, and make stops.
	$(FLASK) tts warm --engine espeak
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: system-deps $(VENV)/.dev-deps
	@set -e; for backend in $(TEST_BACKENDS); do \
	  if [ "$$backend" = sqlite ]; then \
	    echo "== tests on SQLite (browser tests included) =="; \
	    $(VENV)/bin/python -m pytest --db sqlite; \
	  else \
	    echo "== tests on PostgreSQL =="; \
	    $(VENV)/bin/python -m pytest --db postgresql -m "not browser and not deploy"; \
	  fi; \
	done

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check app tests bench
	$(VENV)/bin/mypy app
	$(VENV)/bin/lint-imports

bench: $(VENV)/.dev-deps
	$(VENV)/bin/python bench/run.py
	$(VENV)/bin/python bench/tts.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
