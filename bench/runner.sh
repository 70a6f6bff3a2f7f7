#!/usr/bin/env bash
# Times the runner, warm, as a learner meets it. Not a test: run it by hand
# and compare the figures with those in the README.
#
#   bash bench/runner.sh [RUNS]     (default 5 runs each; the median is shown)
#   bash bench/runner.sh --cold     (once: a cold build of the whole workspace
#                                    and a cold `.ci/run`, each in a fresh
#                                    target directory; crates already downloaded)
#
# It edits katas/01-why-async/src/lib.rs (a comment line) and restores it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--cold" ]; then
  for job in "cargo test --workspace --no-run" "bash .ci/run"; do
    target=$(mktemp -d)
    start=$(date +%s)
    CARGO_TARGET_DIR=$target $job >/dev/null 2>&1
    echo "cold: $job took $(( $(date +%s) - start )) s"
    rm -rf "$target"
  done
  exit
fi

runs=${1:-5}
edited=katas/01-why-async/src/lib.rs
backup=$(mktemp)
cp "$edited" "$backup"
trap 'cp "$backup" "$edited"; rm -f "$backup"' EXIT

# One edit: a new comment line, so the file's content (and fingerprint) changes.
edit() { printf '// bench %s\n' "$(date +%s%N)" >> "$edited"; }

# median NAME COMMAND...: runs COMMAND $runs times (after `before`, if set), prints the median.
median() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    ${before:-true}
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-52s %6s ms   (runs: %s)\n' "$name" \
    "$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")" "$(echo $sorted)"
}

katas=$(ls katas)
packages=$(for k in $katas; do sed -n 's/^slug = "\(.*\)"/\1/p' "katas/$k/kata.toml"; done)

echo "Warming up (builds everything once)…"
cargo build -q -p xtask
cargo xtask progress >/dev/null 2>&1 || true
for p in $packages; do cargo test -q -p "$p" --no-run >/dev/null 2>&1 || true; done

echo "$(nproc) cores, $(echo "$packages" | wc -w) katas, $runs runs each:"
before=     median "cargo xtask progress (nothing changed)" cargo xtask progress
before=edit median "cargo xtask progress (one kata edited)" cargo xtask progress
before=     median "cargo xtask progress --fresh (re-run every kata)" cargo xtask progress --fresh
before=edit median "cargo xtask check why-async (after an edit)" cargo xtask check why-async
loop() { for p in $packages; do cargo test -q -p "$p" >/dev/null 2>&1 || true; done; }
before=edit median "loop of cargo test -p per kata (one kata edited)" loop

# The first check of each kata after `progress`: building one kata alone must
# reuse what building all of them compiled (xtask/workspace-hack), so no
# dependency is compiled again. Reported as the slowest over all katas.
echo
echo "First check of each kata after progress (an edit each; the slowest kata):"
cargo xtask progress >/dev/null 2>&1 || true
slowest=0; slowest_kata=
for dir in katas/*/; do
  lib=$dir/src/lib.rs; keep=$(mktemp); cp "$lib" "$keep"
  printf '// bench %s\n' "$(date +%s%N)" >> "$lib"
  start=$(date +%s%N)
  cargo xtask check "$(basename "$dir")" >/dev/null 2>&1 || true
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  cp "$keep" "$lib"; rm -f "$keep"
  if [ "$took" -gt "$slowest" ]; then slowest=$took; slowest_kata=$(basename "$dir"); fi
done
printf '%-52s %6s ms   (%s)\n' "first check after progress, slowest kata" "$slowest" "$slowest_kata"

# A warm `verify` with nothing changed reuses every verdict.
if [ -d solutions ]; then
  echo
  cargo xtask verify >/dev/null 2>&1 || true
  before= median "cargo xtask verify (nothing changed)" cargo xtask verify
fi

if [ -d solutions/32-call-later ]; then
  echo
  echo "Kata 32, 10 000 timers in one scheduler (the solution's own test):"
  cargo test -q -p call-later-solution --no-run >/dev/null 2>&1
  before= median "cargo test -p call-later-solution ten_thousand" \
    cargo test -q -p call-later-solution ten_thousand
fi

if [ -d solutions/24-as-completed ]; then
  echo
  echo "Kata 24, completion-order streaming of 10 000 futures (the solution's own test):"
  cargo test -q -p as-completed-solution --no-run >/dev/null 2>&1
  before= median "cargo test -p as-completed-solution ten_thousand" \
    cargo test -q -p as-completed-solution ten_thousand
fi
