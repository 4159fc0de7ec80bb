#!/usr/bin/env bash
# Builds the Android libraries and the Kotlin bindings into the Android library module
# bindings/android/citizen-wallet (the AAR org.citizenwallet:citizen-wallet).
#
#   bindings/scripts/build-android.sh [OUT_DIR]
#
# OUT_DIR defaults to the module's bindings/android/citizen-wallet/src/main; the script replaces
# only OUT_DIR/jniLibs and OUT_DIR/kotlin there:
#   OUT/jniLibs/<abi>/libcitizen_wallet_ffi.so          release, stripped, 16 KB-aligned
#   OUT/kotlin/org/citizenwallet/citizen_wallet_ffi.kt
#   OUT/kotlin/org/citizenwallet/core/citizen_wallet_core.kt
# Then: cd bindings/android && gradle :citizen-wallet:assembleRelease (or publishToMavenLocal);
# see bindings/android/README.md.
#
# Needs: the Android NDK r28 or newer (ANDROID_NDK_HOME, or ANDROID_NDK_ROOT, or the newest
# ANDROID_HOME/ndk/<version>), rustup, and cargo-ndk (installed here when missing:
# CARGO_NDK_VERSION, default 3.5.4).
# Settings: ANDROID_ABIS (default "arm64-v8a armeabi-v7a x86_64"), ANDROID_MIN_SDK (default 24).
#
# 16 KB pages (Google Play requires it of apps targeting Android 15+): every library is linked
# with -z max-page-size=16384 (through CARGO_TARGET_<TRIPLE>_RUSTFLAGS, for the Android targets
# only), and each .so's LOAD segments are checked with the NDK's llvm-readelf
# (check-elf-alignment.sh): the script fails below 0x4000. NDK r28 is the first to link
# 16 KB-aligned by default; older NDKs are refused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

OUT=${1:-$REPO/bindings/android/citizen-wallet/src/main}
read -r -a ABIS <<<"${ANDROID_ABIS:-arm64-v8a armeabi-v7a x86_64}"
MIN_SDK=${ANDROID_MIN_SDK:-24}
MIN_NDK_MAJOR=28
PAGE_SIZE=16384

# --- the NDK, r28 or newer ------------------------------------------------------------------
if [ -z "${ANDROID_NDK_HOME:-}" ]; then
  if [ -n "${ANDROID_NDK_ROOT:-}" ]; then
    export ANDROID_NDK_HOME=$ANDROID_NDK_ROOT
  elif [ -n "${ANDROID_HOME:-}" ] && [ -d "$ANDROID_HOME/ndk" ]; then
    ANDROID_NDK_HOME=$(find "$ANDROID_HOME/ndk" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)
    export ANDROID_NDK_HOME
  fi
fi
if [ -z "${ANDROID_NDK_HOME:-}" ] || [ ! -d "$ANDROID_NDK_HOME" ]; then
  echo "error: set ANDROID_NDK_HOME to an Android NDK (r$MIN_NDK_MAJOR or newer)" >&2
  exit 1
fi
PROPS=$ANDROID_NDK_HOME/source.properties
NDK_REVISION=""
if [ -f "$PROPS" ]; then
  NDK_REVISION=$(sed -n 's/^[[:space:]]*Pkg\.Revision[[:space:]]*=[[:space:]]*\([0-9][0-9.]*\).*/\1/p' "$PROPS" | head -n 1)
fi
if [ -z "$NDK_REVISION" ]; then
  echo "error: cannot read Pkg.Revision from $PROPS: is ANDROID_NDK_HOME an NDK?" >&2
  exit 1
fi
NDK_MAJOR=${NDK_REVISION%%.*}
if [ "$NDK_MAJOR" -lt "$MIN_NDK_MAJOR" ]; then
  echo "error: NDK $NDK_REVISION (r$NDK_MAJOR) in $ANDROID_NDK_HOME is too old: r$MIN_NDK_MAJOR or newer" >&2
  echo "       is needed (16 KB page-size alignment by default). Install one with Android Studio's" >&2
  echo "       SDK Manager (SDK Tools > NDK (Side by side)) and point ANDROID_NDK_HOME at it." >&2
  exit 1
fi
READELF=""
for r in "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf; do
  [ -x "$r" ] && READELF=$r && break
done
if [ -z "$READELF" ]; then
  echo "error: no llvm-readelf under $ANDROID_NDK_HOME/toolchains/llvm/prebuilt/*/bin" >&2
  exit 1
fi
echo "==> NDK $NDK_REVISION at $ANDROID_NDK_HOME"

# --- targets and link flags -----------------------------------------------------------------
triple_for() {
  case $1 in
    arm64-v8a) echo aarch64-linux-android ;;
    armeabi-v7a) echo armv7-linux-androideabi ;;
    x86_64) echo x86_64-linux-android ;;
    x86) echo i686-linux-android ;;
    *) echo "unknown ABI: $1" >&2; return 1 ;;
  esac
}

if [ -n "${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
  # It would override the per-target flags below (Cargo's precedence).
  echo "error: unset CARGO_ENCODED_RUSTFLAGS (or add -C link-arg=-Wl,-z,max-page-size=$PAGE_SIZE to it)" >&2
  exit 1
fi
PAGE_FLAG="-C link-arg=-Wl,-z,max-page-size=$PAGE_SIZE"
if [ -n "${RUSTFLAGS:-}" ]; then
  # RUSTFLAGS wins over target.<triple>.rustflags: add the flag there too.
  export RUSTFLAGS="$RUSTFLAGS $PAGE_FLAG"
fi
TRIPLES=()
NDK_ARGS=()
for abi in "${ABIS[@]}"; do
  triple=$(triple_for "$abi")
  TRIPLES+=("$triple")
  NDK_ARGS+=(-t "$abi")
  # CARGO_TARGET_<TRIPLE>_RUSTFLAGS: only the Android target's crates, not build scripts or the
  # host; set here rather than in .cargo/config.toml so host builds and tests are unchanged.
  var=CARGO_TARGET_$(tr '[:lower:]-' '[:upper:]_' <<<"$triple")_RUSTFLAGS
  export "$var=${!var:+${!var} }$PAGE_FLAG"
done
if command -v rustup >/dev/null; then
  rustup target add "${TRIPLES[@]}"
fi
if ! cargo ndk --version >/dev/null 2>&1; then
  cargo install cargo-ndk --locked --version "${CARGO_NDK_VERSION:-3.5.4}"
fi

# --- build into a staging folder, check, then replace OUT/jniLibs and OUT/kotlin ------------
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-android.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/jniLibs" "$STAGE/kotlin"
echo "==> building ${ABIS[*]} (min SDK $MIN_SDK, max-page-size $PAGE_SIZE)"
cargo ndk "${NDK_ARGS[@]}" --platform "$MIN_SDK" -o "$STAGE/jniLibs" \
  build -p citizen-wallet-ffi --lib --release

for abi in "${ABIS[@]}"; do
  [ -f "$STAGE/jniLibs/$abi/libcitizen_wallet_ffi.so" ] || {
    echo "error: missing jniLibs/$abi/libcitizen_wallet_ffi.so" >&2
    exit 1
  }
done

echo "==> checking LOAD segment alignment (>= $PAGE_SIZE) with $READELF"
"$REPO/bindings/scripts/check-elf-alignment.sh" --readelf "$READELF" --min "$PAGE_SIZE" "$STAGE/jniLibs"

echo "==> generating Kotlin (org.citizenwallet, org.citizenwallet.core)"
# uniffi reads the metadata from the library's symbol table, which the release profile strips:
# generate from a host debug build (the metadata does not depend on the target or profile).
cargo build -q -p citizen-wallet-ffi --lib --bin uniffi-bindgen
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
HOST_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.so
[ -f "$HOST_LIB" ] || HOST_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.dylib
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format \
  --library "$HOST_LIB" --language kotlin --out-dir "$STAGE/kotlin"
[ -f "$STAGE/kotlin/org/citizenwallet/citizen_wallet_ffi.kt" ] || {
  echo "error: uniffi-bindgen wrote no org/citizenwallet/citizen_wallet_ffi.kt" >&2
  exit 1
}

mkdir -p "$OUT"
rm -rf "$OUT/jniLibs" "$OUT/kotlin"
mv "$STAGE/jniLibs" "$OUT/jniLibs"
mv "$STAGE/kotlin" "$OUT/kotlin"

echo "==> done: $OUT/{jniLibs,kotlin}"
find "$OUT/jniLibs" "$OUT/kotlin" -type f -exec ls -l {} \;
