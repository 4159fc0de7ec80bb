#!/usr/bin/env bash
# Dependency hygiene (deny.toml): licenses, sources and bans with cargo-deny, and RustSec
# advisories when the advisory database can be had.
#
# - Installs cargo-deny with `cargo install --locked` if it is missing (idempotent; measured
#   about 3.5 minutes on 2 cores, once per machine; cached in $CARGO_HOME/bin).
# - licenses, sources and bans run offline and fail the script on a policy violation.
# - advisories need the RustSec database from github.com. When it cannot be fetched and no
#   earlier copy is on disk, the check is SKIPPED with a clear message and the script still
#   succeeds: a missing network must not turn CI red. Known advisories fail the script.
# - The "no networking crate in core" rule is a test: core/tests/no_network.rs (cargo test).
#
# Usage: scripts/audit.sh            (CARGO_DENY_VERSION=x.y.z to pin another version)
set -uo pipefail
cd "$(dirname "$0")/.."

CARGO_DENY_VERSION="${CARGO_DENY_VERSION:-0.20.2}"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
say() { printf 'audit: %s\n' "$*"; }

# ---------------------------------------------------------------- the tool
if ! cargo deny --version >/dev/null 2>&1; then
  say "cargo-deny not found; installing $CARGO_DENY_VERSION from crates.io (cargo install --locked, a few minutes)"
  start=$(date +%s)
  if ! cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION"; then
    say "SKIPPED: cargo-deny could not be installed (is crates.io reachable?); no dependency checks ran"
    exit 0
  fi
  say "cargo-deny installed in $(( $(date +%s) - start )) s"
fi
say "using $(cargo deny --version)"

# ---------------------------------------------------------------- offline checks
start=$(date +%s)
if ! cargo deny --offline check --hide-inclusion-graph licenses sources bans; then
  say "FAILED: licenses, sources or bans (see deny.toml)"
  exit 1
fi
say "licenses, sources, bans: ok ($(( $(date +%s) - start )) s)"

# ---------------------------------------------------------------- advisories
db_dir="$CARGO_HOME/advisory-dbs"
have_local_db() { compgen -G "$db_dir/advisory-db-*/crates" >/dev/null; }

fetch_log=$(mktemp)
trap 'rm -f "$fetch_log"' EXIT
if timeout 180 cargo deny fetch db >"$fetch_log" 2>&1; then
  source_note="freshly fetched"
elif have_local_db; then
  reason=$(grep -m1 -E 'fatal:' "$fetch_log" || grep -m1 -E 'error|ERROR' "$fetch_log" | sed 's/^.*\] //')
  source_note="a local copy (fetch failed: ${reason:-unknown})"
else
  reason=$(grep -m1 -E 'fatal:' "$fetch_log" || grep -m1 -E 'error|ERROR' "$fetch_log" | sed 's/^.*\] //')
  say "ADVISORIES SKIPPED: the RustSec advisory database (https://github.com/rustsec/advisory-db)"
  say "  could not be fetched and no local copy exists in $db_dir."
  say "  reason: ${reason:-unknown}"
  say "  Licenses, sources and bans were checked. To check advisories, run this script where"
  say "  github.com is reachable, or put a clone of advisory-db under $db_dir."
  exit 0
fi

for d in "$db_dir"/advisory-db-*; do
  if [ -d "$d/.git" ]; then
    say "advisory database: $source_note, last commit $(git -C "$d" log -1 --format=%cs 2>/dev/null || echo unknown)"
  fi
done
if ! cargo deny --offline check --hide-inclusion-graph advisories; then
  say "FAILED: advisories (a dependency has a RustSec advisory, or is yanked; see above)"
  exit 1
fi
say "advisories: ok"
