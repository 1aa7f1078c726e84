#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
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
exit $status
