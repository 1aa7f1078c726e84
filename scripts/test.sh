#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs the whole suite.
# With --slurm (as CI runs it), also the sweeps on a real single-node Slurm (scripts/slurm-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
slurm=0
for a in "$@"; do case "$a" in --slurm) slurm=1 ;; *) echo "usage: scripts/test.sh [--slurm]" >&2; exit 2 ;; esac; done
scripts/install-deps.sh
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
if [ "$slurm" = 1 ] && [ "$status" = 0 ]; then scripts/slurm-test.sh || status=$?; fi
exit $status
