#!/usr/bin/env bash
# Binding tests: builds the library, generates the Python, Kotlin and Swift bindings with
# uniffi-bindgen, and runs the same scenario in each language against the built library
# (bindings/tests/{python,kotlin,swift}).
#
#   bindings/test.sh                   all three suites
#   bindings/test.sh python swift      some of them
#
# Toolchains are installed on first use, idempotently, into a cache OUTSIDE the repository,
# ${CWALLET_CACHE:-$HOME/.cache/citizen-wallet}:
#   Python  the system python3 (standard library only);
#   Kotlin  kotlinc and kotlinx-coroutines from the npm package kotlin-compiler, JNA from
#           Debian's libjna-java;
#   Swift   a Debian trixie chroot (debootstrap) with Debian's swiftlang package: no Swift
#           toolchain is downloaded from anywhere else. Needs root (chroot, mount).
# Settings: CWALLET_FFI_PROFILE=debug|release (library build, default debug: it shares the
# dependencies `cargo test` already built), CWALLET_DEBIAN_MIRROR.
#
# Every suite prints "<language>: N passed, N failed". The script exits non-zero when a suite
# fails or cannot run, and always unmounts what it mounted (trap on EXIT).

# shellcheck disable=SC2317 # functions run from traps and indirectly ("run_$suite")
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# CACHE, KOTLIN_*, SWIFT_*, step, apt_install, mount_tracked, lock_cache, install_{kotlinc,swift}
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/toolchains.sh
. "$REPO/scripts/lib/toolchains.sh"
PROFILE=${CWALLET_FFI_PROFILE:-debug}

SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(python kotlin swift)
for s in "${SUITES[@]}"; do
  case $s in python | kotlin | swift) ;; *) echo "unknown suite: $s (python, kotlin, swift)" >&2; exit 2 ;; esac
done

WORK=""
RESULTS=()
CURRENT=""
cleanup() {
  local rc=$?
  if [ -n "$CURRENT" ]; then # a toolchain, build or generation step failed
    RESULTS+=("$CURRENT: did not run (setup failed, exit $rc)")
  fi
  if [ ${#RESULTS[@]} -gt 0 ]; then
    printf '\n==> binding test results (%ss)\n' "$(($(now) - T_START))"
    printf '  %s\n' "${RESULTS[@]}"
  fi
  unmount_all
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then rm -rf --one-file-system "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lock_cache

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-bindings.XXXXXX")
GEN=$WORK/gen
FAILED=0

# ---------------------------------------------------------------------------------------------
step "build citizen-wallet-ffi ($PROFILE) and uniffi-bindgen"
cd "$REPO"
TARGET_DIR=$(target_dir)
# The bindings are generated from the debug library: uniffi reads its metadata from the symbol
# table, which the release profile strips (`strip = true`). The metadata is the same.
cargo build -p citizen-wallet-ffi --lib --bin uniffi-bindgen
GEN_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.so
if [ "$PROFILE" = release ]; then
  cargo build -p citizen-wallet-ffi --lib --release
  LIB=$TARGET_DIR/release/libcitizen_wallet_ffi.so
else
  LIB=$GEN_LIB
fi
BINDGEN=$TARGET_DIR/debug/uniffi-bindgen
LIBDIR=$WORK/lib
mkdir -p "$LIBDIR"
cp "$LIB" "$LIBDIR/"
LIB=$LIBDIR/libcitizen_wallet_ffi.so

# generate LANGUAGE OUT [--crate NAME]: library mode reads both crates' uniffi.toml.
generate() {
  local lang=$1 out=$2
  shift 2
  "$BINDGEN" generate --no-format --library "$GEN_LIB" --language "$lang" --out-dir "$out" "$@" >/dev/null
}

# record NAME OUTPUT_FILE STATUS: keeps the suite's "name: N passed, N failed" line.
record() {
  local name=$1 out=$2 status=$3 line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1 || true)
  if [ "$status" -ne 0 ] || [ -z "$line" ]; then
    FAILED=1
    RESULTS+=("${line:-$name: did not complete} (exit $status)")
  else
    RESULTS+=("$line")
  fi
}

# ---------------------------------------------------------------------------------------------
run_python() {
  step "python: generate and run"
  local pkg=$GEN/python/citizen_wallet status=0
  mkdir -p "$pkg"
  generate python "$pkg"
  cp "$LIB" "$pkg/"
  cat >"$pkg/__init__.py" <<'EOF'
"""citizen-wallet: generated uniffi bindings (citizen_wallet_ffi + citizen_wallet_core)."""
from .citizen_wallet_core import *  # noqa: F401,F403
from .citizen_wallet_ffi import *  # noqa: F401,F403
EOF
  PYTHONPATH=$GEN/python PYTHONDONTWRITEBYTECODE=1 \
    python3 "$REPO/bindings/tests/python/test_bindings.py" 2>&1 | tee "$WORK/python.out" || status=$?
  record python "$WORK/python.out" "$status"
}

# ---------------------------------------------------------------------------------------------
install_kotlin() {
  apt_install libjna-java
  install_kotlinc
}

run_kotlin() {
  install_kotlin
  step "kotlin: generate, compile and run"
  local src=$GEN/kotlin status=0 jna=/usr/share/java/jna.jar sum jar
  local stdlib=$KOTLIN_HOME/lib/kotlin-stdlib.jar ktest=$KOTLIN_HOME/lib/kotlin-test.jar
  # kotlinx-coroutines (the async variants are `suspend` functions) ships with kotlin-compiler.
  local coroutines=$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar
  local stubs=$REPO/bindings/tests/kotlin/android-stubs
  generate kotlin "$src"
  "$REPO/bindings/scripts/check-api-types.sh" kotlin "$src"
  # The generated bindings (uniffi.toml: android = true) compile with stubs of the three
  # Android classes they name, in about a minute: cache the jar by the sources' hash.
  sum=$(find "$src" "$stubs" -name '*.kt' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
  jar=$CACHE/kotlin-build/bindings-$sum.jar
  if [ ! -f "$jar" ]; then
    mkdir -p "$CACHE/kotlin-build"
    rm -f "$CACHE"/kotlin-build/bindings-*.jar
    find "$src" "$stubs" -name '*.kt' -print0 | xargs -0 "$KOTLIN_HOME/bin/kotlinc-jvm" -nowarn \
      -cp "$jna:$coroutines" -d "$jar.tmp.jar"
    mv "$jar.tmp.jar" "$jar"
  fi
  "$KOTLIN_HOME/bin/kotlinc-jvm" -nowarn -cp "$jar:$jna:$ktest:$coroutines" \
    "$REPO/bindings/tests/kotlin/BindingsTest.kt" "$REPO/bindings/tests/kotlin/HolderSignerTest.kt" \
    -d "$WORK/kotlin-test.jar"
  CWALLET_PEOPLE_JSON=$REPO/core/tests/data/people.json \
    java -Djna.library.path="$LIBDIR" -cp "$WORK/kotlin-test.jar:$jar:$jna:$stdlib:$ktest:$coroutines" \
    BindingsTestKt 2>&1 | tee "$WORK/kotlin.out" || status=$?
  record kotlin "$WORK/kotlin.out" "$status"
}

# ---------------------------------------------------------------------------------------------
# copy_if_changed SRC DST: keeps the destination's timestamp when the content is the same, so
# SwiftPM's incremental build in the cached chroot only recompiles what changed.
copy_if_changed() { cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"; }

run_swift() {
  install_swift
  step "swift: generate, build and run (swift test in the chroot)"
  local status=0 crate pkg=$SWIFT_ROOT/work/citizen-wallet f
  rm -rf "$GEN/swift"
  for crate in citizen_wallet_core citizen_wallet_ffi; do
    # Both crates are configured into the one Swift module CitizenWallet, so each writes
    # CitizenWallet.swift: generate them one at a time and rename.
    generate swift "$GEN/swift/$crate" --crate "$crate"
    mv "$GEN/swift/$crate/CitizenWallet.swift" "$GEN/swift/$crate/$crate.swift"
  done
  "$REPO/bindings/scripts/check-api-types.sh" swift "$GEN/swift"
  # The package: the repository's Package.swift and tests, plus the generated sources, the
  # two FFI headers in one clang module, and the library.
  mkdir -p "$pkg/Sources/CitizenWallet" "$pkg/Sources/CitizenWalletFFI" "$pkg/lib"
  copy_if_changed "$REPO/bindings/tests/swift/Package.swift" "$pkg/Package.swift"
  if [ -d "$pkg/Tests" ]; then # drop test files removed from the repository
    (cd "$pkg" && find Tests -type f -name '*.swift') | while read -r f; do
      [ -f "$REPO/bindings/tests/swift/$f" ] || rm -f "$pkg/$f"
    done
  fi
  (cd "$REPO/bindings/tests/swift" && find Tests -type f -name '*.swift') | while read -r f; do
    mkdir -p "$(dirname "$pkg/$f")"
    copy_if_changed "$REPO/bindings/tests/swift/$f" "$pkg/$f"
  done
  for crate in citizen_wallet_core citizen_wallet_ffi; do
    copy_if_changed "$GEN/swift/$crate/$crate.swift" "$pkg/Sources/CitizenWallet/$crate.swift"
    copy_if_changed "$GEN/swift/$crate/${crate}FFI.h" "$pkg/Sources/CitizenWalletFFI/${crate}FFI.h"
  done
  write_ffi_modulemap "$pkg/Sources/CitizenWalletFFI/module.modulemap.new"
  copy_if_changed "$pkg/Sources/CitizenWalletFFI/module.modulemap.new" "$pkg/Sources/CitizenWalletFFI/module.modulemap"
  rm -f "$pkg/Sources/CitizenWalletFFI/module.modulemap.new"
  cp "$LIB" "$pkg/lib/libcitizen_wallet_ffi.so"
  copy_if_changed "$REPO/core/tests/data/people.json" "$pkg/people.json"

  mount_tracked -t proc proc "$SWIFT_ROOT/proc"
  # SwiftPM 6.0.3 on Linux now and then crashes (SIGSEGV in swift-package) while planning the
  # build: the build, not the tests, is retried once.
  # shellcheck disable=SC2016 # expanded by the shell inside the chroot
  as_root chroot "$SWIFT_ROOT" /bin/bash -o pipefail -c '
    cd /work/citizen-wallet || exit 1
    flags=(-Xlinker -L/work/citizen-wallet/lib -Xlinker -rpath -Xlinker /work/citizen-wallet/lib)
    swift build --build-tests "${flags[@]}" 2>&1 || {
      echo "swift build failed (exit $?); retrying once"
      swift build --build-tests "${flags[@]}" 2>&1
    } || exit 1
    CWALLET_PEOPLE_JSON=/work/citizen-wallet/people.json LD_LIBRARY_PATH=/work/citizen-wallet/lib \
      swift test --skip-build --disable-swift-testing 2>&1
  ' | tee "$WORK/swift.out" || status=$?
  unmount_tracked "$SWIFT_ROOT/proc"
  record swift "$WORK/swift.out" "$status"
}

# A setup failure (toolchain, build, generation) stops the script under `set -e`; the EXIT trap
# then reports which suite could not run. A failing suite is recorded and the others still run.
for s in "${SUITES[@]}"; do
  CURRENT=$s
  "run_$s"
  CURRENT=""
done
exit "$FAILED"
