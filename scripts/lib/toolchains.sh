# shellcheck shell=bash
# Toolchain helpers shared by bindings/test.sh, android-demo/test-jvm.sh and
# ios-demo/test-linux.sh (scripts/check-fuzz-peers.sh uses apt_install): one copy of the recipe, so the three scripts keep sharing one cache
# (${CWALLET_CACHE:-$HOME/.cache/citizen-wallet}) with the same layout:
#   .lock                    one user of the cache at a time (lock_cache)
#   kotlin-$KOTLIN_VERSION   kotlinc from the npm package kotlin-compiler (install_kotlinc)
#   kotlin-build             the compiled Kotlin bindings, by the sources' hash (the scripts)
#   swift-$SWIFT_SUITE       a Debian chroot with Debian's swiftlang (install_swift)
# Sourced, not run: `. "$REPO/scripts/lib/toolchains.sh"`. The caller sets `set -euo pipefail`,
# removes its own temporary files and calls unmount_all from its EXIT trap.
# Settings: CWALLET_CACHE, CWALLET_DEBIAN_MIRROR, CWALLET_CACHE_LOCK_HELD=1 (the caller already
# holds $CACHE/.lock, e.g. a script running another one).

# The toolchain cache, outside the repository (existing caches are reused: keep the names).
CACHE=${CWALLET_CACHE:-${HOME:-/root}/.cache/citizen-wallet}
KOTLIN_VERSION=2.4.20
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
SWIFT_SUITE=trixie # the Debian release whose swiftlang builds the Swift code
DEBIAN_MIRROR=${CWALLET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SWIFT_ROOT=$CACHE/swift-$SWIFT_SUITE

# now: the time in seconds, for the elapsed times the scripts print.
now() { date +%s; }
T_START=$(now)
# step MESSAGE...: prints a progress line with the seconds since the script started.
step() { printf '\n--> %s  (+%ss)\n' "$*" "$(($(now) - T_START))"; }

# as_root COMMAND...: runs the command as root (directly when root, else through sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: '$*' needs root" >&2
    return 1
  fi
}

APT_UPDATED=0
# apt_install PACKAGE...: installs the ones not installed yet (waits for a busy apt lock).
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # Wait for another apt (another script, unattended upgrades) instead of failing at once.
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}"
}

# target_dir: cargo's target directory for the workspace at $REPO.
target_dir() {
  (cd "$REPO" && cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
}

# write_ffi_modulemap FILE: the Clang module map of the generated Swift bindings' C headers.
write_ffi_modulemap() {
  cat >"$1" <<'EOF'
module CitizenWalletFFI {
    header "citizen_wallet_coreFFI.h"
    header "citizen_wallet_ffiFFI.h"
    link "citizen_wallet_ffi"
    export *
}
EOF
}

MOUNTS=() # what mount_tracked mounted and unmount_all still has to unmount
# mount_tracked MOUNT-ARGS... TARGET: mounts and records TARGET for unmount_all.
mount_tracked() {
  local target=${*: -1}
  mount "$@"
  MOUNTS+=("$target")
}
# unmount_tracked TARGET: unmounts TARGET now and forgets it.
unmount_tracked() {
  local target=$1 kept=() m
  umount "$target" || umount -l "$target"
  for m in "${MOUNTS[@]}"; do [ "$m" = "$target" ] || kept+=("$m"); done
  MOUNTS=("${kept[@]+"${kept[@]}"}")
}
# unmount_all: unmounts every tracked mount, last first (from the caller's EXIT trap).
unmount_all() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null ||
      echo "warning: could not unmount ${MOUNTS[$i]}" >&2
  done
  MOUNTS=()
}

# lock_cache: creates $CACHE and holds $CACHE/.lock (fd 9) until exit, unless CWALLET_CACHE_LOCK_HELD=1.
lock_cache() {
  mkdir -p "$CACHE"
  if [ "${CWALLET_CACHE_LOCK_HELD:-0}" != 1 ]; then
    # One user of the cache at a time (the Swift chroot and build directories are shared).
    exec 9>"$CACHE/.lock"
    flock 9
  fi
}

# install_kotlinc: kotlinc $KOTLIN_VERSION from npm into $KOTLIN_HOME (first run only).
install_kotlinc() {
  if [ ! -x "$KOTLIN_HOME/bin/kotlinc-jvm" ]; then
    step "kotlin: installing kotlin-compiler@$KOTLIN_VERSION from npm into $CACHE"
    command -v npm >/dev/null || apt_install npm
    # Installed beside the cache entry, renamed when complete: an interrupted run leaves no half.
    rm -rf "$CACHE/kotlin-$KOTLIN_VERSION.tmp"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/kotlin-$KOTLIN_VERSION.tmp" \
      "kotlin-compiler@$KOTLIN_VERSION"
    rm -rf "$CACHE/kotlin-$KOTLIN_VERSION"
    mv "$CACHE/kotlin-$KOTLIN_VERSION.tmp" "$CACHE/kotlin-$KOTLIN_VERSION"
  fi
  chmod +x "$KOTLIN_HOME"/bin/* 2>/dev/null || true
}

# install_swift: the Debian $SWIFT_SUITE chroot with swiftlang in $SWIFT_ROOT (first run only; root).
install_swift() {
  # (usr/bin/swift is an absolute symlink, valid only inside the chroot: use a marker file.)
  if [ -f "$SWIFT_ROOT/.cwallet-complete" ]; then return 0; fi
  step "swift: building a Debian $SWIFT_SUITE chroot with swiftlang in $SWIFT_ROOT (first run only)"
  apt_install debootstrap
  local tmp=$SWIFT_ROOT.tmp
  if [ -d "$tmp" ]; then # an interrupted earlier attempt
    while mountpoint -q "$tmp/proc"; do umount "$tmp/proc" || umount -l "$tmp/proc"; done
    rm -rf --one-file-system "$tmp"
  fi
  as_root debootstrap --variant=minbase "$SWIFT_SUITE" "$tmp" "$DEBIAN_MIRROR"
  mount_tracked -t proc proc "$tmp/proc"
  as_root chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends swiftlang libc6-dev
  as_root chroot "$tmp" apt-get clean
  unmount_tracked "$tmp/proc"
  [ -e "$tmp/usr/libexec/swift/bin/swift" ] || { echo "error: swiftlang did not install" >&2; return 1; }
  touch "$tmp/.cwallet-complete"
  rm -rf --one-file-system "$SWIFT_ROOT" # an incomplete chroot from an older layout
  mv "$tmp" "$SWIFT_ROOT"
}
