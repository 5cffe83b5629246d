# miplay: build, run and test.
#
#   make run     build the wasm files and the server, serve on http://127.0.0.1:8000
#   make test    vet, unit tests, then the browser tests (headless Chromium)
#
# Everything this Makefile needs beyond Go is built into ./bin.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO      ?= go
ADDR    ?= 127.0.0.1:8000
BASE    ?= /
OUT     ?= build/static
BIN     := $(CURDIR)/bin

# go test finds the wasm runner only as go_js_wasm_exec on PATH.
export PATH := $(BIN):$(PATH)

# Chromium for the browser tests. Override with CHROMIUM=/path/to/chrome.
CHROMIUM ?= $(firstword $(wildcard /usr/bin/chromium) $(shell command -v chromium chromium-browser google-chrome 2>/dev/null))
export MIPLAY_CHROMIUM := $(CHROMIUM)

# The version of wasmbrowsertest pinned in go.mod.
WASMBROWSERTEST_VERSION = $(shell $(GO) list -m -f '{{.Version}}' github.com/agnivade/wasmbrowsertest)

.PHONY: help
help:
	@echo "make run      build, then serve on http://$(ADDR) (ADDR=host:port to change)"
	@echo "make test     go vet, go test, the wasm tests and the e2e tests in Chromium"
	@echo "make build    build bin/miplay, web/app.wasm and web/engine.wasm (with .br and .gz)"
	@echo "make static   write a static site into $(OUT) for BASE=$(BASE)"
	@echo "make bench    measure the performance budgets; write bench/README.md"
	@echo "make bench-go the Go micro-benchmarks (go test -bench)"
	@echo "make clean    remove bin/, build/ and the wasm files"

# ---------------------------------------------------------------- build

.PHONY: build
build: bin/miplay web/app.wasm.br web/engine.wasm.br

# Go decides whether anything changed; these rules always ask it.
.PHONY: FORCE
FORCE:

bin/miplay: FORCE
	$(GO) build -o $@ ./cmd/miplay

# Two WebAssembly programs, built with the same flags: web/app.wasm, the
# page's own (cmd/miplay), and web/engine.wasm, the engine, which runs in a
# Web Worker beside the page (cmd/engineworker, started by web/engine.js).
#
# A wasm is replaced only when its bytes change, so that the compression
# below runs only then. -ldflags=-s leaves out the wasm name section (the Go
# name of every function, some 0.6 MB, 0.12 MB brotli), which only a
# browser's debugger and profiler read: Go's panics print function names
# from the runtime's own tables. To profile in DevTools, build without it,
# as benchrun -cpuprofile does.
WASMFLAGS = -ldflags=-s

web/app.wasm: FORCE
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o web/.app.wasm.tmp ./cmd/miplay
	if cmp -s web/.app.wasm.tmp $@; then rm web/.app.wasm.tmp; else mv web/.app.wasm.tmp $@; fi

web/engine.wasm: FORCE
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o web/.engine.wasm.tmp ./cmd/engineworker
	if cmp -s web/.engine.wasm.tmp $@; then rm web/.engine.wasm.tmp; else mv web/.engine.wasm.tmp $@; fi

# Brotli and gzip variants beside each wasm; miplay serve picks one by the
# browser's Accept-Encoding.
web/%.wasm.br: web/%.wasm | bin/miplay
	bin/miplay precompress $<

.PHONY: run
run: build
	bin/miplay serve --addr $(ADDR)

# A static site. Brotli at its best quality (about 20 s) for files that get
# published.
.PHONY: static
static: build
	bin/miplay precompress --quality 11 web/app.wasm web/engine.wasm
	bin/miplay build-static --out $(OUT) --base $(BASE)

# ---------------------------------------------------------------- test

# The packages of go test ./..., less the browser tests, which test-browser
# runs uncached.
UNIT_PKGS = $(shell $(GO) list -e ./... | grep -v '/e2e$$')

.PHONY: test
test: tools
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./cmd/miplay ./cmd/engineworker
	$(GO) test $(UNIT_PKGS)
	$(MAKE) test-browser

# The browser tests: app's wasm tests (the IndexedDB store, WebCrypto
# signing) run in Chromium by wasmbrowsertest, then the chromedp end-to-end
# tests against miplay serve. Without Chromium they are skipped with a
# message, unless MIPLAY_REQUIRE_BROWSER=1 (as in CI), which makes that an
# error.
.PHONY: test-browser
test-browser: tools
	@if [[ -z "$(CHROMIUM)" ]]; then \
		if [[ "$${MIPLAY_REQUIRE_BROWSER:-}" == 1 ]]; then \
			echo "error: MIPLAY_REQUIRE_BROWSER=1 but no Chromium found (install it: apt-get install -y chromium)" >&2; exit 1; \
		fi; \
		echo "*** Chromium not found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome)."; \
		echo "*** Skipping the browser tests: the wasm tests and the e2e tests."; \
		echo "*** Install it with: apt-get install -y chromium"; \
		exit 0; \
	fi; \
	echo "browser tests with $(CHROMIUM)"; \
	set -x; \
	GOOS=js GOARCH=wasm $(GO) test ./app/... 2>&1 | { grep -v 'unknown IPAddressSpace value' || true; }; \
	$(GO) test -count=1 ./e2e/

# ---------------------------------------------------------------- bench

# The performance budgets, each figure beside a baseline measured in the
# same run (bench/README.md has the method and the latest table, which this
# rewrites). About 5 minutes on 2 cores; needs Chromium. BENCHFLAGS passes
# flags to the program, such as -runs 9 or -only size,tti.
.PHONY: bench
bench:
	$(GO) run ./cmd/internal/benchrun $(BENCHFLAGS)

# The Go micro-benchmarks of every package.
.PHONY: bench-go
bench-go:
	$(GO) test -run '^$$' -bench . -count 5 ./...

# ---------------------------------------------------------------- tools

.PHONY: tools
tools: bin/go_js_wasm_exec bin/headless_shell

# wasmbrowsertest at the version go.mod pins. It is installed with its own
# go.mod (go install pkg@version): built inside this module it would get the
# chromedp of our go.mod, whose API it predates.
bin/go_js_wasm_exec: go.mod
	mkdir -p $(BIN)/.wbt
	GOBIN=$(BIN)/.wbt $(GO) install github.com/agnivade/wasmbrowsertest@$(WASMBROWSERTEST_VERSION)
	mv $(BIN)/.wbt/wasmbrowsertest $@
	rmdir $(BIN)/.wbt

# wasmbrowsertest starts the first of headless_shell, chromium, ... that it
# finds on PATH (chromedp's search order), with chromedp's default flags and
# --no-sandbox as root. This wrapper adds the two that a machine without
# network needs and it does not pass: --disable-gpu and
# --disable-component-update.
bin/headless_shell: Makefile
	mkdir -p $(BIN)
	if [[ -n "$(CHROMIUM)" ]]; then \
		printf '#!/bin/sh\n# Chromium for wasmbrowsertest (see the Makefile).\nexec "%s" --disable-gpu --disable-component-update "$$@"\n' "$(CHROMIUM)" > $@; \
		chmod +x $@; \
	else rm -f $@; fi

.PHONY: clean
clean:
	rm -rf bin build web/app.wasm web/app.wasm.br web/app.wasm.gz web/.app.wasm.tmp \
		web/engine.wasm web/engine.wasm.br web/engine.wasm.gz web/.engine.wasm.tmp
