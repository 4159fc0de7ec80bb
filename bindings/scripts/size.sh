#!/usr/bin/env bash
# Prints the size of the release cdylib, stripped, in bytes, against the size aim.
#
#   bindings/scripts/size.sh [--target TRIPLE] [--lean] [--max BYTES]
#
# --lean builds without default features (no `image`: no PNG or camera-frame input, no PNG
# output), the library an app ships when it scans with the platform's scanner; its aim is 2 MB
# (2000000 bytes, docs/PERFORMANCE.md, Library size). The default build's aim is 3 MiB
# (3145728 bytes) per ABI. Above its aim the script warns. With --max (or
# CWALLET_SIZE_MAX) it enforces that budget and exits 1 above it. The release profile already
# strips (Cargo.toml: strip = true, opt-level = "z", lto); the copy is stripped again here so
# the number does not depend on that setting. See bindings/README.md (Size) for what weighs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

TARGET=""
AIM=3145728
FEATURES=()
KIND=default
MAX=${CWALLET_SIZE_MAX:-}
while [ $# -gt 0 ]; do
  case $1 in
    --target) TARGET=$2; shift 2 ;;
    --max) MAX=$2; shift 2 ;;
    --lean) FEATURES=(--no-default-features); AIM=2000000; KIND=lean; shift ;;
    *) echo "usage: $0 [--target TRIPLE] [--lean] [--max BYTES]" >&2; exit 2 ;;
  esac
done

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
if [ -n "$TARGET" ]; then
  cargo build -p citizen-wallet-ffi --lib --release "${FEATURES[@]}" --target "$TARGET" >&2
  DIR=$TARGET_DIR/$TARGET/release
else
  cargo build -p citizen-wallet-ffi --lib --release "${FEATURES[@]}" >&2
  DIR=$TARGET_DIR/release
fi
LIB=""
for f in libcitizen_wallet_ffi.so libcitizen_wallet_ffi.dylib citizen_wallet_ffi.dll; do
  [ -f "$DIR/$f" ] && LIB=$DIR/$f && break
done
[ -n "$LIB" ] || { echo "no cdylib in $DIR" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp "$LIB" "$TMP/"
STRIPPED=$TMP/$(basename "$LIB")
if command -v llvm-strip >/dev/null && [ -n "$TARGET" ]; then
  llvm-strip --strip-unneeded "$STRIPPED"
elif [ -z "$TARGET" ] && command -v strip >/dev/null; then
  strip --strip-unneeded "$STRIPPED"
fi # a cross target without llvm-strip: Cargo's `strip = true` already applied
SIZE=$(wc -c <"$STRIPPED" | tr -d ' ')
echo "$(basename "$LIB") ($KIND, release${TARGET:+, $TARGET}, stripped): $SIZE bytes"
if [ -n "$MAX" ] && [ "$SIZE" -gt "$MAX" ]; then
  echo "over the budget of $MAX bytes by $((SIZE - MAX))" >&2
  exit 1
elif [ "$SIZE" -gt "$AIM" ]; then
  echo "warning: over the $KIND build's aim ($AIM bytes) by $((SIZE - AIM)) bytes" >&2
fi
