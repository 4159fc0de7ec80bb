#!/usr/bin/env bash
# Checks that every shared library's LOAD segments are aligned for 16 KB memory pages, as Google
# Play requires of apps targeting Android 15+ (and as 16 KB-page devices need to load them).
#
#   bindings/scripts/check-elf-alignment.sh [--min BYTES] [--readelf PATH] PATH...
#
# PATH: a .so file, a folder (every *.so under it), or an .apk / .aar / .aab / .zip (every *.so
# inside it). Prints one line per library, e.g.
#   ok    arm64-v8a/libcitizen_wallet_ffi.so  LOAD align 0x4000
#   FAIL  x86_64/libjnidispatch.so            LOAD align 0x1000 < 0x4000
# and exits 1 when any library is below the minimum (default 16384 = 0x4000) or unreadable,
# 2 on usage errors. Only LOAD program headers count (what the loader maps).
#
# readelf: --readelf, else $READELF, else llvm-readelf, else binutils readelf (either reads
# ELF files of any architecture). build-android.sh passes the NDK's llvm-readelf.
set -euo pipefail

MIN=16384
READELF=${READELF:-}
PATHS=()
while [ $# -gt 0 ]; do
  case $1 in
    --min) MIN=$2; shift 2 ;;
    --readelf) READELF=$2; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) PATHS+=("$1"); shift ;;
  esac
done
if [ ${#PATHS[@]} -eq 0 ]; then
  echo "usage: $0 [--min BYTES] [--readelf PATH] FILE.so|DIR|FILE.apk|FILE.aar..." >&2
  exit 2
fi
if [ -z "$READELF" ]; then
  for r in llvm-readelf readelf; do
    if command -v "$r" >/dev/null; then READELF=$r && break; fi
  done
fi
[ -n "$READELF" ] || { echo "error: no readelf (install llvm or binutils, or pass --readelf)" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

FAILED=0
CHECKED=0
# check_so FILE LABEL: one line for the library; FAILED=1 when it is below MIN.
check_so() {
  local file=$1 label=$2 aligns min_align=""
  if ! aligns=$("$READELF" -lW "$file" 2>/dev/null | awk '$1 == "LOAD" { print $NF }'); then
    aligns=""
  fi
  CHECKED=$((CHECKED + 1))
  if [ -z "$aligns" ]; then
    printf 'FAIL  %s  no LOAD segment read (not an ELF shared library?)\n' "$label"
    FAILED=1
    return
  fi
  local a
  for a in $aligns; do
    if [ -z "$min_align" ] || [ $((a)) -lt $((min_align)) ]; then min_align=$a; fi
  done
  if [ $((min_align)) -lt "$MIN" ]; then
    printf 'FAIL  %s  LOAD align %s < 0x%x\n' "$label" "$min_align" "$MIN"
    FAILED=1
  else
    printf 'ok    %s  LOAD align %s\n' "$label" "$min_align"
  fi
}

# check_tree DIR PREFIX: every *.so under DIR.
check_tree() {
  local dir=$1 prefix=$2 f
  while IFS= read -r -d '' f; do
    check_so "$f" "$prefix${f#"$dir"/}"
  done < <(find "$dir" -type f -name '*.so' -print0 | sort -z)
}

n=0
for p in "${PATHS[@]}"; do
  if [ -d "$p" ]; then
    check_tree "${p%/}" "${p%/}/"
  elif [ -f "$p" ]; then
    case $p in
      *.apk | *.aar | *.aab | *.zip)
        n=$((n + 1))
        command -v unzip >/dev/null || { echo "error: unzip is needed for $p" >&2; exit 2; }
        mkdir -p "$TMP/$n"
        unzip -q -o "$p" '*.so' -d "$TMP/$n" 2>/dev/null || true
        check_tree "$TMP/$n" "$p!/"
        ;;
      *) check_so "$p" "$p" ;;
    esac
  else
    echo "error: no such file or folder: $p" >&2
    exit 2
  fi
done

if [ "$CHECKED" -eq 0 ]; then
  echo "error: no .so file found in ${PATHS[*]}" >&2
  exit 1
fi
if [ "$FAILED" -ne 0 ]; then
  printf 'not aligned for 16 KB pages: the FAIL lines above (minimum 0x%x)\n' "$MIN" >&2
  exit 1
fi
