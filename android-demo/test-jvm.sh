#!/usr/bin/env bash
# Runs the Android demo's platform-free logic (android-demo/shared: ClinicFlow, Display,
# QrRaster, AesGcmKeyProvider, WalletAccess) and its JUnit tests on the JVM, against the real
# library: libcitizen_wallet_ffi.so loaded through JNA with the uniffi-generated Kotlin.
#
#   android-demo/test-jvm.sh
#
# Works on a fresh machine. It installs what it needs on first use, into the same cache and
# with the same recipe as bindings/test.sh (scripts/lib/toolchains.sh),
# ${CWALLET_CACHE:-$HOME/.cache/citizen-wallet}:
# kotlinc from the npm package kotlin-compiler, JNA and JUnit 4 from Debian (libjna-java,
# junit4). It builds the library and generates the Kotlin bindings the way bindings/test.sh does
# (CWALLET_FFI_PROFILE=debug|release, default debug), unless a caller hands them over:
#   CWALLET_FFI_LIB=/path/libcitizen_wallet_ffi.so      the built library
#   CWALLET_KOTLIN_BINDINGS=/dir                        the generated Kotlin (org/citizenwallet/...)
#   CWALLET_CACHE_LOCK_HELD=1                           the caller already holds $CACHE/.lock
#
# Prints "android-demo: N passed, N failed" and exits non-zero on any failure. The Android app
# itself (app/) is not built here: that needs the Android SDK (see android-demo/README.md).
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$DEMO/.." && pwd)
# CACHE, KOTLIN_VERSION, KOTLIN_HOME, step, apt_install, lock_cache, install_kotlinc
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/toolchains.sh
. "$REPO/scripts/lib/toolchains.sh"
PROFILE=${CWALLET_FFI_PROFILE:-debug}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-android-demo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

lock_cache

# ---------------------------------------------------------------------------------------------
step "toolchain: JDK, JNA, JUnit 4, kotlinc $KOTLIN_VERSION"
if ! command -v java >/dev/null || ! command -v javac >/dev/null; then apt_install default-jdk-headless; fi
apt_install libjna-java junit4
JNA=/usr/share/java/jna.jar
JUNIT=/usr/share/java/junit4.jar:/usr/share/java/hamcrest.jar
install_kotlinc
KOTLINC=$KOTLIN_HOME/bin/kotlinc-jvm
STDLIB=$KOTLIN_HOME/lib/kotlin-stdlib.jar
KTEST=$KOTLIN_HOME/lib/kotlin-test.jar
# kotlinx-coroutines (the async variants are `suspend` functions) ships with kotlin-compiler.
COROUTINES=$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar

# ---------------------------------------------------------------------------------------------
LIBDIR=$WORK/lib
mkdir -p "$LIBDIR"
if [ -n "${CWALLET_FFI_LIB:-}" ]; then
  step "library: $CWALLET_FFI_LIB (given)"
  cp "$CWALLET_FFI_LIB" "$LIBDIR/libcitizen_wallet_ffi.so"
  if [ -z "${CWALLET_KOTLIN_BINDINGS:-}" ]; then
    TARGET_DIR=$(target_dir)
    (cd "$REPO" && cargo build -p citizen-wallet-ffi --bin uniffi-bindgen)
  fi
else
  step "build citizen-wallet-ffi ($PROFILE) and uniffi-bindgen"
  cd "$REPO"
  TARGET_DIR=$(target_dir)
  if [ "$PROFILE" = release ]; then
    cargo build -p citizen-wallet-ffi --lib --release
    cargo build -p citizen-wallet-ffi --bin uniffi-bindgen
  else
    cargo build -p citizen-wallet-ffi --lib --bin uniffi-bindgen
  fi
  cp "$TARGET_DIR/$PROFILE/libcitizen_wallet_ffi.so" "$LIBDIR/"
fi
LIB=$LIBDIR/libcitizen_wallet_ffi.so

if [ -n "${CWALLET_KOTLIN_BINDINGS:-}" ]; then
  GEN=$CWALLET_KOTLIN_BINDINGS
else
  step "generate the Kotlin bindings (uniffi-bindgen, library mode)"
  GEN=$WORK/gen-kotlin
  "$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$LIB" --language kotlin \
    --out-dir "$GEN" >/dev/null
fi
[ -f "$GEN/org/citizenwallet/citizen_wallet_ffi.kt" ] || {
  echo "error: no generated Kotlin bindings in $GEN" >&2
  exit 1
}

# The generated bindings take about a minute to compile: cached by the sources' hash, in the
# same place and under the same name as bindings/test.sh, so either script reuses the other's.
SUM=$(find "$GEN" -name '*.kt' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
BINDINGS_JAR=$CACHE/kotlin-build/bindings-$SUM.jar
if [ ! -f "$BINDINGS_JAR" ]; then
  step "compile the generated bindings"
  mkdir -p "$CACHE/kotlin-build"
  rm -f "$CACHE"/kotlin-build/bindings-*.jar
  find "$GEN" -name '*.kt' -print0 | xargs -0 "$KOTLINC" -nowarn -cp "$JNA:$COROUTINES" -d "$BINDINGS_JAR.tmp.jar"
  mv "$BINDINGS_JAR.tmp.jar" "$BINDINGS_JAR"
fi

# ---------------------------------------------------------------------------------------------
step "compile android-demo/shared (main + test)"
mapfile -d '' SOURCES < <(find "$DEMO/shared/src/main/kotlin" "$DEMO/shared/src/test/kotlin" -name '*.kt' -print0 | sort -z)
"$KOTLINC" -Werror -cp "$BINDINGS_JAR:$JNA:$JUNIT:$KTEST:$COROUTINES" -d "$WORK/demo.jar" "${SOURCES[@]}"

step "run the tests"
status=0
cd "$DEMO/shared"
CWALLET_DEMO_PEOPLE_JSON=$DEMO/app/src/main/assets/people.json \
  CWALLET_CORE_PEOPLE_JSON=$REPO/core/tests/data/people.json \
  java -Djna.library.path="$LIBDIR" \
  -cp "$WORK/demo.jar:$BINDINGS_JAR:$JNA:$JUNIT:$STDLIB:$KTEST:$COROUTINES" \
  org.citizenwallet.demo.RunTestsKt 2>&1 | tee "$WORK/out.txt" || status=$?

line=$(grep -E '^android-demo: [0-9]+ passed, [0-9]+ failed' "$WORK/out.txt" | tail -n 1 || true)
printf '\n==> android-demo JVM tests (%ss): %s\n' "$(($(now) - T_START))" "${line:-did not complete}"
if [ "$status" -ne 0 ] || [ -z "$line" ]; then exit 1; fi
