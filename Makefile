# Two entry points: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench catalogs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Until the desktop window lands, the demo writes a simulated show into a temporary database
# and prints the review figures a producer would read after it.
demo: $(STAMP)
	@tmp=$$(mktemp -d) && \
	$(BIN)/studio demo --db $$tmp/demo.db --replay > $$tmp/ids && \
	$(BIN)/studio metrics $$(head -n 1 $$tmp/ids) --db $$tmp/demo.db; \
	status=$$?; rm -rf $$tmp; exit $$status

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# Extract every _()/N_() string and merge it into each language's catalog.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location \
		--project "Live Studio Companion" -o resources/locale/studio.pot studio
	for lang in en zh_CN; do \
		if [ -f resources/locale/$$lang/LC_MESSAGES/studio.po ]; then \
			$(BIN)/pybabel update -D studio -i resources/locale/studio.pot -d resources/locale -l $$lang; \
		else \
			$(BIN)/pybabel init -D studio -i resources/locale/studio.pot -d resources/locale -l $$lang; \
		fi; \
	done

clean:
	rm -rf $(VENV) build *.egg-info
