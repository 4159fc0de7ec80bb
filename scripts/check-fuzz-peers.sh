#!/usr/bin/env bash
# Type-checks the code outside the main workspace, which nothing else in scripts/test.sh
# compiles: the fuzz targets (fuzz/) and the peer benchmarks (perf/peers/ours, perf/peers/askar).
# Each is a workspace of its own (the fuzz targets run on nightly with libFuzzer; the peers pull
# crates the library must never see), so a change to core, test-support or the workloads could
# break them unseen. Running them stays with fuzz/run.sh and perf/run-peers.sh.
#
# * `cargo check --locked --all-targets`: stable toolchain, and the committed lock files must be
#   current (a stale one fails here instead of in perf/run-peers.sh).
# * The peers must build with SQLite's default options (perf/peers/.cargo/config.toml), or askar
#   does not link. `cargo check` does not link, so the SQLite library askar's build compiled is
#   checked for two of the APIs sqlx needs and the repository's size cuts remove.
#
# * perf/run-peers.sh itself: `bash -n`, shellcheck, `--help`; with CHECK_PEERS_RUN=1 it is
#   also run in quick mode (builds both peers in release: minutes on a fresh clone) and its
#   JSON checked for every ratio docs/PERFORMANCE.md reports.
#
# Needs a C++ compiler (libfuzzer-sys compiles libFuzzer in its build script, under `cargo check`
# too) and nm: installed with apt when missing. Run by scripts/test.sh; also on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# shellcheck source-path=SCRIPTDIR/.. source=scripts/lib/toolchains.sh
. scripts/lib/toolchains.sh # apt_install

command -v c++ >/dev/null || apt_install g++
command -v nm >/dev/null || apt_install binutils

say() { printf '%s\n' "check-fuzz-peers: $*"; }
timed() {
  local start
  start=$(now)
  "$@"
  say "$(($(now) - start)) s"
}

# fuzz/ is inside the repository, so the repository's .cargo/config.toml applies as it does to
# the library. It shares the main target/: units built alike (serde, syn, ...) are reused from
# the main workspace's clippy and test runs; the others (different profile) get their own hashes.
say "fuzz/ (cargo check --locked --all-targets)"
(cd fuzz && timed env CARGO_TARGET_DIR="$REPO/target" cargo check --locked --all-targets --quiet)

# The peers are checked from inside perf/peers/, where its .cargo/config.toml applies (cargo
# reads config from the current directory up): SQLite's default flags and target/peers, which
# the two peers share and the main workspace must not (other SQLite flags: rebuilds).
for peer in ours askar; do
  say "perf/peers/$peer (cargo check --locked --all-targets)"
  (cd "perf/peers/$peer" && timed cargo check --locked --all-targets --quiet)
done

# The SQLite askar links: the out_dir of libsqlite3-sys's build script (fresh or not, cargo
# reports it), then the symbols.
out_dir=$(cd perf/peers/askar && cargo check --locked --all-targets --message-format=json 2>/dev/null |
  grep '"reason":"build-script-executed"' | grep '#libsqlite3-sys@' |
  sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | head -1) || true
lib="$out_dir/libsqlite3.a"
if [ -z "$out_dir" ] || [ ! -f "$lib" ]; then
  say "FAILED: cannot find the SQLite library of askar's build (libsqlite3-sys out_dir '$out_dir')"
  exit 1
fi
symbols=$(nm -g --defined-only "$lib")
for sym in sqlite3_column_table_name sqlite3_deserialize; do
  if ! grep -q " T $sym\$" <<<"$symbols"; then
    say "FAILED: askar's SQLite has no $sym: the repository's LIBSQLITE3_FLAGS reached the peers"
    say "        (perf/peers/.cargo/config.toml must override them; run cargo from perf/peers/)"
    exit 1
  fi
done
say "askar's SQLite has the APIs sqlx needs (default flags)"

say "perf/run-peers.sh (bash -n, shellcheck, --help)"
bash -n perf/run-peers.sh
command -v shellcheck >/dev/null || apt_install shellcheck
shellcheck -x perf/run-peers.sh
perf/run-peers.sh --help >/dev/null
if [ "${CHECK_PEERS_RUN:-0}" = 1 ]; then
  say "perf/run-peers.sh --quick (CHECK_PEERS_RUN=1)"
  json=$(timed perf/run-peers.sh --quick)
  for key in askar_insert_ratio askar_get_ratio askar_list_ratio askar_list_summaries_ratio \
    insert_floor_ratio get_floor_ratio list_floor_ratio claim169_decode_target_ratio; do
    if ! jq -e --arg k "$key" '.[$k] | numbers' <<<"$json" >/dev/null; then
      say "FAILED: perf/run-peers.sh gave no number for $key"
      exit 1
    fi
  done
  say "perf/run-peers.sh ran and reported every ratio"
fi
