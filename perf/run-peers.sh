#!/usr/bin/env bash
# Peer comparisons of issue #6, measured in one run beside our own numbers on the same machine:
#
#   aries-askar 0.4.6 (perf/peers/askar): insert 10,000 records in one transaction, fetch one by
#     id, fetch all ~1,000 of one category -- the same records (exported by perf/peers/ours:
#     the bytes our wallet seals) as our store -> askar_*_ratio = ours / askar (target <= 0.2:
#     5x faster); askar_list_summaries_ratio: our summaries-only listing of the same rows.
#   claim169-core 0.3.0 (perf/peers/ours): MOSIP's CBOR/CWT/COSE Ed25519 base45 QR codec on the
#     same four check-in claims -> claim169_encode_ratio, claim169_decode_ratio = ours / peer,
#     and claim169_decode_target_ratio = ours (two signatures) / (peer (one) + one Ed25519
#     verification) (target <= 1).
#
# The peers build outside the main workspace (each perf/peers/* is a workspace of its own, into
# target/peers/, with SQLite's default flags: perf/peers/.cargo/config.toml), so the library
# and `cargo build` never compile them. Needs cargo, crates.io and jq (installed with apt when
# missing). On a fresh clone the first run builds both peers (several minutes). CI
# (scripts/check-fuzz-peers.sh, run by scripts/test.sh) type-checks the peers and checks this
# script (bash -n, shellcheck, --help); running them takes minutes.
#
# Usage: perf/run-peers.sh [--quick]     prints one JSON object on stdout, progress on stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quick=""
for a in "$@"; do
  case "$a" in
    --quick) quick="--quick" ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run-peers.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
if ! command -v jq >/dev/null; then
  # shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/toolchains.sh
  . "$here/../scripts/lib/toolchains.sh" # apt_install
  apt_install jq
fi
log() { echo "run-peers: $*" >&2; }

log "building perf/peers/ours and perf/peers/askar (release: opt-level 3, thin LTO)"
# From inside perf/peers/, so that perf/peers/.cargo/config.toml applies.
(cd "$here/peers/ours" && cargo build --release --locked --quiet)
(cd "$here/peers/askar" && cargo build --release --locked --quiet)
bin="$here/../target/peers/release"

work="$(mktemp -d "${TMPDIR:-/tmp}/cw-peers.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

"$bin/peers" export-records "$work/records.bin"
log "our store on the 10,000 records"
ours="$("$bin/peers" store "$work/ours" $quick)"
log "askar on the same records"
askar="$("$bin/askar-bench" "$work/records.bin" "$work/askar" $quick)"
log "presentation codec: ours and claim169-core"
codec="$("$bin/peers" codec "$work/codec" $quick)"
elapsed=$(($(date +%s) - start))

jq -n --argjson s "$ours" --argjson a "$askar" --argjson c "$codec" \
  --arg mode "$([ -n "$quick" ] && echo quick || echo full)" --argjson elapsed "$elapsed" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')" \
  --arg threads "$(nproc 2>/dev/null || echo 0)" '
  def r3: (. * 1000 | round) / 1000;
  def target($key; $v; $op; $limit):
    {metric: $key, value: $v, target: "\($op) \($limit)",
     met: (if $op == "<=" then $v <= $limit elif $op == "<" then $v < $limit else $v >= $limit end)};
  ($s.insert_10k_ms / $a.askar_insert_10k_ms | r3) as $ins
  | ($s.get_us / $a.askar_get_us | r3) as $get
  | ($s.list_by_type_ms / $a.askar_list_by_type_ms | r3) as $list
  | ($s.open_ms / $a.askar_open_ms | r3) as $open
  | ($s.list_summaries_ms / $a.askar_list_by_type_ms | r3) as $lsum
  | {
      mode: $mode,
      machine: {cpu: $cpu, threads: ($threads | tonumber)},
      elapsed_s: $elapsed,
      askar_insert_ratio: $ins,
      askar_get_ratio: $get,
      askar_list_ratio: $list,
      askar_open_ratio: $open,
      askar_list_summaries_ratio: $lsum,
      insert_floor_ratio: ($s.insert_10k_ms / $s.insert_10k_floor_ms | r3),
      get_floor_ratio: ($s.get_us / $s.get_floor_us | r3),
      list_floor_ratio: ($s.list_by_type_ms / $s.list_by_type_floor_ms | r3),
      claim169_encode_ratio: $c.claim169_encode_ratio,
      claim169_decode_ratio: $c.claim169_decode_ratio,
      claim169_decode_target_ratio: $c.claim169_decode_target_ratio,
      ours_store: $s,
      askar: $a,
      codec: $c,
      targets: [
        target("askar_insert_ratio"; $ins; "<="; 0.2),
        target("askar_get_ratio"; $get; "<="; 0.2),
        target("askar_list_ratio"; $list; "<="; 0.2),
        target("askar_list_ratio (beat askar)"; $list; "<"; 1),
        target("askar_list_summaries_ratio (beat askar)"; $lsum; "<"; 1),
        target("claim169_decode_target_ratio"; $c.claim169_decode_target_ratio; "<="; 1)
      ]
    }'
