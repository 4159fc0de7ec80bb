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
# The phone library without the `image` feature (what size.sh --lean measures): libraries only,
# since the tests' dev-dependencies turn the feature back on.
cargo clippy -p citizen-wallet-core -p citizen-wallet-ffi --no-default-features --lib -- -D warnings

step "cargo test --workspace"
cargo test --workspace

# The fuzz targets and the peer benchmarks are workspaces of their own that nothing above
# compiles: cargo check them (stable, --locked), and check that the peers get SQLite's default
# flags (askar does not link without them). Installs a C++ compiler if missing (libFuzzer).
step "fuzz targets and peer benchmarks compile"
scripts/check-fuzz-peers.sh

# The camera set (docs/PERFORMANCE.md, "Camera set"): quick mode, one strength per distortion,
# our decoder against the library before and zxing-cpp (pip, cached venv; skipped with a message
# when pip cannot reach PyPI).
step "camera set, quick (perf/camera_set.py --quick)"
perf/camera_set.py --quick

if [ -x scripts/audit.sh ]; then
  step "dependency audit"
  scripts/audit.sh
fi

# The size budgets of the library apps ship (docs/PERFORMANCE.md, Library size): the default
# build (rxing, png and jpeg-decoder for camera frames and image files) and the lean one (no
# `image` feature: apps that scan with ML Kit / Vision). Each guard is the size measured when
# this round's work landed (default 4,220,264 B, lean 3,193,288 B) plus a little, so any growth
# fails here. The aims are not met: 3 MiB for the default build, 2 MB for the lean one (missed
# by 1.19 MB; PERFORMANCE.md says where the bytes go and what each lever would cost).
step "release cdylib size"
bindings/scripts/size.sh --max 4270000
bindings/scripts/size.sh --lean --max 3230000

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
