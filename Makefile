# TurnGate. On a fresh Debian 12 machine:
#   make run    install what is missing, build release, run the server on turnserver.conf.example
#   make test   install what is missing, build, run unit tests, interop tests and a short fuzz run
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

# The toolchain lives in /opt/swift on our machines; elsewhere swift must be on PATH.
ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

SWIFT ?= swift
PYTHON ?= python3
export PYTHON
CONFIG ?= turnserver.conf.example
# 2 cores: at most 2 test worker processes.
TEST_WORKERS ?= 2
FUZZ_SECONDS ?= 60
TURNGATE_DEBUG := $(CURDIR)/.build/debug/turngate
TURNGATE_RELEASE := $(CURDIR)/.build/release/turngate

.PHONY: deps deps-run build release run test unit interop interop-coturn bench bench-signal fuzz clean distclean

deps:
	bash scripts/install-deps.sh test

deps-run:
	bash scripts/install-deps.sh run

build:
	$(SWIFT) build --build-tests

release:
	$(SWIFT) build -c release --product turngate

# Steps run one after another (never in parallel, even under make -j).
run:
	@$(MAKE) --no-print-directory deps-run
	@$(MAKE) --no-print-directory release
	exec "$(TURNGATE_RELEASE)" -c "$(CONFIG)"

test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory interop
	@$(MAKE) --no-print-directory fuzz
	@echo "make test: all steps passed"

# Swift unit and handler tests, on an existing build.
unit:
	$(SWIFT) test --skip-build --parallel --num-workers $(TEST_WORKERS)

# Process-level tests against the debug binary (built by `make build`), once with each UDP
# engine backend: every test with the first (io_uring), then those whose subject is the UDP data
# path with the others (modules without RELAY_ENGINE_INDEPENDENT). pytest's exit 5 ("no tests
# collected") is a failure here too.
INTEROP_ENGINES ?= io-uring epoll
interop:
	@test -x "$(TURNGATE_DEBUG)" || { echo "interop: $(TURNGATE_DEBUG) missing: run make build" >&2; exit 1; }
	@only=0; for engine in $(INTEROP_ENGINES); do \
		echo "interop: relay-engine=$$engine"; \
		rc=0; INTEROP_ENGINE_DEPENDENT_ONLY=$$only INTEROP_RELAY_ENGINE=$$engine TURNGATE_BIN="$(TURNGATE_DEBUG)" $(PYTHON) -m pytest -q -ra -p no:cacheprovider Tests/Interop || rc=$$?; \
		only=1; \
		if [ $$rc -eq 5 ]; then echo "interop: pytest collected no tests" >&2; exit 1; fi; \
		[ $$rc -eq 0 ] || exit $$rc; \
	done

# The TURN interop tests against coturn itself, to compare behaviour (not part of `make test`).
interop-coturn:
	INTEROP_SERVER=coturn $(PYTHON) -m pytest -q -ra Tests/Interop/test_turn_uclient.py Tests/Interop/test_turn_aioice.py \
		Tests/Interop/test_turn_aiortc.py Tests/Interop/test_turn_negative.py

# Server CPU per relayed packet, TurnGate (release) and coturn side by side (not part of `make test`).
bench: deps
	@$(MAKE) --no-print-directory release
	$(SWIFT) build -c release --product turngate-bench
	bash bench/compare.sh

# WebSocket signaling under load against the release binary (not part of `make test`): connections,
# delivery latency, server RSS per connection and CPU per message. SIGNAL_ARGS passes more options
# to bench/signal_load.py (e.g. --connections 5000 --seconds 60).
SIGNAL_CLIENTS ?= 2
SIGNAL_ARGS ?=
bench-signal: deps
	@$(MAKE) --no-print-directory release
	@$(PYTHON) -c 'import websockets' 2>/dev/null || $(PYTHON) -m pip install -q --break-system-packages websockets
	$(PYTHON) bench/signal_load.py --turngate-bin "$(TURNGATE_RELEASE)" --clients $(SIGNAL_CLIENTS) $(SIGNAL_ARGS)

fuzz:
	@test -f scripts/fuzz.sh || { echo "fuzz: scripts/fuzz.sh is missing" >&2; exit 1; }
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

clean:
	$(SWIFT) package clean
	rm -rf Tests/Interop/__pycache__ .pytest_cache Tests/Interop/.pytest_cache

# Also drops the resolved dependency checkouts.
distclean: clean
	rm -rf .build
