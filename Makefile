# The two commands of the README. Both work on a fresh machine with Python 3.11+:
#   make run    install, migrate, start on SQLite and print the URL
#   make test   install test tools (and Debian's chromium and poppler-utils when missing), run every test
# Both install from the locks, every file checked against its hash (requirements.txt, requirements-dev.txt).
#   make lint     ruff check, ruff format --check, mypy, import contracts (what .ci/run runs before the tests)
#   make require  recompile the locks after editing requirements.in / requirements-dev.in (docs/dependencies.md)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: run test cluster-test lint require check translations language clean

$(VENV)/.runtime: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m flask --app app db upgrade
	@echo ""
	@echo "  Green Customs Learn is running at http://$(HOST):$(PORT)/   (Ctrl+C stops it)"
	@echo ""
	GREENCUSTOMS_CONTENT_RELOAD=1 $(PY) -m flask --app app run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	scripts/ensure-test-tools.sh
	$(PY) -m pytest $(PYTEST_ARGS)

cluster-test: $(VENV)/.dev
	scripts/ensure-test-tools.sh
	$(PY) -m tests.cluster.run

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache

require: $(VENV)/.dev
	$(COMPILE) --output-file requirements.txt requirements.in
	$(COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt

# Re-extract every translatable string, merge it into each language's catalogue, compile. New or changed strings
# show up empty or fuzzy: tests/test_i18n.py fails until they are translated (see docs/translations.md).
translations: $(VENV)/.runtime
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --ignore-dirs=".* __pycache__" \
		--sort-by-file -o greencustoms/translations/messages.pot .
	$(VENV)/bin/pybabel update -i greencustoms/translations/messages.pot -d greencustoms/translations --ignore-obsolete
	$(PY) scripts/po_typography.py
	$(VENV)/bin/pybabel compile -d greencustoms/translations

# Add an interface language: make language NEW=pt  (then translate greencustoms/translations/pt/LC_MESSAGES/messages.po
# and run make translations; the language is offered as soon as its catalogue exists).
language: $(VENV)/.runtime
	@test -n "$(NEW)" || (echo "usage: make language NEW=<two-letter code>" && exit 2)
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --ignore-dirs=".* __pycache__" \
		--sort-by-file -o greencustoms/translations/messages.pot .
	$(VENV)/bin/pybabel init -i greencustoms/translations/messages.pot -d greencustoms/translations -l $(NEW)

check: $(VENV)/.runtime
	$(PY) -m flask --app app content check

clean:
	rm -rf $(VENV)
