#!/usr/bin/env bash
# Peak resident memory (GNU time's "Maximum resident set size") of:
#   genlab train on the full Fashion-MNIST (60,000 images) with mlp:1024, one epoch — limit 1 GiB;
#   genlab tour --scale quick                                                  — limit 2 GiB.
# Prints both against their limits and fails if either is over. --no-tour skips the tour
# (4 minutes). Builds the release binary if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tour=1
for a in "$@"; do case "$a" in --no-tour) tour=0 ;; *) echo "usage: scripts/memory.sh [--no-tour]" >&2; exit 2 ;; esac; done
[ -x /usr/bin/time ] || { echo "memory.sh: expected GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
scripts/install-deps.sh
[ -x .build/release/genlab ] || swift build -c release
work=$(mktemp -d /tmp/genlab-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
peak() {  # label, limit in MiB, command...
  local label=$1 limit=$2; shift 2
  /usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "memory.sh: $label failed" >&2; status=1; return; }
  local kb; kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  local mib=$((kb / 1024))
  if [ "$mib" -le "$limit" ]; then echo "$label: peak $mib MiB (limit $limit MiB)"; else echo "$label: peak $mib MiB, OVER the limit of $limit MiB"; status=1; fi
}
peak "genlab train, full Fashion-MNIST, mlp:1024" 1024 .build/release/genlab train --data fashion-mnist --model mlp:1024 --epochs 1 --out "$work/train" --quiet
if [ "$tour" = 1 ]; then peak "genlab tour --scale quick" 2048 .build/release/genlab tour --scale quick --out "$work/tour" --quiet; fi
exit $status
