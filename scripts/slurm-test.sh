#!/usr/bin/env bash
# Sweeps on a real Slurm (issue: Slurm sweeps): starts a single-node Slurm of its own
# (scripts/slurm-local.sh, which installs slurm-wlm and munge when missing), then
#   1. plans the tiny zoo of generalization measures (12 points), runs it as an array of 4
#      tasks, collects it: tables byte-identical to a local run;
#   2. kills one array element mid-point (scancel), resubmits: only the unfinished points are
#      computed again, tables identical;
#   3. requeues one running element (scontrol requeue): it resumes, tables identical;
# and stops the daemons it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
genlab=${GENLAB:-$(pwd)/.build/debug/genlab}
[ -x "$genlab" ] || swift build
work=$(mktemp -d /tmp/genlab-slurm.XXXXXX)
cleanup() { scripts/slurm-local.sh stop "$work/slurm" || true; rm -rf "$work"; }
trap cleanup EXIT
start=$(date +%s)
scripts/slurm-local.sh start "$work/slurm"
export SLURM_CONF="$work/slurm/slurm.conf"

fail() { echo "slurm-test: FAILED: $*" >&2; squeue >&2 || true; exit 1; }
# Waits until no task of job $1 is pending or running.
wait_job() {
  for _ in $(seq 900); do [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0; sleep 0.2; done
  fail "job $1 did not finish within 3 minutes"
}
# Waits until array element $1 is running and one of its points has started.
wait_running() {
  for _ in $(seq 600); do
    if [ "$(squeue -h -j "$1" -o %T 2>/dev/null)" = RUNNING ] && grep -lqsE "slurm=$1$" "$2"/logs/*.log; then return 0; fi
    sleep 0.1
  done
  fail "array element $1 never ran a point"
}
same_tables() { for t in networks measures; do cmp "$1/$t.csv" "$2/$t.csv" || fail "$t.csv differs between $1 and $2"; done; }
submit() { "$genlab" sweep slurm "$1" --shards 4 --array-parallelism 2 --time 10 --submit | sed -n 's/.*: job \([0-9]*\).*/\1/p' | tail -n 1; }
finished_lines() { cat "$1"/logs/*.log | grep -c " finished " || true; }

"$genlab" run measures --scale tiny --out "$work/local" --quiet >/dev/null

# 1. An array of 4 tasks, collected.
"$genlab" sweep plan measures --scale tiny --out "$work/a" >/dev/null
job=$(submit "$work/a"); [ -n "$job" ] || fail "no job id from sbatch"
wait_job "$job"
"$genlab" sweep collect "$work/a" --quiet >/dev/null || { "$genlab" sweep status "$work/a"; cat "$work/a"/slurm/* >&2; fail "collect"; }
same_tables "$work/local" "$work/a/result"
echo "slurm-test: 1. array of 4 tasks: 12 points collected, tables identical to the local run (at $(( $(date +%s) - start )) s)"

# 2. One element killed mid-point, the array resubmitted.
export GENLAB_SWEEP_POINT_DELAY=1
"$genlab" sweep plan measures --scale tiny --out "$work/b" >/dev/null
job=$(submit "$work/b")
wait_running "${job}_2" "$work/b"
scancel "${job}_2"
wait_job "$job"
status=$("$genlab" sweep status "$work/b")
echo "$status" | grep -q "12 finished" && fail "the killed element finished anyway"
done_before=$(finished_lines "$work/b")
job=$(submit "$work/b")
wait_job "$job"
"$genlab" sweep collect "$work/b" --quiet >/dev/null || fail "collect after the resubmission"
same_tables "$work/local" "$work/b/result"
[ "$(finished_lines "$work/b")" -eq 12 ] || fail "points were computed twice: $(finished_lines "$work/b") finished lines for 12 points"
echo "slurm-test: 2. killed element: $done_before of 12 points finished before, only the other $((12 - done_before)) computed after resubmitting; tables identical (at $(( $(date +%s) - start )) s)"

# 3. A running element requeued.
"$genlab" sweep plan measures --scale tiny --out "$work/c" >/dev/null
job=$(submit "$work/c")
wait_running "${job}_1" "$work/c"
scontrol requeue "${job}_1"
# Slurm holds a requeued job back for two minutes (its eligible time); let it start again now.
for _ in $(seq 50); do
  [ "$(squeue -h -j "${job}_1" -o %T 2>/dev/null)" = PENDING ] && scontrol update jobid="${job}_1" StartTime=now 2>/dev/null && break
  sleep 0.1
done
wait_job "$job"
"$genlab" sweep collect "$work/c" --quiet >/dev/null || { "$genlab" sweep status "$work/c"; fail "collect after the requeue"; }
same_tables "$work/local" "$work/c/result"
restarts=$(( $(cat "$work/c"/logs/*.log | grep -c " started ") - 12 ))
[ "$restarts" -ge 1 ] || fail "no point was started again after the requeue"
echo "slurm-test: 3. requeued element resumed ($restarts point(s) interrupted and started again); tables identical (at $(( $(date +%s) - start )) s)"
unset GENLAB_SWEEP_POINT_DELAY

# No daemon left (cleanup stops them; checked after it runs).
trap - EXIT
cleanup
if pgrep -f "$work/slurm" >/dev/null; then echo "slurm-test: FAILED: daemons left running" >&2; exit 1; fi
echo "slurm-test: passed in $(( $(date +%s) - start )) s; no daemon left"
