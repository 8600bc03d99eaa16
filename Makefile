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

# The app on a simulated live show: synthetic capture feed and audience, temporary database.
# Without a display (no DISPLAY or WAYLAND_DISPLAY) it renders the live view to demo-live.png.
demo: $(STAMP)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(BIN)/studio --demo; \
	else \
		echo "no display: rendering the live demo to demo-live.png instead"; \
		$(BIN)/studio screenshot live --demo --out demo-live.png; \
	fi

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# Extract every marked string and merge it into each language's catalog: no fuzzy guesses
# (a near-miss translation would pass for a real one) and no obsolete entries kept.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k Np_:1,2 -k ngettext:1,2 --no-location \
		--project "Live Studio Companion" -o resources/locale/studio.pot studio
	for lang in en zh_CN; do \
		if [ -f resources/locale/$$lang/LC_MESSAGES/studio.po ]; then \
			$(BIN)/pybabel update -D studio -i resources/locale/studio.pot -d resources/locale -l $$lang \
				--no-fuzzy-matching --ignore-obsolete; \
		else \
			$(BIN)/pybabel init -D studio -i resources/locale/studio.pot -d resources/locale -l $$lang; \
		fi; \
	done

clean:
	rm -rf $(VENV) build *.egg-info
