# attest — run `make` for the list of targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
GO ?= go
TOOL := $(GO) tool -modfile=tools.mod
PKGS := ./...

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_\/-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: ## start attest locally on 127.0.0.1:3000 (ATTEST_ADDR): private PostgreSQL under .data/, demo organization, Entra simulator
	@$(GO) build -o bin/attest ./cmd/attest
	bin/attest dev

.PHONY: build
build: ## build bin/attest
	$(GO) build -trimpath -o bin/attest ./cmd/attest

.PHONY: test
test: ## run the whole test suite with the race detector, then verify generated code
	$(GO) test -race -count=1 -p 2 -parallel 8 -timeout 15m $(PKGS)
	$(MAKE) --no-print-directory verify

.PHONY: e2e
e2e: ## run only the browser suite (Debian's chromium, axe-core from npm); screenshots go to test-artifacts/
	$(GO) test -count=1 -run '^TestE2E$$' -timeout 10m ./cmd/attest/

.PHONY: screenshots
screenshots: ## run the browser suite and refresh the README's screenshots in docs/screenshots/
	ATTEST_UPDATE_SCREENSHOTS=1 $(MAKE) --no-print-directory e2e

.PHONY: verify
verify: ## fail when generated code (sqlc, templ) is stale, code is unformatted, vet complains or an import rule is broken
	@$(TOOL) sqlc diff || { echo "sqlc output is stale: run 'make generate' and commit the result"; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp -r views "$$tmp/views" && \
	  $(GO) build -modfile=tools.mod -o "$$tmp/templ" github.com/a-h/templ/cmd/templ && \
	  (cd "$$tmp" && ./templ generate >/dev/null 2>&1) && \
	  { diff -r -q views "$$tmp/views" || { echo "templ output is stale: run 'make generate' and commit the result"; exit 1; }; }
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) test -count=1 ./internal/archtest/
	@echo "verify: generated code current, formatting, vet and import rules clean"

# The paced benchmarks wait out providers' documented limits on the wall
# clock (about 15 minutes together): make bench-paced runs them.
PACED_BENCH := BenchmarkSyncThrottled/users=50000|BenchmarkGitHubSync

# Each benchmark runs in a process of its own, with its own PostgreSQL
# cluster: memory an earlier one left to the runtime, or a cluster still
# vacuuming an earlier one's rows, would otherwise count against the next.
# Run as root, each reserves 2 MiB huge pages for its cluster's shared memory
# (vm.nr_hugepages, restored when it ends), as PostgreSQL's documentation
# advises for a large buffer cache; the reports name the page size used.
.PHONY: bench
bench: ## run the performance benchmarks (under 15 minutes) and append their figures to bench/results.md
	$(GO) test -c -o bin/bench.test ./bench/
	cd bench && for b in $$(../bin/bench.test -test.list '^Benchmark' | grep -v '^BenchmarkGitHubSync$$'); do \
		../bin/bench.test -test.run '^$$' -test.bench "^$$b\$$" -test.skip '$(PACED_BENCH)' -test.benchtime 1x -test.timeout 60m || exit 1; \
	done

.PHONY: bench-paced
bench-paced: ## run the benchmarks paced by providers' limits (a 50,000-user Entra tenant, a 2,000-repository GitHub organization)
	$(GO) test -run '^$$' -bench '$(PACED_BENCH)' -benchtime 1x -timeout 60m ./bench/

.PHONY: generate
generate: ## regenerate sqlc queries and templ components
	$(TOOL) sqlc generate
	$(TOOL) templ generate

.PHONY: clean
clean: ## remove build output (keeps .data/, the local database)
	rm -rf bin
