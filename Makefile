# 反诈课堂: the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV   := .venv
PORT   ?= 5000
WORKERS ?= 2
FLASK  := $(VENV)/bin/flask --app wsgi
# Backends the test suite runs on; the PostgreSQL run skips the browser tests (already run on SQLite).
TEST_BACKENDS ?= sqlite postgresql

.PHONY: run test lint bench clean

$(VENV)/.run-deps: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

instance/secret_key:
	mkdir -p instance
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@

run: $(VENV)/.run-deps instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) bank import
	@# Offline speech for every question (resumable: a later run only makes what is missing).
	@# Without espeak-ng the pages still work and fall back to the phone's own voice.
	-$(FLASK) tts warm --engine espeak
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: $(VENV)/.dev-deps
	@set -e; for backend in $(TEST_BACKENDS); do \
	  if [ "$$backend" = sqlite ]; then \
	    echo "== tests on SQLite (browser tests included) =="; \
	    $(VENV)/bin/python -m pytest --db sqlite; \
	  else \
	    echo "== tests on PostgreSQL =="; \
	    $(VENV)/bin/python -m pytest --db postgresql -m "not browser"; \
	  fi; \
	done

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check app tests bench

bench: $(VENV)/.dev-deps
	$(VENV)/bin/python bench/run.py
	$(VENV)/bin/python bench/tts.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
