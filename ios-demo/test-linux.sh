#!/usr/bin/env bash
# Runs the iOS demo's platform-free logic (ios-demo/ClinicFlow: the SwiftPM library and its
# XCTest suite) on Linux, against the real library: libcitizen_wallet_ffi.so with the
# uniffi-generated Swift bindings, compiled by Debian's Swift in a Debian trixie chroot.
#
#   ios-demo/test-linux.sh
#
# Works on a fresh machine; needs root (chroot, mount). It uses the same cache and the same
# recipe as bindings/test.sh (scripts/lib/toolchains.sh),
# ${CWALLET_CACHE:-$HOME/.cache/citizen-wallet}: the chroot
# swift-trixie (debootstrap + Debian's swiftlang), built on first use by whichever script runs
# first. It builds the library and generates the Swift bindings the way bindings/test.sh does
# (CWALLET_FFI_PROFILE=debug|release, default debug), unless a caller hands them over:
#   CWALLET_FFI_LIB=/path/libcitizen_wallet_ffi.so   the built library
#   CWALLET_SWIFT_BINDINGS=/dir                      citizen_wallet_{core,ffi}.swift and
#                                                    citizen_wallet_{core,ffi}FFI.h, generated
#   CWALLET_CACHE_LOCK_HELD=1                        the caller already holds $CACHE/.lock
# /proc is mounted into the chroot for the build and ALWAYS unmounted on exit (trap).
#
# Prints "ios-demo: N passed, N failed" and exits non-zero on any failure. The SwiftUI app, the
# Keychain / Secure Enclave providers and device builds need Xcode: see ios-demo/README.md.
set -euo pipefail

DEMO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$DEMO/.." && pwd)
# CACHE, SWIFT_ROOT, step, apt_install, mount_tracked, unmount_all, lock_cache, install_swift
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/toolchains.sh
. "$REPO/scripts/lib/toolchains.sh"
PROFILE=${CWALLET_FFI_PROFILE:-debug}
PKG_IN_CHROOT=/work/ios-demo-clinicflow
PKG=$SWIFT_ROOT$PKG_IN_CHROOT

WORK=""
cleanup() {
  unmount_all
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then rm -rf --one-file-system "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
  echo "error: ios-demo/test-linux.sh needs root (debootstrap, chroot, mount)" >&2
  exit 1
fi
lock_cache
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-ios-demo.XXXXXX")

# ---------------------------------------------------------------------------------------------
# The chroot with Debian's swiftlang, shared with bindings/test.sh (first run only).
install_swift

# ---------------------------------------------------------------------------------------------
LIB=$WORK/libcitizen_wallet_ffi.so
if [ -n "${CWALLET_FFI_LIB:-}" ]; then
  step "library: $CWALLET_FFI_LIB (given)"
  cp "$CWALLET_FFI_LIB" "$LIB"
else
  step "build citizen-wallet-ffi ($PROFILE)"
  TARGET_DIR=$(target_dir)
  if [ "$PROFILE" = release ]; then
    (cd "$REPO" && cargo build -p citizen-wallet-ffi --lib --release)
  else
    (cd "$REPO" && cargo build -p citizen-wallet-ffi --lib)
  fi
  cp "$TARGET_DIR/$PROFILE/libcitizen_wallet_ffi.so" "$LIB"
fi

GEN=$WORK/gen
mkdir -p "$GEN"
if [ -n "${CWALLET_SWIFT_BINDINGS:-}" ]; then
  cp "$CWALLET_SWIFT_BINDINGS"/citizen_wallet_{core,ffi}.swift "$CWALLET_SWIFT_BINDINGS"/citizen_wallet_{core,ffi}FFI.h "$GEN/"
else
  step "generate the Swift bindings (uniffi-bindgen, one crate at a time)"
  TARGET_DIR=${TARGET_DIR:-$(target_dir)}
  (cd "$REPO" && cargo build -p citizen-wallet-ffi --bin uniffi-bindgen)
  for crate in citizen_wallet_core citizen_wallet_ffi; do
    # Both crates are configured into the one Swift module CitizenWallet: each writes
    # CitizenWallet.swift, hence one crate at a time and a rename (as bindings/test.sh).
    "$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$LIB" --language swift \
      --crate "$crate" --out-dir "$WORK/gen-$crate" >/dev/null
    mv "$WORK/gen-$crate/CitizenWallet.swift" "$GEN/$crate.swift"
    mv "$WORK/gen-$crate/${crate}FFI.h" "$GEN/"
  done
fi

# ---------------------------------------------------------------------------------------------
step "assemble the package in the chroot ($PKG_IN_CHROOT)"
# sync_file SRC DST: copies only when the content differs, so SwiftPM's incremental build in the
# cached chroot recompiles only what changed.
sync_file() { mkdir -p "$(dirname "$2")" && { cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"; }; }
# sync_dir SRC DST: sync_file for every file, and removes files that are gone from SRC.
sync_dir() {
  local src=$1 dst=$2 f
  mkdir -p "$dst"
  (cd "$src" && find . -type f -print0) | while IFS= read -r -d '' f; do sync_file "$src/$f" "$dst/$f"; done
  (cd "$dst" && find . -type f -print0) | while IFS= read -r -d '' f; do [ -e "$src/$f" ] || rm -f "$dst/$f"; done
}
sync_file "$DEMO/ClinicFlow/Package.swift" "$PKG/Package.swift"
sync_dir "$DEMO/ClinicFlow/Sources/ClinicFlow" "$PKG/Sources/ClinicFlow"
sync_dir "$DEMO/ClinicFlow/Tests" "$PKG/Tests"
for crate in citizen_wallet_core citizen_wallet_ffi; do
  sync_file "$GEN/$crate.swift" "$PKG/Sources/CitizenWallet/$crate.swift"
  sync_file "$GEN/${crate}FFI.h" "$PKG/Sources/CitizenWalletFFI/${crate}FFI.h"
done
write_ffi_modulemap "$WORK/module.modulemap"
sync_file "$WORK/module.modulemap" "$PKG/Sources/CitizenWalletFFI/module.modulemap"
mkdir -p "$PKG/lib"
cp "$LIB" "$PKG/lib/libcitizen_wallet_ffi.so"
sync_file "$REPO/core/tests/data/people.json" "$PKG/core-people.json"

step "swift test (in the chroot)"
status=0
mount_tracked -t proc proc "$SWIFT_ROOT/proc"
chroot "$SWIFT_ROOT" /bin/bash -o pipefail -c "
  cd $PKG_IN_CHROOT &&
  CWALLET_CORE_PEOPLE_JSON=$PKG_IN_CHROOT/core-people.json LD_LIBRARY_PATH=$PKG_IN_CHROOT/lib \
    swift test --disable-swift-testing \
      -Xlinker -L$PKG_IN_CHROOT/lib -Xlinker -rpath -Xlinker $PKG_IN_CHROOT/lib 2>&1
" | tee "$WORK/out.txt" || status=$?
unmount_tracked "$SWIFT_ROOT/proc"

line=$(grep -E '^ios-demo: [0-9]+ passed, [0-9]+ failed' "$WORK/out.txt" | tail -n 1 || true)
printf '\n==> ios-demo Swift tests on Linux (%ss): %s\n' "$(($(now) - T_START))" "${line:-did not complete}"
passed=$(sed -E 's/^ios-demo: ([0-9]+) passed.*/\1/' <<<"${line:-ios-demo: 0 passed}")
if [ "$status" -ne 0 ] || [ -z "$line" ] || [ "$passed" -eq 0 ]; then exit 1; fi
