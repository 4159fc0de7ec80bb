#!/usr/bin/env bash
# Runs every test of the project: Rust (fmt, clippy, unit, integration, CLI; the fuzz targets and
# peer benchmarks compile) and the Kotlin, Swift and Python binding suites. Installs what it
# needs (idempotent, cached outside the repository). Usage: scripts/test.sh [--rust-only]
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# Every crate for every target, once, before tests that run `cargo tree` (no_network.rs).
step "cargo fetch"
cargo fetch --locked

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace

# The fuzz targets and the peer benchmarks are workspaces of their own that nothing above
# compiles: cargo check them (stable, --locked), and check that the peers get SQLite's default
# flags (askar does not link without them). Installs a C++ compiler if missing (libFuzzer).
step "fuzz targets and peer benchmarks compile"
scripts/check-fuzz-peers.sh

if [ -x scripts/audit.sh ]; then
  step "dependency audit"
  scripts/audit.sh
fi

# The size budget of the library apps ship (bindings/README.md, Size). The aim is 3 MiB; the
# hardening work (counter state, padding, PIN policy, rotation, decoys: +160 KB) put the library
# 48.6 KB over it, and the native-feeling API (issue 14 item 4: seven async exports with their
# thread and future machinery, pixel buffers, signed conversions: +89 KB, 3,283,720 B) 138 KB
# over, so the guard stands at 3.15625 MiB until the performance issue's phone-library target
# (<= 2 MB without the image decoder) lands. It still fails any further growth.
step "release cdylib size"
bindings/scripts/size.sh --max 3309568

if [ "${1:-}" != "--rust-only" ]; then
  step "binding tests (Python, Kotlin, Swift)"
  bindings/test.sh

  step "demo apps: shared logic (Kotlin on the JVM, Swift on Linux)"
  android-demo/test-jvm.sh
  ios-demo/test-linux.sh

  # What of the AAR / XCFramework packaging can be checked without an NDK or Xcode.
  step "mobile packaging checks"
  bindings/scripts/check-packaging.sh
fi
