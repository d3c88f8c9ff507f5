# Thin wrapper around CMake.  `make test` and `make demo` install missing
# Debian packages first (scripts/install-deps), then configure and build.
BUILD    ?= build
ASAN     ?= build-asan
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE    ?= cmake

.PHONY: all deps build test test-asan demo clean check-src

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

test: build
	scripts/checksrc.sh
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	$(CMAKE) -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DKW_SANITIZE=address,undefined
	$(CMAKE) --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

demo: build
	$(BUILD)/cli/kowatch demo

check-src:
	scripts/checksrc.sh

clean:
	rm -rf $(BUILD) $(ASAN)
