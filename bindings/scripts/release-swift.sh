#!/usr/bin/env bash
# Prepares the Swift package for a release: zips the XCFramework, computes its SwiftPM checksum
# and writes the root Package.swift with the url + checksum form of the binary target.
#
#   bindings/scripts/release-swift.sh [--in-place] [--out DIR] [--xcframework PATH]
#                                     [--sources DIR] VERSION [URL]
#
# VERSION  must be the workspace version ([workspace.package] version in Cargo.toml): the crates,
#          the AAR and the Swift package carry one version.
# URL      where the zip will be downloadable (the release asset). Without it:
#          $CWALLET_REPOSITORY_URL/releases/download/v$VERSION/CitizenWalletFFI.xcframework.zip
#          (the release-asset layout of GitHub, Gitea and Forgejo); no URL is invented otherwise.
# Inputs (from bindings/scripts/build-xcframework.sh, run on a Mac first):
#   --xcframework  default bindings/apple/CitizenWalletFFI.xcframework
#   --sources      default bindings/apple/Sources/CitizenWallet (checked, not copied)
# Output, in --out (default target/apple-release):
#   CitizenWalletFFI.xcframework.zip   upload it to URL
#   Package.swift                      the root manifest with .binaryTarget(url:checksum:)
#   binaryTarget.swift                 the same block alone
#   checksum.txt
# --in-place also writes the root Package.swift (for the release commit; see the steps printed
# at the end). The checksum is `swift package compute-checksum` where swift is installed, else
# the file's SHA-256 (what compute-checksum computes); with both, they must agree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

IN_PLACE=0
OUT=$REPO/target/apple-release
XCF=$REPO/bindings/apple/CitizenWalletFFI.xcframework
SOURCES=$REPO/bindings/apple/Sources/CitizenWallet
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --in-place) IN_PLACE=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    --xcframework) XCF=$2; shift 2 ;;
    --sources) SOURCES=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
if [ ${#ARGS[@]} -lt 1 ] || [ ${#ARGS[@]} -gt 2 ]; then
  echo "usage: $0 [--in-place] [--out DIR] [--xcframework PATH] [--sources DIR] VERSION [URL]" >&2
  exit 2
fi
VERSION=${ARGS[0]#v}
ZIP_NAME=CitizenWalletFFI.xcframework.zip
if [ ${#ARGS[@]} -eq 2 ]; then
  URL=${ARGS[1]}
elif [ -n "${CWALLET_REPOSITORY_URL:-}" ]; then
  URL=${CWALLET_REPOSITORY_URL%/}/releases/download/v$VERSION/$ZIP_NAME
else
  echo "error: give the download URL of the zip, or set CWALLET_REPOSITORY_URL" >&2
  exit 2
fi
case $URL in
  https://*) ;;
  *) echo "error: the URL must be https:// (SwiftPM downloads binary targets over HTTPS): $URL" >&2; exit 2 ;;
esac

# --- one version ------------------------------------------------------------------------------
# The version of [workspace.package] (the same reading as bindings/android/citizen-wallet).
WORKSPACE_VERSION=$(awk '
  { line = $0; sub(/#.*/, "", line); gsub(/^[ \t]+|[ \t]+$/, "", line) }
  line ~ /^\[/ { in_section = (line == "[workspace.package]"); next }
  in_section && line ~ /^version[ \t]*=[ \t]*"[^"]+"$/ {
    sub(/^version[ \t]*=[ \t]*"/, "", line); sub(/"$/, "", line); print line; exit
  }' "$REPO/Cargo.toml")
if [ -z "$WORKSPACE_VERSION" ]; then
  echo "error: no version in [workspace.package] of Cargo.toml" >&2
  exit 1
fi
if [ "$VERSION" != "$WORKSPACE_VERSION" ]; then
  echo "error: VERSION $VERSION is not the workspace version $WORKSPACE_VERSION (Cargo.toml):" >&2
  echo "       bump [workspace.package] version first, so crate, AAR and Swift package agree" >&2
  exit 1
fi

# --- inputs -----------------------------------------------------------------------------------
[ -f "$XCF/Info.plist" ] || {
  echo "error: no XCFramework at $XCF: run bindings/scripts/build-xcframework.sh (macOS + Xcode)" >&2
  exit 1
}
bad=0
slices=0
for slice in "$XCF"/*/; do
  slices=$((slices + 1))
  [ -f "$slice/Headers/CitizenWalletFFI/module.modulemap" ] || { echo "error: no Headers/CitizenWalletFFI/module.modulemap in $slice" >&2; bad=1; }
  [ ! -e "$slice/Headers/module.modulemap" ] || { echo "error: a top-level Headers/module.modulemap in $slice would clash with other frameworks" >&2; bad=1; }
done
[ "$slices" -gt 0 ] || { echo "error: no slice in $XCF" >&2; bad=1; }
for f in citizen_wallet_core.swift citizen_wallet_ffi.swift; do
  [ -f "$SOURCES/$f" ] || { echo "error: no generated $SOURCES/$f (build-xcframework.sh writes it)" >&2; bad=1; }
done
[ "$bad" -eq 0 ] || exit 1

# --- zip and checksum -------------------------------------------------------------------------
mkdir -p "$OUT"
ZIP=$OUT/$ZIP_NAME
rm -f "$ZIP"
XCF_PARENT=$(cd "$(dirname "$XCF")" && pwd)
XCF_BASE=$(basename "$XCF")
if [ "$XCF_BASE" != CitizenWalletFFI.xcframework ]; then
  echo "error: the XCFramework must be named CitizenWalletFFI.xcframework (the binary target's name)" >&2
  exit 1
fi
echo "==> zipping $XCF"
if command -v ditto >/dev/null; then
  # What Xcode and SwiftPM's own docs use on macOS: keeps symlinks and the folder at the top.
  (cd "$XCF_PARENT" && ditto -c -k --sequesterRsrc --keepParent "$XCF_BASE" "$ZIP")
else
  (cd "$XCF_PARENT" && zip -q -r -y -X "$ZIP" "$XCF_BASE")
fi

sha256_of() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
CHECKSUM=$(sha256_of "$ZIP")
if command -v swift >/dev/null; then
  SWIFT_CHECKSUM=$(cd "$REPO" && swift package compute-checksum "$ZIP")
  if [ "$SWIFT_CHECKSUM" != "$CHECKSUM" ]; then
    echo "error: swift package compute-checksum ($SWIFT_CHECKSUM) != SHA-256 ($CHECKSUM)" >&2
    exit 1
  fi
  echo "==> checksum (swift package compute-checksum): $CHECKSUM"
else
  echo "==> checksum (SHA-256 of the zip; swift is not installed): $CHECKSUM"
fi
printf '%s\n' "$CHECKSUM" >"$OUT/checksum.txt"

# --- the url + checksum form of the binary target -----------------------------------------------
cat >"$OUT/binaryTarget.swift" <<SWIFT
// BEGIN CitizenWalletFFI (bindings/scripts/release-swift.sh replaces this block for a release)
// Release $VERSION: the XCFramework from bindings/scripts/build-xcframework.sh, zipped.
let citizenWalletFFI: Target = .binaryTarget(
    name: "CitizenWalletFFI",
    url: "$URL",
    checksum: "$CHECKSUM"
)
// END CitizenWalletFFI
SWIFT
# Package.swift with the block between the BEGIN and END lines replaced.
awk -v block="$OUT/binaryTarget.swift" '
  /^\/\/ BEGIN CitizenWalletFFI/ { while ((getline l < block) > 0) print l; skipping = 1; found++; next }
  /^\/\/ END CitizenWalletFFI/ { skipping = 0; next }
  !skipping { print }
  END { if (found != 1) exit 3 }
' "$REPO/Package.swift" >"$OUT/Package.swift" || {
  echo "error: Package.swift needs exactly one // BEGIN CitizenWalletFFI ... // END CitizenWalletFFI block" >&2
  exit 1
}
if [ "$IN_PLACE" = 1 ]; then
  cp "$OUT/Package.swift" "$REPO/Package.swift"
  echo "==> wrote $REPO/Package.swift (url + checksum)"
fi

cat <<STEPS
==> done: $OUT
    $ZIP_NAME  checksum $CHECKSUM
    Package.swift, binaryTarget.swift, checksum.txt

Release v$VERSION of the Swift package (SwiftPM resolves tags "$VERSION" or "v$VERSION"):
  1. upload $ZIP to $URL
  2. on a release commit (not on main): $( [ "$IN_PLACE" = 1 ] && echo "Package.swift is written;" || echo "cp $OUT/Package.swift Package.swift;" )
     git add Package.swift && git add -f bindings/apple/Sources/CitizenWallet
     git commit -m "Swift package $VERSION: binary target by URL, generated sources"
  3. git tag v$VERSION && push the tag (the same tag as the crates and the AAR: CHANGELOG.md)
STEPS
