# On a fresh machine: `make chat` (the bot in the terminal, no token), `make run` (the bot on SQLite) and
# `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run chat test test-sqlite bench lint-imports clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

# Chat in the terminal as a demo member (ROLE=volunteer, team_leader, leader or admin); imports the example
# units first if none are stored.
ROLE ?= volunteer
chat: $(STAMP)
	$(PY) -m bot chat --as $(ROLE)

# The whole suite: layering contracts, then tests on SQLite and on PostgreSQL ($(PG_URL), skipped if unreachable).
test: $(STAMP)
	$(VENV)/bin/lint-imports
	BAOCAO_TEST_POSTGRES_URL=$${BAOCAO_TEST_POSTGRES_URL-$$($(PY) -m tests.support.pg_probe $(PG_URL))} \
		$(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: $(STAMP)
	$(VENV)/bin/lint-imports
	BAOCAO_TEST_POSTGRES_URL= $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
