# Drover — the two commands that matter: `make demo` and `make test`.
# Every install step the project needs lives in scripts/setup.sh (called by both); `make test` also runs
# scripts/setup-mlserver.sh (MLServer for its integration tests, in .build/).

SWIFT       ?= swift
DURATION    ?= 0
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_FLAGS ?= -j $(JOBS)

.PHONY: all setup setup-mlserver build release agent-static test test-only lint-imports demo bench clean

all: build

## setup: install the system libraries (libcurl, SQLite) and tools the build and tests need
setup:
	@bash scripts/setup.sh

## build: debug build of every target, tests included
build: setup
	$(SWIFT) build --build-tests $(BUILD_FLAGS)

## release: optimised executables (drover-agent, drover-controlplane, droverctl, drover-refserver), dynamic Swift
## runtime; ship the agent from `make agent-static`
release: setup
	$(SWIFT) build -c release $(BUILD_FLAGS)

## agent-static: the drover-agent to ship: release, Swift runtime linked in (--static-swift-stdlib, ≈ 2 MB less RSS,
## no Swift libraries needed on the host); own build directory, so .build/release is not rebuilt. Prints its path.
AGENT_STATIC_DIR ?= .build/agent-static
agent-static: setup
	$(SWIFT) build -c release --product drover-agent --static-swift-stdlib --scratch-path $(AGENT_STATIC_DIR) $(BUILD_FLAGS)
	@echo "$$($(SWIFT) build -c release --scratch-path $(AGENT_STATIC_DIR) --show-bin-path)/drover-agent"

## setup-mlserver: Seldon MLServer + scikit-learn in .build/mlserver-venv and two tiny models, for the MLServer tests
setup-mlserver:
	@bash scripts/setup-mlserver.sh

## test: build and run every test (unit, integration, end-to-end) plus the layering check
test: build lint-imports setup-mlserver
	$(SWIFT) test --skip-build --parallel

## lint-imports: the agent and droverctl never link Hummingbird, GRDB or PostgresNIO
lint-imports:
	@bash scripts/check-imports.sh

## demo: a control plane on embedded SQLite, three model servers with agents, and shifting traffic
demo: release
	@bash scripts/demo.sh $(DURATION)

## bench: statistics and load benchmarks, printed side by side with their baselines
bench: release
	@bash Benchmarks/run.sh

clean:
	rm -rf .build .demo
