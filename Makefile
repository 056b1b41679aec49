# Lotwise: `make run` opens the desktop app; `make test` is everything CI checks.
# Both install what is missing on a fresh Debian/Ubuntu machine first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev libxdo-dev \
	webkit2gtk-driver xvfb xauth sqlite3 imagemagick poppler-utils qpdf
TAURI_DRIVER_VERSION := 2.1.0
APP := target/debug/lotwise-desktop
ARTEFACTS := artefacts

.PHONY: run test deps apt-deps rust-toolchain test-tools ui-deps ui app cli lint bindings bindings-check unit e2e bench bench-smoke clean

run: apt-deps rust-toolchain ui-deps app cli
	@echo "Opening Lotwise (workspace: $${LOTWISE_WORKSPACE:-workspace.lotwise in the app data folder}; the demo is seeded on first run)"
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "No display found: running under Xvfb (nothing will be visible)."; xvfb-run -a $(APP); \
	else $(APP); fi

test: deps lint bindings-check unit app e2e bench-smoke
	@echo "make test: all checks passed"
	@du -sh target | sed 's/^/make test: target folder /'

# make test builds once from clean (as CI does): incremental caches would only cost disk.
test: export CARGO_INCREMENTAL := 0
# The anchor journals the tests' commits write (store::journal) go beside the other test
# artefacts, never into the data folder of whoever runs the tests.
test: export XDG_DATA_HOME := $(CURDIR)/$(ARTEFACTS)/test-data

# Everything make test needs; make run needs only the first three.
deps: apt-deps rust-toolchain ui-deps test-tools
# Only the tests need a PostgreSQL server (make run stays on the embedded workspace).
TEST_APT_PACKAGES := postgresql python3-venv
# PDF checkers nobody here wrote, from PyPI, pinned: pdfua checks the machine-checkable part
# of PDF/UA-1 on pikepdf; pikepdf and pdfminer.six read the structure tree and the marked
# text back (tests/pdf/structure.py). In a virtual environment of their own under target/.
PDF_CHECKERS := target/pdf-checkers
PDF_CHECKER_PACKAGES := pdfua==0.1.3 pikepdf==10.18.0 pdfminer.six==20260107

# Installs only what is missing, so a second run is quick and needs no network.
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

rust-toolchain:
	@command -v cargo >/dev/null || { echo "Rust is needed: install it with rustup (https://rustup.rs), then run make again."; exit 1; }

test-tools:
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing test packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)
	@cargo nextest --version >/dev/null 2>&1 || cargo install cargo-nextest --locked
	@$(PDF_CHECKERS)/bin/python -c "import pdfua, pikepdf, pdfminer" 2>/dev/null || { \
		echo "Installing the PDF checkers: $(PDF_CHECKER_PACKAGES)"; \
		python3 -m venv $(PDF_CHECKERS) && $(PDF_CHECKERS)/bin/pip install -q $(PDF_CHECKER_PACKAGES); }

ui-deps:
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm install --no-audit --no-fund; fi
# npm install, not npm ci: npm 11 here writes a lock file with only this platform's optional
# packages (rollup's native builds) and npm ci then refuses it. The lock still pins versions.

ui:
	cd ui && npm run build

# The desktop app with ui/dist embedded (not the Vite dev server).
app: ui
	cargo build -p lotwise-desktop --features custom-protocol

cli:
	cargo build -p lotwise --bins

lint: ui
	cargo fmt --all -- --check
	cargo clippy -p lotwise --all-targets -- -D warnings
	cargo clippy -p lotwise-desktop -p lotwise-e2e --all-targets -- -D warnings
	cd ui && npx tsc --noEmit && npx eslint .

# TypeScript types are generated from Rust into ui/src/bindings and committed.
bindings:
	cargo test -p lotwise --lib export_bindings -q >/dev/null

bindings-check:
	@tmp=$$(mktemp -d); TS_RS_EXPORT_DIR=$$tmp cargo test -p lotwise --lib export_bindings -q >/dev/null; \
	if ! diff -r $$tmp ui/src/bindings >/dev/null; then \
		diff -r $$tmp ui/src/bindings || true; \
		echo "ui/src/bindings has drifted from the Rust types: run 'make bindings' and commit"; rm -rf $$tmp; exit 1; fi; \
	rm -rf $$tmp; echo "bindings: up to date"

# A private PostgreSQL server (scripts/with-postgres) is up for the unit and integration
# tests, and stopped afterwards: the conformance suite runs on it as on SQLite.
unit:
	scripts/with-postgres cargo nextest run -p lotwise --no-fail-fast

# The real app under Xvfb, driven through tauri-driver + WebKitWebDriver.
e2e: app cli
	mkdir -p $(ARTEFACTS)/e2e
	LOTWISE_APP=$(CURDIR)/$(APP) LOTWISE_ARTEFACTS=$(CURDIR)/$(ARTEFACTS)/e2e \
		scripts/with-postgres xvfb-run -a -s "-screen 0 1440x900x24" cargo test -p lotwise-e2e --test desktop --test evaluation --test documents --test award --test tupe --test finance --test route --test tender --test team --test scoresheet --test web_edition --test keyboard -- --test-threads 1

# Every benchmark once, small, with no target judged: a benchmark that stops running fails
# make test (the numbers are for `make bench`).
bench-smoke: app cli
	mkdir -p $(ARTEFACTS)
	scripts/with-postgres cargo run -p lotwise --bin bench -- --smoke --workspace $(ARTEFACTS)/bench-smoke.lotwise
	LOTWISE_APP=$(CURDIR)/$(APP) LOTWISE_WORKSPACE=$(CURDIR)/$(ARTEFACTS)/bench-smoke.lotwise \
		xvfb-run -a -s "-screen 0 1440x900x24" cargo run -p lotwise-e2e --bin app_bench -- --smoke

# Speed and memory: prints a table (not part of make test).
# The desktop numbers are for the release build, which is what people run.
# LibreOffice is only for the side-by-side comparison in the documents benchmark.
BENCH_APT_PACKAGES := libreoffice-writer-nogui fonts-liberation2

bench: deps ui
	@missing=""; for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; fi
	cargo build --release -p lotwise-desktop --features custom-protocol
	scripts/with-postgres cargo run -p lotwise --release --bin bench -- --workspace $(ARTEFACTS)/bench-2000.lotwise
	LOTWISE_APP=$(CURDIR)/target/release/lotwise-desktop LOTWISE_WORKSPACE=$(CURDIR)/$(ARTEFACTS)/bench-2000.lotwise \
		xvfb-run -a -s "-screen 0 1440x900x24" cargo run -p lotwise-e2e --bin app_bench

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules $(ARTEFACTS)
