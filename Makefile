# The two set-up commands are `make run` and `make test`; both install what is missing first.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint shots install install-test package clean

install:
	@scripts/install.sh run

install-test:
	@scripts/install.sh test

run: install
	$(BIN)/kiosk run $(ARGS)

test: install-test
	@scripts/run-tests.sh

bench: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py --out bench/results.json $(ARGS)

lint: install-test
	$(BIN)/ruff check kiosk portal_sim tests bench

shots: install
	$(BIN)/kiosk shots --out docs/screens

package: install
	$(BIN)/python packaging/build_deb.py --out dist $(if $(UPDATE_ROOT),--update-root $(UPDATE_ROOT))

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
