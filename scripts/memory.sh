#!/usr/bin/env bash
# Peak resident memory (GNU time's "Maximum resident set size") of:
#   genlab train on the full Fashion-MNIST (60,000 images) with mlp:1024, one epoch — limit 1 GiB;
#   genlab tour --scale quick                                                  — limit 2 GiB;
#   the text readers (CSV, LIBSVM) on a 100,000-row file: a reader holds the file once, so the
#   peak above a tiny file's is at most the file plus what it parses into, plus half the file
#   (a second copy of the file would add a whole one).
# Prints each against its limit and fails if one is over. --no-tour skips the tour
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
# Readers: mnist1d rows (40 features) as CSV and as LIBSVM (awk from the CSV).
genlab=.build/release/genlab
$genlab data export mnist1d:train=100000,test=10 --format csv --out "$work/big" --quiet >/dev/null
$genlab data export mnist1d:train=100,test=10 --format csv --out "$work/small" --quiet >/dev/null
for d in big small; do awk -F, 'NR > 1 { printf "%s", $NF; for (i = 1; i < NF; i++) printf " %d:%s", i, $i; print "" }' "$work/$d/train.csv" > "$work/$d/train.libsvm"; done
rss() { /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; cat "$work/rss"; }
reader() {  # label, file name, parsed bytes per row
  local label=$1 name=$2 per_row=$3
  local base big bytes parsed limit extra
  base=$(rss $genlab data describe "$work/small/$name:holdout=0") && big=$(rss $genlab data describe "$work/big/$name:holdout=0") \
    || { echo "memory.sh: reading $name failed" >&2; status=1; return; }
  bytes=$(stat -c %s "$work/big/$name"); parsed=$((100000 * per_row))
  extra=$(((big - base) / 1024)); limit=$(((bytes * 3 / 2 + parsed) / 1048576))
  if [ "$extra" -le "$limit" ]; then echo "$label: $((bytes / 1048576)) MiB file, peak +$extra MiB over a tiny file's (limit $limit MiB: the file once, what it parses into, half the file)"
  else echo "$label: $((bytes / 1048576)) MiB file, peak +$extra MiB, OVER the limit of $limit MiB: the reader holds the file more than once"; status=1; fi
}
# CSV: 40 Float features and a label string per row. LIBSVM: also its 40 (index, value) pairs
# (12 bytes each) before the dense matrix.
reader "CSV reader" train.csv $((40 * 4 + 32))
reader "LIBSVM reader" train.libsvm $((40 * 4 + 40 * 12 + 40))
if [ "$tour" = 1 ]; then peak "genlab tour --scale quick" 2048 .build/release/genlab tour --scale quick --out "$work/tour" --quiet; fi
exit $status
