#!/usr/bin/env bash
# Builds the Android libraries and the Kotlin bindings, laid out for an Android library module
# (AAR): copy OUT/jniLibs to src/main/jniLibs and OUT/kotlin to src/main/kotlin.
#
#   bindings/scripts/build-android.sh [OUT_DIR]        (default: target/android)
#
# Needs: the Android NDK (ANDROID_NDK_HOME, or ANDROID_NDK_ROOT, or ANDROID_HOME/ndk/<version>),
# rustup, and cargo-ndk (installed here when missing: CARGO_NDK_VERSION, default 3.5.4).
# Settings: ANDROID_ABIS (default "arm64-v8a armeabi-v7a x86_64"), ANDROID_MIN_SDK (default 24).
#
# Output:
#   OUT/jniLibs/<abi>/libcitizen_wallet_ffi.so     release, stripped (Cargo.toml release profile)
#   OUT/kotlin/org/citizenwallet/citizen_wallet_ffi.kt
#   OUT/kotlin/org/citizenwallet/core/citizen_wallet_core.kt
# The app module also needs JNA as an AAR: implementation("net.java.dev.jna:jna:5.14.0@aar").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

OUT=${1:-$REPO/target/android}
read -r -a ABIS <<<"${ANDROID_ABIS:-arm64-v8a armeabi-v7a x86_64}"
MIN_SDK=${ANDROID_MIN_SDK:-24}

if [ -z "${ANDROID_NDK_HOME:-}" ]; then
  if [ -n "${ANDROID_NDK_ROOT:-}" ]; then
    export ANDROID_NDK_HOME=$ANDROID_NDK_ROOT
  elif [ -n "${ANDROID_HOME:-}" ] && [ -d "$ANDROID_HOME/ndk" ]; then
    ANDROID_NDK_HOME=$(find "$ANDROID_HOME/ndk" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)
    export ANDROID_NDK_HOME
  fi
fi
if [ -z "${ANDROID_NDK_HOME:-}" ] || [ ! -d "$ANDROID_NDK_HOME" ]; then
  echo "error: set ANDROID_NDK_HOME to an Android NDK (r25 or newer)" >&2
  exit 1
fi

triple_for() {
  case $1 in
    arm64-v8a) echo aarch64-linux-android ;;
    armeabi-v7a) echo armv7-linux-androideabi ;;
    x86_64) echo x86_64-linux-android ;;
    x86) echo i686-linux-android ;;
    *) echo "unknown ABI: $1" >&2; return 1 ;;
  esac
}

TRIPLES=()
NDK_ARGS=()
for abi in "${ABIS[@]}"; do
  TRIPLES+=("$(triple_for "$abi")")
  NDK_ARGS+=(-t "$abi")
done
if command -v rustup >/dev/null; then
  rustup target add "${TRIPLES[@]}"
fi
if ! cargo ndk --version >/dev/null 2>&1; then
  cargo install cargo-ndk --locked --version "${CARGO_NDK_VERSION:-3.5.4}"
fi

rm -rf "$OUT"
mkdir -p "$OUT/jniLibs" "$OUT/kotlin"
echo "==> building ${ABIS[*]} (min SDK $MIN_SDK)"
cargo ndk "${NDK_ARGS[@]}" --platform "$MIN_SDK" -o "$OUT/jniLibs" \
  build -p citizen-wallet-ffi --lib --release

for abi in "${ABIS[@]}"; do
  [ -f "$OUT/jniLibs/$abi/libcitizen_wallet_ffi.so" ] || {
    echo "error: missing $OUT/jniLibs/$abi/libcitizen_wallet_ffi.so" >&2
    exit 1
  }
done

echo "==> generating Kotlin (org.citizenwallet, org.citizenwallet.core)"
# uniffi reads the metadata from the library's symbol table, which the release profile strips:
# generate from a host debug build (the metadata does not depend on the target or profile).
cargo build -q -p citizen-wallet-ffi --lib --bin uniffi-bindgen
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
HOST_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.so
[ -f "$HOST_LIB" ] || HOST_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.dylib
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format \
  --library "$HOST_LIB" --language kotlin --out-dir "$OUT/kotlin"

echo "==> done"
find "$OUT" -type f -exec ls -l {} \;
