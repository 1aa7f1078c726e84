#!/usr/bin/env bash
# Fuzzes GenLab's parsers with libFuzzer (swiftc -sanitize=fuzzer,address): the IDX reader (raw
# and gzip), CSV, LIBSVM, NPY, safetensors (the format, then a state dict's names and shapes
# against two networks), data specs, model specs, result.json (what genlab report reads),
# sweep plans (what genlab sweep reads) and sweep points (a checkpoint's envelope and outcome).
# Each target starts from its seed corpus in Fuzz/Corpus/<target> (valid files and near-misses)
# and runs SECONDS (default 20); new inputs go to a scratch copy, crashes to $FUZZ_ARTIFACTS
# (default a temporary folder), and any crash, hang (> 10 s), leak or sanitizer report fails the run.
# Usage: scripts/fuzz.sh [--release] [SECONDS] [TARGET…]   or   scripts/fuzz.sh [--release] --runs N [TARGET…]
# (--runs: N executions with a fixed seed, the same inputs on every machine: what CI runs;
# --release: an optimized build, about 1.5x more executions per second, for long runs).
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=debug
if [ "${1:-}" = --release ]; then configuration=release; shift; fi
if [ "${1:-}" = --runs ]; then limit=(-runs="${2:?--runs N}" -seed=1); what="seed 1"; shift 2
else seconds=${1:-20}; shift || true; limit=(-max_total_time="$seconds"); what="$seconds s"; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx idx-gzip csv libsvm npy safetensors data-spec model-spec result-json sweep-plan sweep-point)
scripts/install-deps.sh
GENLAB_FUZZ=1 swift build -c $configuration --build-path .build-fuzz --product genlab-fuzz -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|warning: unre|Build" || true
binary=.build-fuzz/$configuration/genlab-fuzz
[ -x "$binary" ] || { echo "fuzz: the fuzz binary did not build" >&2; exit 1; }
artifacts=${FUZZ_ARTIFACTS:-$(mktemp -d /tmp/genlab-fuzz.XXXXXX)}
mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
  [ -d "Fuzz/Corpus/$t" ] || { echo "fuzz: no target $t (Fuzz/Corpus/$t)" >&2; exit 2; }
  corpus=$(mktemp -d /tmp/genlab-fuzz-corpus.XXXXXX)
  cp "Fuzz/Corpus/$t"/* "$corpus"/
  log="$artifacts/$t.log"
  if GENLAB_FUZZ_TARGET=$t SWIFT_BACKTRACE=enable=no "$binary" "${limit[@]}" -timeout=10 -rss_limit_mb=4096 \
       -artifact_prefix="$artifacts/$t-" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    echo "fuzz: $t: $runs executions ($what${took:+, $took s}), no crash"
  else
    echo "fuzz: $t: FAILED (log: $log; inputs: $artifacts/$t-*)" >&2
    grep -E "ERROR|SUMMARY|Fatal error|deadly" "$log" | head -5 >&2 || true
    status=1
  fi
  rm -rf "$corpus"
done
exit $status
