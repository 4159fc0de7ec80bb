#!/usr/bin/env bash
# Builds the XCFramework and the generated Swift sources of the Swift package `CitizenWallet`
# (the repository's root Package.swift). macOS with Xcode only.
#
#   bindings/scripts/build-xcframework.sh [OUT_DIR]     (default: bindings/apple)
#
# Needs: Xcode command line tools (xcodebuild, lipo), rustup. Settings:
#   IPHONEOS_DEPLOYMENT_TARGET (default 15.0)
#   CWALLET_MACOS=1            also build a macOS slice (arm64 + x86_64), e.g. to run the Swift
#                              package's tests on a Mac
#
# Output (the root Package.swift reads the default OUT_DIR, bindings/apple; not committed):
#   OUT/CitizenWalletFFI.xcframework   static libraries: ios-arm64, ios-arm64_x86_64-simulator
#                                      (+ macos-arm64_x86_64); in each slice
#                                      Headers/CitizenWalletFFI/{module.modulemap, *FFI.h}: the
#                                      module map in its own subfolder, so it cannot clash with
#                                      another XCFramework's top-level Headers/module.modulemap
#   OUT/Sources/CitizenWallet/*.swift  the generated bindings: ONE Swift module `CitizenWallet`
#                                      for both crates
# Then: add the repository folder as a local Swift package in Xcode, or cut a release with
# bindings/scripts/release-swift.sh VERSION URL (zip + checksum + url form of the binary target).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

OUT=${1:-$REPO/bindings/apple}
export IPHONEOS_DEPLOYMENT_TARGET=${IPHONEOS_DEPLOYMENT_TARGET:-15.0}
export MACOSX_DEPLOYMENT_TARGET=${MACOSX_DEPLOYMENT_TARGET:-12.0}
LIB=libcitizen_wallet_ffi.a
FFI_MODULE=CitizenWalletFFI

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null; then
  echo "error: building an XCFramework needs macOS with Xcode (xcodebuild)" >&2
  exit 1
fi

DEVICE=(aarch64-apple-ios)
SIMULATOR=(aarch64-apple-ios-sim x86_64-apple-ios)
MACOS=()
[ "${CWALLET_MACOS:-0}" = 1 ] && MACOS=(aarch64-apple-darwin x86_64-apple-darwin)
ALL=("${DEVICE[@]}" "${SIMULATOR[@]}" "${MACOS[@]+"${MACOS[@]}"}")

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

rustup target add "${ALL[@]}"
for t in "${ALL[@]}"; do
  echo "==> cargo build --target $t"
  cargo build -p citizen-wallet-ffi --lib --release --target "$t"
done

XCF=$OUT/$FFI_MODULE.xcframework
SOURCES=$OUT/Sources/CitizenWallet
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-apple.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
# -headers DIR puts DIR's content in each slice's Headers/: the subfolder is the module's own.
HEADERS=$STAGE/headers/$FFI_MODULE
mkdir -p "$STAGE/Sources" "$HEADERS" "$STAGE/gen"

echo "==> generating Swift (module CitizenWallet, clang module $FFI_MODULE)"
# uniffi reads the metadata from a library's symbol table: generate from a host debug build
# (the release profile strips; the metadata does not depend on the target or profile).
# Both crates are configured into the one Swift module CitizenWallet (bindings/uniffi.toml,
# core/uniffi.toml), so each would write CitizenWallet.swift: generate one crate at a time.
cargo build -q -p citizen-wallet-ffi --lib --bin uniffi-bindgen
HOST_LIB=$TARGET_DIR/debug/libcitizen_wallet_ffi.dylib
for crate in citizen_wallet_core citizen_wallet_ffi; do
  "$TARGET_DIR/debug/uniffi-bindgen" generate --no-format \
    --library "$HOST_LIB" --language swift --crate "$crate" \
    --out-dir "$STAGE/gen/$crate"
  cp "$STAGE/gen/$crate/CitizenWallet.swift" "$STAGE/Sources/$crate.swift"
  cp "$STAGE/gen/$crate/${crate}FFI.h" "$HEADERS/"
done
# Header paths in a module map are relative to the module map's own folder.
cat >"$HEADERS/module.modulemap" <<MAP
module $FFI_MODULE {
    header "citizen_wallet_coreFFI.h"
    header "citizen_wallet_ffiFFI.h"
    export *
}
MAP

# fat_lib OUT TRIPLE...: one library with the slices of several architectures.
fat_lib() {
  local out=$1 t inputs=()
  shift
  for t in "$@"; do inputs+=("$TARGET_DIR/$t/release/$LIB"); done
  mkdir -p "$(dirname "$out")"
  lipo -create "${inputs[@]}" -output "$out"
}

echo "==> lipo: one simulator library (arm64 + x86_64)"
fat_lib "$STAGE/ios-simulator/$LIB" "${SIMULATOR[@]}"
XC_ARGS=(
  -library "$TARGET_DIR/${DEVICE[0]}/release/$LIB" -headers "$STAGE/headers"
  -library "$STAGE/ios-simulator/$LIB" -headers "$STAGE/headers"
)
if [ ${#MACOS[@]} -gt 0 ]; then
  fat_lib "$STAGE/macos/$LIB" "${MACOS[@]}"
  XC_ARGS+=(-library "$STAGE/macos/$LIB" -headers "$STAGE/headers")
fi

echo "==> xcodebuild -create-xcframework"
mkdir -p "$OUT"
rm -rf "$XCF" "$SOURCES"
xcodebuild -create-xcframework "${XC_ARGS[@]}" -output "$XCF"
mkdir -p "$(dirname "$SOURCES")"
mv "$STAGE/Sources" "$SOURCES"

# The layout the Swift package relies on: every slice has Headers/CitizenWalletFFI/module.modulemap
# and no top-level Headers/module.modulemap.
bad=0
for slice in "$XCF"/*/; do
  [ -f "$slice/Headers/$FFI_MODULE/module.modulemap" ] || { echo "error: no Headers/$FFI_MODULE/module.modulemap in $slice" >&2; bad=1; }
  [ ! -e "$slice/Headers/module.modulemap" ] || { echo "error: top-level Headers/module.modulemap in $slice" >&2; bad=1; }
done
[ "$bad" -eq 0 ] || exit 1

echo "==> done: $XCF and $SOURCES"
find "$XCF" "$SOURCES" -maxdepth 3 -print
