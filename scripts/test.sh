#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs the whole suite.
# --slurm: also the sweeps on a real single-node Slurm (scripts/slurm-test.sh); --tensorboard: also
# TensorBoard's own reader on GenLab's event files (scripts/tensorboard-test.sh, a venv from PyPI);
# --safetensors: also the official safetensors package on GenLab's weight files and GenLab on its
# (scripts/safetensors-test.sh, a venv from PyPI);
# --docs: also the DocC site, warnings failing it (scripts/docs.sh); --fuzz: also 20,000 fixed-seed
# libFuzzer executions of each parser (scripts/fuzz.sh); --browser: also the report's browser check
# on a synthetic report, good and bad (scripts/check-report-test.sh, Debian's chromium, installed if
# missing); --serve: also `genlab serve`'s page in a real browser (scripts/browser-test.sh: Debian's chromium,
# chromium-driver and python3-selenium, installed if missing); --format: also the format check
# (scripts/format.sh --check, the toolchain's swift format); --ci: all eight (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
slurm=0; tensorboard=0; safetensors=0; docs=0; fuzz=0; browser=0; serve=0; format=0
for a in "$@"; do
  case "$a" in
    --slurm) slurm=1 ;;
    --tensorboard) tensorboard=1 ;;
    --safetensors) safetensors=1 ;;
    --docs) docs=1 ;;
    --fuzz) fuzz=1 ;;
    --browser) browser=1 ;;
    --serve) serve=1 ;;
    --format) format=1 ;;
    --ci) slurm=1; tensorboard=1; safetensors=1; docs=1; fuzz=1; browser=1; serve=1; format=1 ;;
    *) echo "usage: scripts/test.sh [--slurm] [--tensorboard] [--safetensors] [--docs] [--fuzz] [--browser] [--serve] [--format] [--ci]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh
# The format first: seconds, and a misformatted file fails before the long build.
if [ "$format" = 1 ]; then scripts/format.sh --check; fi
swift build --build-tests
log=$(mktemp)
# The suite is XCTest; Swift Testing's runner would close the output with "0 tests".
status=0
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log" || status=$?
# A plain closing line with the totals of XCTest's last summary.
summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
  failed=$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
  echo "$((total - failed)) passed, $failed failed"
fi
rm -f "$log"
if [ "$docs" = 1 ] && [ "$status" = 0 ]; then
  site=$(mktemp -d /tmp/genlab-docs.XXXXXX)
  scripts/docs.sh "$site" || status=$?
  rm -rf "$site"
fi
if [ "$fuzz" = 1 ] && [ "$status" = 0 ]; then scripts/fuzz.sh --runs 20000 || status=$?; fi
if [ "$tensorboard" = 1 ] && [ "$status" = 0 ]; then scripts/tensorboard-test.sh || status=$?; fi
if [ "$safetensors" = 1 ] && [ "$status" = 0 ]; then scripts/safetensors-test.sh || status=$?; fi
if [ "$browser" = 1 ] && [ "$status" = 0 ]; then scripts/check-report-test.sh || status=$?; fi
# The screenshots go to a temporary folder here: docs/ keeps the ones committed with the README.
if [ "$serve" = 1 ] && [ "$status" = 0 ]; then SHOTS=$(mktemp -d /tmp/genlab-serve-shots.XXXXXX) scripts/browser-test.sh || status=$?; fi
if [ "$slurm" = 1 ] && [ "$status" = 0 ]; then scripts/slurm-test.sh || status=$?; fi
exit $status
