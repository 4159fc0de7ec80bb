#!/usr/bin/env bash
# Runs every test of the project: Rust (fmt, clippy, unit, integration, CLI) and the
# Kotlin, Swift and Python binding suites. Installs what it needs (idempotent, cached outside
# the repository). Usage: scripts/test.sh [--rust-only]
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

if [ -x scripts/audit.sh ]; then
  step "dependency audit"
  scripts/audit.sh
fi

# The size budget of the library apps ship (bindings/README.md, Size): fails above 3 MiB.
step "release cdylib size"
bindings/scripts/size.sh --max 3145728

if [ "${1:-}" != "--rust-only" ]; then
  step "binding tests (Python, Kotlin, Swift)"
  bindings/test.sh

  step "demo apps: shared logic (Kotlin on the JVM, Swift on Linux)"
  android-demo/test-jvm.sh
  ios-demo/test-linux.sh
fi
