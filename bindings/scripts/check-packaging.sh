#!/usr/bin/env bash
# The checks of the mobile packaging that can run on Linux, where there is no Android SDK/NDK
# and no Xcode (so the AAR and the XCFramework themselves are never built here):
#
#   bindings/scripts/check-packaging.sh [--no-swift] [CHECK...]     (default: all checks)
#
#   lint           shellcheck of every script under bindings/scripts, the demos' test scripts
#   elf-alignment  check-elf-alignment.sh on libraries linked here with and without
#                  -z max-page-size=16384, in a folder and inside a zip laid out like an AAR
#   ndk            build-android.sh refuses a missing folder, a non-NDK and NDK r27
#   android-build  build-android.sh end to end with a fake NDK r28 and a stand-in `cargo ndk`
#                  that links with gcc using the flags the script exported for each target:
#                  the right .so files and the generated Kotlin land in OUT, 4 KB-aligned output
#                  is refused, OUT's other files survive
#   gradle-version the Cargo.toml version parser of bindings/android/citizen-wallet/build.gradle.kts,
#                  cut out of that file, compiled by kotlinc and run on the real Cargo.toml
#                  (against Python's tomllib) and on tricky texts
#   release-swift  release-swift.sh on a stand-in XCFramework: zip, checksum, url form, refusals
#   swift-manifest (root, unless --no-swift) `swift package dump-package` of the root Package.swift
#                  and of the release form, `swift package compute-checksum` of the zip,
#                  `swiftc -parse` (syntax only) of the iOS demo app, and ClinicFlow's Apple
#                  dependency on the root package resolved (`swift package describe`) under a
#                  folder not named like the package, in the Debian Swift chroot of
#                  bindings/test.sh (a temporary folder in it; /proc is mounted for the run and
#                  always unmounted)
#   strings        Android strings.xml (values, values-vi) well-formed with the same names, every
#                  R.string used by the app defined; the iOS String Catalog valid with vi and en
#                  for every key and every catalog key used by the app
#   gradle-wrapper android-demo's wrapper: the jar is the upstream one (pinned SHA-256)
#
# Prints "packaging: N passed, N failed"; exits 1 when any check failed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# CACHE, KOTLIN_HOME, SWIFT_ROOT, step, apt_install, mount_tracked, unmount_all, lock_cache, ...
# shellcheck source-path=SCRIPTDIR/../.. source=scripts/lib/toolchains.sh
. "$REPO/scripts/lib/toolchains.sh"

SWIFT=1
ONLY=()
for arg in "$@"; do
  case $arg in
    --no-swift) SWIFT=0 ;;
    -*) echo "usage: $0 [--no-swift] [CHECK...]" >&2; exit 2 ;;
    *) ONLY+=("$arg") ;;
  esac
done
# wanted NAME: whether to run that check (all when none was named).
wanted() {
  [ ${#ONLY[@]} -eq 0 ] && return 0
  local o
  for o in "${ONLY[@]}"; do [ "$o" = "$1" ] && return 0; done
  return 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cwallet-packaging.XXXXXX")
CHROOT_WORK=""
cleanup() {
  unmount_all
  if [ -n "$CHROOT_WORK" ] && [ -d "$CHROOT_WORK" ]; then rm -rf --one-file-system "$CHROOT_WORK"; fi
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
FAILURES=()
# check NAME COMMAND...: runs the command (output in $WORK/NAME.log), counts the result. The
# command runs in a subshell started apart from the `if`, so `set -e` stops it at the first
# failing line (inside an `if` condition bash would ignore set -e); the subshell unmounts what
# it mounted and removes its chroot folder itself.
check() {
  local name=$1 pid
  shift
  wanted "$name" || return 0
  (
    trap 'unmount_all; if [ -n "$CHROOT_WORK" ] && [ -d "$CHROOT_WORK" ]; then rm -rf --one-file-system "$CHROOT_WORK"; fi' EXIT
    "$@"
  ) >"$WORK/$name.log" 2>&1 &
  pid=$!
  if wait "$pid"; then
    PASSED=$((PASSED + 1))
    printf 'ok    %-15s %s\n' "$name" "$(tail -n 1 "$WORK/$name.log" | cut -c1-110)"
  else
    FAILED=$((FAILED + 1))
    FAILURES+=("$name")
    printf 'FAIL  %s\n' "$name"
    sed 's/^/      /' "$WORK/$name.log" | tail -n 30
  fi
}
# fails_with CODE PATTERN COMMAND...: the command must exit CODE and print PATTERN.
fails_with() {
  local code=$1 pattern=$2 rc=0 out
  shift 2
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -q -- "$pattern" <<<"$out"; then
    printf 'expected exit %s and "%s" from: %s\ngot exit %s:\n%s\n' "$code" "$pattern" "$*" "$rc" "$out"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
check_shellcheck() {
  command -v shellcheck >/dev/null || apt_install shellcheck
  (cd "$REPO" && shellcheck -x bindings/scripts/*.sh bindings/test.sh android-demo/test-jvm.sh ios-demo/test-linux.sh)
}

# so_file PATH PAGE: a small shared library linked with -z max-page-size=PAGE.
so_file() {
  mkdir -p "$(dirname "$1")"
  printf 'int cwallet_probe(void) { return 1; }\n' >"$WORK/probe.c"
  gcc -shared -fPIC -o "$1" "$WORK/probe.c" "-Wl,-z,max-page-size=$2"
}

check_elf_alignment() {
  local s=$REPO/bindings/scripts/check-elf-alignment.sh d=$WORK/elf
  so_file "$d/jni/arm64-v8a/libgood.so" 16384
  so_file "$d/jni/x86_64/libgood.so" 65536
  so_file "$d/bad/jni/x86_64/libbad.so" 4096
  "$s" "$d/jni"
  "$s" "$d/jni/arm64-v8a/libgood.so"
  fails_with 1 'FAIL.*libbad.so.*0x1000 < 0x4000' "$s" "$d/bad"
  (cd "$d/bad" && zip -q -r "$d/bad.aar" jni)
  fails_with 1 'bad.aar!/jni/x86_64/libbad.so' "$s" "$d/bad.aar"
  (cd "$d" && zip -q -r "$d/good.apk" jni)
  "$s" "$d/good.apk"
  fails_with 1 'no LOAD segment' "$s" "$WORK/probe.c"
  fails_with 2 'no such file' "$s" "$d/missing"
  mkdir -p "$d/empty"
  fails_with 1 'no .so file' "$s" "$d/empty"
}

check_ndk() {
  local s=$REPO/bindings/scripts/build-android.sh d=$WORK/ndk
  mkdir -p "$d/none" "$d/r27"
  printf 'Pkg.Desc = Android NDK\nPkg.Revision = 27.2.12479018\n' >"$d/r27/source.properties"
  fails_with 1 'set ANDROID_NDK_HOME' env -u ANDROID_NDK_HOME -u ANDROID_NDK_ROOT -u ANDROID_HOME "$s" "$d/out"
  fails_with 1 'cannot read Pkg.Revision' env ANDROID_NDK_HOME="$d/none" "$s" "$d/out"
  fails_with 1 'NDK 27.2.12479018 (r27).*too old' env ANDROID_NDK_HOME="$d/r27" "$s" "$d/out"
  [ ! -e "$d/out" ]
}

check_android_build() {
  local s=$REPO/bindings/scripts/build-android.sh d=$WORK/android real_cargo readelf
  real_cargo=$(command -v cargo)
  readelf=$(command -v llvm-readelf || command -v readelf)
  mkdir -p "$d/ndk/toolchains/llvm/prebuilt/linux-x86_64/bin" "$d/bin" "$d/out"
  printf 'Pkg.Desc = Android NDK\nPkg.Revision = 28.1.13356709\n' >"$d/ndk/source.properties"
  ln -s "$readelf" "$d/ndk/toolchains/llvm/prebuilt/linux-x86_64/bin/llvm-readelf"
  printf '<manifest />\n' >"$d/out/AndroidManifest.xml"
  mkdir -p "$d/out/jniLibs/mips" && touch "$d/out/jniLibs/mips/stale.so"
  printf '#!/bin/sh\nexit 0\n' >"$d/bin/rustup"
  # `cargo ndk -t ABI... --platform N -o DIR build ...`: one gcc-linked .so per ABI, with the
  # max-page-size found in that target's CARGO_TARGET_<TRIPLE>_RUSTFLAGS (4096 when absent).
  # Everything else goes to the real cargo.
  cat >"$d/bin/cargo" <<EOF
#!/usr/bin/env bash
set -euo pipefail
[ "\${1:-}" = ndk ] || exec "$real_cargo" "\$@"
shift
[ "\${1:-}" = --version ] && { echo "cargo-ndk (stand-in)"; exit 0; }
abis=() out=""
while [ \$# -gt 0 ]; do
  case \$1 in -t) abis+=("\$2"); shift 2 ;; -o) out=\$2; shift 2 ;; *) shift ;; esac
done
for abi in "\${abis[@]}"; do
  case \$abi in arm64-v8a) t=AARCH64_LINUX_ANDROID ;; armeabi-v7a) t=ARMV7_LINUX_ANDROIDEABI ;; x86_64) t=X86_64_LINUX_ANDROID ;; esac
  var=CARGO_TARGET_\${t}_RUSTFLAGS
  flags=\${!var:-}
  [ "\${STUB_IGNORE_FLAGS:-0}" = 1 ] && flags=""
  page=\$(sed -n 's/.*max-page-size=\([0-9]*\).*/\1/p' <<<"\$flags")
  mkdir -p "\$out/\$abi"
  printf 'int f(void) { return 0; }\n' | gcc -x c -shared -fPIC -o "\$out/\$abi/libcitizen_wallet_ffi.so" - "-Wl,-z,max-page-size=\${page:-4096}"
done
EOF
  chmod +x "$d/bin/cargo" "$d/bin/rustup"
  # 1. the flags the script exports are the ones that reach each target: aligned, accepted.
  PATH="$d/bin:$PATH" ANDROID_NDK_HOME="$d/ndk" "$s" "$d/out"
  local abi
  for abi in arm64-v8a armeabi-v7a x86_64; do
    [ -f "$d/out/jniLibs/$abi/libcitizen_wallet_ffi.so" ] || { echo "missing $abi"; return 1; }
  done
  [ ! -e "$d/out/jniLibs/mips" ] || { echo "stale jniLibs kept"; return 1; }
  [ -f "$d/out/AndroidManifest.xml" ] || { echo "OUT's other files removed"; return 1; }
  [ -f "$d/out/kotlin/org/citizenwallet/citizen_wallet_ffi.kt" ] || { echo "no Kotlin"; return 1; }
  [ -f "$d/out/kotlin/org/citizenwallet/core/citizen_wallet_core.kt" ] || { echo "no core Kotlin"; return 1; }
  # 2. without the flags (4 KB pages) the script fails and leaves OUT as it was.
  fails_with 1 'LOAD align 0x1000 < 0x4000' env PATH="$d/bin:$PATH" ANDROID_NDK_HOME="$d/ndk" \
    STUB_IGNORE_FLAGS=1 "$s" "$d/out"
  [ -f "$d/out/kotlin/org/citizenwallet/citizen_wallet_ffi.kt" ] || { echo "OUT damaged by a failed run"; return 1; }
  # 3. a caller's RUSTFLAGS (which Cargo prefers to per-target flags) gets the flag too.
  fails_with 1 'CARGO_ENCODED_RUSTFLAGS' env PATH="$d/bin:$PATH" ANDROID_NDK_HOME="$d/ndk" \
    CARGO_ENCODED_RUSTFLAGS=-g "$s" "$d/out"
}

check_gradle_version() {
  local gradle=$REPO/bindings/android/citizen-wallet/build.gradle.kts d=$WORK/gradle-version expected
  mkdir -p "$d"
  install_kotlinc >/dev/null
  {
    echo 'class GradleException(message: String) : RuntimeException(message)'
    sed -n '/^\/\/ ---- workspaceVersion: begin/,/^\/\/ ---- workspaceVersion: end/p' "$gradle"
    cat <<'EOF'
fun main(args: Array<String>) {
    println(workspaceVersion(java.io.File(args[0]).readText()))
    val tricky = """
        [workspace]
        members = ["core"]   # version = "9.9.9" in a comment
        [workspace.dependencies]
        serde = { version = "1" }
        [workspace.package]
        edition = "2021"
        version = "1.2.3-rc.1"  # the one
        [package]
        version = "0.0.0"
    """.trimIndent()
    check(workspaceVersion(tricky) == "1.2.3-rc.1") { "tricky: ${workspaceVersion(tricky)}" }
    val missing = runCatching { workspaceVersion("[package]\nversion = \"1.0.0\"\n") }
    check(missing.exceptionOrNull() is GradleException) { "no [workspace.package] accepted" }
}
EOF
  } >"$d/Check.kt"
  grep -q 'fun workspaceVersion' "$d/Check.kt" || { echo "no workspaceVersion in $gradle"; return 1; }
  "$KOTLIN_HOME/bin/kotlinc-jvm" -nowarn "$d/Check.kt" -d "$d/check.jar"
  local got
  got=$(java -cp "$d/check.jar:$KOTLIN_HOME/lib/kotlin-stdlib.jar" CheckKt "$REPO/Cargo.toml")
  expected=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["workspace"]["package"]["version"])' "$REPO/Cargo.toml")
  echo "build.gradle.kts reads $got, tomllib reads $expected"
  [ "$got" = "$expected" ]
}

# fake_xcframework DIR: an XCFramework's layout with stand-in files (nothing here can link one).
fake_xcframework() {
  local x=$1/CitizenWalletFFI.xcframework slice
  mkdir -p "$1/Sources"
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n' >"$x.plist.tmp"
  for slice in ios-arm64 ios-arm64_x86_64-simulator; do
    mkdir -p "$x/$slice/Headers/CitizenWalletFFI"
    printf 'module CitizenWalletFFI {\n    header "citizen_wallet_ffiFFI.h"\n    export *\n}\n' \
      >"$x/$slice/Headers/CitizenWalletFFI/module.modulemap"
    printf '/* stand-in */\n' >"$x/$slice/Headers/CitizenWalletFFI/citizen_wallet_ffiFFI.h"
    printf '!<arch>\n' >"$x/$slice/libcitizen_wallet_ffi.a"
  done
  mv "$x.plist.tmp" "$x/Info.plist"
  touch "$1/Sources/citizen_wallet_core.swift" "$1/Sources/citizen_wallet_ffi.swift"
}

check_release_swift() {
  local s=$REPO/bindings/scripts/release-swift.sh d=$WORK/release version
  version=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["workspace"]["package"]["version"])' "$REPO/Cargo.toml")
  fake_xcframework "$d"
  local args=(--xcframework "$d/CitizenWalletFFI.xcframework" --sources "$d/Sources" --out "$d/out")
  env -u CWALLET_REPOSITORY_URL "$s" "${args[@]}" "$version" "https://downloads.example.invalid/v$version/CitizenWalletFFI.xcframework.zip"
  [ "$(cat "$d/out/checksum.txt")" = "$(sha256sum "$d/out/CitizenWalletFFI.xcframework.zip" | cut -d' ' -f1)" ]
  # The listing is captured first: `unzip -l | grep -q` under pipefail fails at random, when grep
  # stops reading and unzip dies of SIGPIPE (it did on CI).
  local listing
  listing=$(unzip -l "$d/out/CitizenWalletFFI.xcframework.zip")
  grep -q ' CitizenWalletFFI.xcframework/ios-arm64/Headers/CitizenWalletFFI/module.modulemap$' <<<"$listing"
  grep -q "checksum: \"$(cat "$d/out/checksum.txt")\"" "$d/out/Package.swift"
  if grep -q 'path: "bindings/apple/CitizenWalletFFI.xcframework"' "$d/out/Package.swift"; then
    echo "the release Package.swift still has the path form"
    return 1
  fi
  # Everything but the block is the root manifest, unchanged.
  diff <(sed '/BEGIN CitizenWalletFFI/,/END CitizenWalletFFI/d' "$REPO/Package.swift") \
    <(sed '/BEGIN CitizenWalletFFI/,/END CitizenWalletFFI/d' "$d/out/Package.swift")
  CWALLET_REPOSITORY_URL=https://code.example.invalid/citizen-wallet "$s" "${args[@]}" "v$version"
  grep -q "url: \"https://code.example.invalid/citizen-wallet/releases/download/v$version/CitizenWalletFFI.xcframework.zip\"" "$d/out/Package.swift"
  fails_with 1 'not the workspace version' "$s" "${args[@]}" 99.0.0 https://a.example.invalid/x.zip
  fails_with 2 'must be https' "$s" "${args[@]}" "$version" http://a.example.invalid/x.zip
  fails_with 2 'set CWALLET_REPOSITORY_URL' env -u CWALLET_REPOSITORY_URL "$s" "${args[@]}" "$version"
  printf 'module Clash {}\n' >"$d/CitizenWalletFFI.xcframework/ios-arm64/Headers/module.modulemap"
  fails_with 1 'would clash' "$s" "${args[@]}" "$version" https://a.example.invalid/x.zip
  rm "$d/CitizenWalletFFI.xcframework/ios-arm64/Headers/module.modulemap"
  cp "$d/out/Package.swift" "$WORK/release-Package.swift"
  cp "$d/out/CitizenWalletFFI.xcframework.zip" "$WORK/release.zip"
  cp "$d/out/checksum.txt" "$WORK/release-checksum.txt"
}

check_swift_manifest() {
  [ -f "$WORK/release-Package.swift" ] || { echo "release-swift did not pass"; return 1; }
  lock_cache
  install_swift
  CHROOT_WORK=$(mktemp -d "$SWIFT_ROOT/work/cwallet-packaging.XXXXXX")
  local inside
  inside=/work/$(basename "$CHROOT_WORK")
  mkdir -p "$CHROOT_WORK/dev/citizen-wallet" "$CHROOT_WORK/release/citizen-wallet"
  cp "$REPO/Package.swift" "$CHROOT_WORK/dev/citizen-wallet/Package.swift"
  cp "$WORK/release-Package.swift" "$CHROOT_WORK/release/citizen-wallet/Package.swift"
  cp "$WORK/release.zip" "$CHROOT_WORK/release.zip"
  mkdir -p "$CHROOT_WORK/app"
  cp "$REPO"/ios-demo/CitizenWalletDemo/*.swift "$CHROOT_WORK/app/"
  # ClinicFlow's Apple branch (a path dependency on the root package, identity from the folder
  # name), evaluated on Linux by flipping its #if, under a folder not named like the package;
  # the root is a stand-in with a plain CitizenWallet target (no XCFramework on Linux).
  local odd=$CHROOT_WORK/Odd.Repo-Name
  mkdir -p "$odd/Sources/CitizenWallet" "$odd/ios-demo"
  cat >"$odd/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
import PackageDescription
let package = Package(
    name: "CitizenWallet",
    products: [.library(name: "CitizenWallet", targets: ["CitizenWallet"])],
    targets: [.target(name: "CitizenWallet", path: "Sources/CitizenWallet")]
)
SWIFT
  printf 'public let standIn = 1\n' >"$odd/Sources/CitizenWallet/StandIn.swift"
  cp -r "$REPO/ios-demo/ClinicFlow" "$odd/ios-demo/ClinicFlow"
  rm -rf "$odd/ios-demo/ClinicFlow/.build"
  sed -i 's/^#if os(Linux)$/#if !os(Linux)/' "$odd/ios-demo/ClinicFlow/Package.swift"
  grep -q '^#if !os(Linux)$' "$odd/ios-demo/ClinicFlow/Package.swift"
  mount_tracked -t proc proc "$SWIFT_ROOT/proc"
  local rc=0
  # dump-package evaluates the manifest only: the XCFramework and the sources need not exist.
  chroot "$SWIFT_ROOT" /bin/bash -o pipefail -c "
    set -e
    cd $inside/dev/citizen-wallet && swift package dump-package > $inside/dev.json
    cd $inside/release/citizen-wallet && swift package dump-package > $inside/release.json
    cd $inside && swift package compute-checksum $inside/release.zip > $inside/checksum.txt
    # The SwiftUI app cannot be type-checked on Linux (no SwiftUI/UIKit): parse it only.
    swiftc -parse $inside/app/*.swift
    cd $inside/Odd.Repo-Name/ios-demo/ClinicFlow && swift package describe --type json > $inside/clinicflow.json
  " || rc=$?
  unmount_tracked "$SWIFT_ROOT/proc"
  [ "$rc" -eq 0 ] || return "$rc"
  python3 - "$CHROOT_WORK" "$(cat "$WORK/release-checksum.txt")" <<'EOF'
import json, sys
work, checksum = sys.argv[1], sys.argv[2]
def targets(name):
    return {t["name"]: t for t in json.load(open(f"{work}/{name}.json"))["targets"]}
dev, rel = targets("dev"), targets("release")
for t in (dev, rel):
    assert set(t) == {"CitizenWalletFFI", "CitizenWallet", "CitizenWalletSecureEnclave"}, t.keys()
    assert t["CitizenWalletSecureEnclave"]["path"] == "bindings/apple/SecureEnclave"
    assert t["CitizenWalletFFI"]["type"] == "binary"
    assert t["CitizenWallet"]["path"] == "bindings/apple/Sources/CitizenWallet"
assert dev["CitizenWalletFFI"]["path"] == "bindings/apple/CitizenWalletFFI.xcframework", dev["CitizenWalletFFI"]
assert rel["CitizenWalletFFI"]["checksum"] == checksum, (rel["CitizenWalletFFI"], checksum)
assert rel["CitizenWalletFFI"]["url"].startswith("https://"), rel["CitizenWalletFFI"]
clinic = {t["name"]: t for t in json.load(open(f"{work}/clinicflow.json"))["targets"]}
assert "CitizenWallet" in clinic["ClinicFlow"].get("product_dependencies", []), clinic["ClinicFlow"]
swift_sum = open(f"{work}/checksum.txt").read().strip()
assert swift_sum == checksum, (swift_sum, checksum)
print("dump-package: both forms parse; ClinicFlow resolves the root package; checksum", swift_sum[:12], "agrees")
EOF
  rm -rf --one-file-system "$CHROOT_WORK"
  CHROOT_WORK=""
}

check_strings() {
  python3 - "$REPO" <<'EOF'
import json, pathlib, re, sys
import xml.etree.ElementTree as ET
repo = pathlib.Path(sys.argv[1])
app = repo / "android-demo/app/src/main"
def names(path):
    root = ET.parse(path).getroot()
    out = {}
    for e in root:
        if e.tag in ("string", "plurals"):
            out[e.get("name")] = e
    return out
en, vi = names(app / "res/values/strings.xml"), names(app / "res/values-vi/strings.xml")
assert set(en) == set(vi), ("values vs values-vi", sorted(set(en) ^ set(vi)))
used = set()
for kt in (app / "kotlin").rglob("*.kt"):
    used |= set(re.findall(r"\bR\.(?:string|plurals)\.(\w+)", kt.read_text()))
used |= set(re.findall(r"@string/(\w+)", (app / "AndroidManifest.xml").read_text()))
missing = used - set(en)
assert not missing, ("R.string / @string used but not defined", sorted(missing))
unused = set(en) - used
assert not unused, ("defined but unused", sorted(unused))
for name in en:  # the same format arguments in both languages
    args = lambda e: sorted(re.findall(r"%\d+\$[sd]", "".join(e.itertext())))
    assert args(en[name]) == args(vi[name]), ("format arguments differ", name)
print(f"android: {len(en)} strings in values and values-vi, {len(used)} used by the app")

catalog_path = repo / "ios-demo/CitizenWalletDemo/Localizable.xcstrings"
catalog = json.loads(catalog_path.read_text())
assert catalog["sourceLanguage"] in ("en", "vi"), catalog["sourceLanguage"]
bad = []
for key, entry in catalog["strings"].items():
    locs = entry.get("localizations", {})
    for lang in ("en", "vi"):
        unit = locs.get(lang, {}).get("stringUnit")
        if not unit or unit.get("state") != "translated" or not unit.get("value"):
            bad.append((key, lang))
assert not bad, ("keys without a translated en and vi value", bad[:10])
swift = "\n".join(line for p in (repo / "ios-demo/CitizenWalletDemo").glob("*.swift")
                  for line in p.read_text().splitlines() if not line.lstrip().startswith("//"))
# Keys passed straight to L10n or Bilingual(key:) must be in the catalog; every catalog key must
# appear as a literal somewhere (keys chosen by a ternary are covered by this second rule).
used = set(re.findall(r'\bL10n\.\w+\(\s*"([^"]+)"', swift)) | set(re.findall(r'\bBilingual\(key:\s*"([^"]+)"', swift))
for key, entry in catalog["strings"].items():  # the same format arguments in both languages
    fmt = lambda lang: sorted(re.findall(r"%(?:\d+\$)?(?:@|lld|d)", entry["localizations"][lang]["stringUnit"]["value"]))
    assert fmt("en") == fmt("vi"), ("format arguments differ", key)
missing = used - set(catalog["strings"])
assert not missing, ("used in Swift but not in the catalog", sorted(missing))
unused = {key for key in catalog["strings"] if f'"{key}"' not in swift}
assert not unused, ("in the catalog but not used", sorted(unused))
print(f"ios: {len(catalog['strings'])} catalog keys with en and vi, all used")
EOF
}

check_gradle_wrapper() {
  local w=$REPO/android-demo
  # The wrapper jar that Gradle 8.10.2 to 8.12 generate (services.gradle.org publishes each
  # version's wrapper jar checksum); here it came from an npm package, see android-demo/README.md.
  echo "2db75c40782f5e8ba1fc278a5574bab070adccb2d21ca5a6e5ed840888448046  $w/gradle/wrapper/gradle-wrapper.jar" | sha256sum -c -
  [ -x "$w/gradlew" ]
  grep -q '^distributionUrl=https\\://services.gradle.org/distributions/gradle-8.11.1-bin.zip$' "$w/gradle/wrapper/gradle-wrapper.properties"
  local listing # captured, not piped into grep -q: see check_release_swift
  listing=$(unzip -l "$w/gradle/wrapper/gradle-wrapper.jar")
  grep -q 'org/gradle/wrapper/GradleWrapperMain.class' <<<"$listing"
  sh -n "$w/gradlew"
}

# ---------------------------------------------------------------------------------------------
step "packaging checks"
check lint check_shellcheck
check elf-alignment check_elf_alignment
check ndk check_ndk
check android-build check_android_build
check gradle-version check_gradle_version
check release-swift check_release_swift
if [ "$SWIFT" = 1 ] && [ "$(id -u)" -eq 0 ]; then
  check swift-manifest check_swift_manifest # needs release-swift's output: name both to run it
elif wanted swift-manifest; then
  echo "skip  swift-manifest (--no-swift, or not root: the Swift chroot needs root)"
fi
check strings check_strings
check gradle-wrapper check_gradle_wrapper

printf '\n==> packaging checks (%ss)\n' "$(($(now) - T_START))"
[ ${#FAILURES[@]} -eq 0 ] || printf 'failed: %s\n' "${FAILURES[*]}"
echo "packaging: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
