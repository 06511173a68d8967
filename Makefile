# The one entry point. `make run` starts a complete local stack; `make test` runs every test.
# Both install what is missing first (`make deps`, idempotent).

PYTHON := .deps/venv/bin/python
BUILD := build

.PHONY: all deps build worker module deb citations unit integration test run bench fuzz format clean

all: build

deps:
	@./tools/deps.sh

build: worker module

worker:
	@test -f $(BUILD)/cmake/build.ninja || cmake -S . -B $(BUILD)/cmake -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)/cmake

module:
	@./tools/build-module.sh

# Debian packages of the module and the worker, checked by lintian, in build/deb
# (docs/install.md#packages).
deb: deps
	@$(MAKE) --no-print-directory build
	./tools/build-deb.sh

# Every document and section a comment or a page cites exists (docs/reference/README.md).
citations:
	python3 tools/check_citations.py

unit: worker
	./$(BUILD)/unit-tests

integration: build
	$(PYTHON) -m pytest t/integration

test: deps
	@$(MAKE) --no-print-directory citations
	@$(MAKE) --no-print-directory build
	./$(BUILD)/unit-tests
	$(PYTHON) -m pytest t/integration

run: deps
	@$(MAKE) --no-print-directory build
	$(PYTHON) t/harness/run.py

# Not part of `make test`: the module's overhead per request, measured with wrk (docs/testing.md).
bench: deps
	@$(MAKE) --no-print-directory build
	$(PYTHON) tools/bench.py

# Not part of `make test`: every parser of outside input fuzzed with libFuzzer, ASan and UBSan
# (docs/testing.md §7); `make test` replays the corpora of t/fuzz/.
fuzz: deps
	./tools/fuzz.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
