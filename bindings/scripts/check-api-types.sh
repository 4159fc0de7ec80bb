#!/usr/bin/env bash
# Fails when generated bindings expose an unsigned integer type in the public API: Kotlin's
# UByte/UShort/UInt/ULong and Swift's UInt8/16/32/64 are awkward for app code, so every exported
# integer is signed (i32/i64 in Rust, checked at the FFI boundary).
#
#   bindings/scripts/check-api-types.sh kotlin DIR     generated Kotlin (org/citizenwallet/...)
#   bindings/scripts/check-api-types.sh swift DIR      generated Swift
#   bindings/scripts/check-api-types.sh --self-test    the patterns against known snippets
#
# How: uniffi writes an FfiConverter for a builtin type only when the API uses it, and names
# the Kotlin types it exposes in full (`kotlin.ULong`); its own runtime uses unsigned types
# internally (buffer sizes, handles) under other names, which are not the app's API.
set -euo pipefail

KOTLIN_PATTERN='FfiConverterU(Byte|Short|Int|Long)\b|kotlin\.U(Byte|Short|Int|Long)(Array)?\b|\bU(Byte|Short|Int|Long)Array\b'
SWIFT_PATTERN='FfiConverterUInt(8|16|32|64)?\b|FfiConverterOptionUInt|FfiConverterSequenceUInt'

scan() { # scan LANG DIR: prints offending lines, returns 1 when there are any
  local lang=$1 dir=$2 pattern ext
  case $lang in
    kotlin) pattern=$KOTLIN_PATTERN ext=kt ;;
    swift) pattern=$SWIFT_PATTERN ext=swift ;;
    *) echo "unknown language: $lang (kotlin, swift)" >&2; return 2 ;;
  esac
  local files
  files=$(find "$dir" -name "*.$ext" | sort)
  if [ -z "$files" ]; then
    echo "error: no .$ext files in $dir" >&2
    return 2
  fi
  # shellcheck disable=SC2086 # file names from uniffi-bindgen, no spaces
  if grep -nE "$pattern" $files; then
    echo "error: unsigned integer types in the public $lang API (above); export i32/i64 instead" >&2
    return 1
  fi
  echo "$lang: no unsigned types in the public API ($(echo "$files" | wc -l) files)"
}

self_test() {
  local d rc=0
  d=$(mktemp -d)
  trap 'rm -rf "$d"' RETURN
  mkdir -p "$d/k-bad" "$d/k-ok" "$d/s-bad" "$d/s-ok"
  printf 'data class A(val n: kotlin.ULong)\npublic object FfiConverterULong\n' >"$d/k-bad/a.kt"
  printf 'override fun allocationSize(value: String): ULong\nval n: kotlin.Long\n' >"$d/k-ok/a.kt"
  printf 'fileprivate struct FfiConverterUInt64: FfiConverterPrimitive {\n' >"$d/s-bad/a.swift"
  printf 'public func uniffiCloneHandle() -> UInt64 {\npublic static func write(_ value: Data, into buf: inout [UInt8])\n' >"$d/s-ok/a.swift"
  scan kotlin "$d/k-bad" >/dev/null 2>&1 && { echo "self-test: kotlin ULong not found" >&2; rc=1; }
  scan swift "$d/s-bad" >/dev/null 2>&1 && { echo "self-test: swift UInt64 not found" >&2; rc=1; }
  scan kotlin "$d/k-ok" >/dev/null || { echo "self-test: kotlin runtime flagged" >&2; rc=1; }
  scan swift "$d/s-ok" >/dev/null || { echo "self-test: swift runtime flagged" >&2; rc=1; }
  [ $rc -eq 0 ] && echo "check-api-types self-test: ok"
  return $rc
}

case ${1:-} in
  --self-test) self_test ;;
  kotlin | swift) [ $# -eq 2 ] || { echo "usage: $0 kotlin|swift DIR" >&2; exit 2; }; scan "$1" "$2" ;;
  *) echo "usage: $0 kotlin|swift DIR | --self-test" >&2; exit 2 ;;
esac
