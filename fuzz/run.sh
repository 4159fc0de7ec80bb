#!/usr/bin/env bash
# Builds and runs every fuzz target for SECONDS each (default 60), then prints executions and
# crashes per target. Exits non-zero when a target crashed (panic, abort, timeout or OOM); the
# crashing input is in fuzz/artifacts/<target>/ (replay it with
# `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`).
#
#   fuzz/run.sh 120            all targets, 120 s each
#   fuzz/run.sh 60 qr_text png some targets
#
# Needs the nightly toolchain (libFuzzer's sanitizer flags) and cargo-fuzz (installed here if
# missing). Seeds are written to fuzz/corpus/<target>/ by core/tests/fuzz_seeds.rs; the corpus
# grows with what libFuzzer finds and is not committed.
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
shift || true
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
ALL_TARGETS=(qr_text png import trust_list status_list cccd cbor counter_state)
if [[ $# -eq 0 ]]; then TARGETS=("${ALL_TARGETS[@]}"); else TARGETS=("$@"); fi

if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || [[ "$SECONDS_PER_TARGET" -lt 1 ]]; then
    echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
    exit 2
fi
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz/run.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

echo "== seeds"
CW_FUZZ_SEEDS="$HERE/corpus" cargo test -q -p citizen-wallet-core --test fuzz_seeds \
    --manifest-path "$ROOT/Cargo.toml" -- --nocapture 2>&1 | grep -E 'wrote|not found' || true

cd "$HERE"
echo "== build"
cargo +nightly fuzz build

LOGS="$HERE/target/run-logs"
mkdir -p "$LOGS"
declare -A EXECS SECS CRASHES
failed=0
for t in "${TARGETS[@]}"; do
    echo "== $t: ${SECONDS_PER_TARGET}s"
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(find "artifacts/$t" -type f | wc -l)
    start=$(date +%s)
    set +e
    cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$LOGS/$t.log" 2>&1
    rc=$?
    set -e
    # libFuzzer's own count and time ("Done N runs in S second(s)"); wall time (which includes
    # any rebuild) only when it crashed before printing them.
    EXECS[$t]=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$LOGS/$t.log" | grep -oE '[0-9]+$' | tail -1)
    EXECS[$t]=${EXECS[$t]:-0}
    SECS[$t]=$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$LOGS/$t.log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' | tail -1)
    SECS[$t]=${SECS[$t]:-$(($(date +%s) - start))}
    after=$(find "artifacts/$t" -type f | wc -l)
    CRASHES[$t]=$((after - before))
    if [[ $rc -ne 0 || ${CRASHES[$t]} -gt 0 ]]; then
        failed=1
        [[ ${CRASHES[$t]} -eq 0 ]] && CRASHES[$t]=1
        echo "   CRASH (exit $rc), see $LOGS/$t.log and fuzz/artifacts/$t/"
        grep -E 'panicked at|ERROR: libFuzzer|SUMMARY' "$LOGS/$t.log" | head -5 | sed 's/^/   /'
    fi
done

echo
printf '%-12s %14s %8s %10s %8s\n' target execs seconds execs/s crashes
for t in "${TARGETS[@]}"; do
    rate=$(( ${EXECS[$t]} / (${SECS[$t]} > 0 ? ${SECS[$t]} : 1) ))
    printf '%-12s %14s %8s %10s %8s\n' "$t" "${EXECS[$t]}" "${SECS[$t]}" "$rate" "${CRASHES[$t]}"
done
exit $failed
