#!/usr/bin/env bash
# TensorBoard round trip: `genlab train --tensorboard` writes event files, and the real reader
# (EventAccumulator of the `tensorboard` package from PyPI, in a throw-away venv made here)
# reads every value back: each epoch's train/test loss and error against the run's curves.csv
# (float32 in the events, so to 1e-6 relative), and one run folder per network and seed.
set -euo pipefail
cd "$(dirname "$0")/.."
genlab=${GENLAB:-$(pwd)/.build/debug/genlab}
[ -x "$genlab" ] || swift build
work=$(mktemp -d /tmp/genlab-tensorboard.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check tensorboard >/dev/null
"$genlab" train --data mnist1d:train=200,test=100 --model mlp:32 --epochs 7 --seed 2 --tensorboard "$work/tb" --out "$work/run" --quiet >/dev/null
# Two networks of one experiment: two runs.
"$genlab" run regularizers --scale tiny --tensorboard "$work/tb2" --out "$work/reg" --quiet >/dev/null
"$work/venv/bin/python" - "$work" <<'PY'
import csv, glob, math, os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
work = sys.argv[1]
runs = sorted(glob.glob(os.path.join(work, "tb", "*")))
assert len(runs) == 1 and os.path.basename(runs[0]) == "run-0001-mlp40x32x10-seed2", runs
acc = EventAccumulator(runs[0]); acc.Reload()
tags = sorted(acc.Tags()["scalars"])
assert tags == ["error/test", "error/train", "loss/test", "loss/train"], tags
rows = list(csv.DictReader(open(os.path.join(work, "run", "curves.csv"))))
checked = 0
for tag, column in [("loss/train", "train_loss"), ("loss/test", "test_loss"), ("error/train", "train_error"), ("error/test", "test_error")]:
    events = acc.Scalars(tag)
    assert [e.step for e in events] == [int(r["epoch"]) for r in rows], (tag, [e.step for e in events])
    for e, r in zip(events, rows):
        want = float(r[column])
        assert math.isclose(e.value, want, rel_tol=1e-6, abs_tol=1e-7), (tag, e.step, e.value, want)
        checked += 1
others = sorted(os.path.basename(p) for p in glob.glob(os.path.join(work, "tb2", "*")))
assert len(others) >= 2 and all(o.startswith("run-") and "-seed" in o for o in others), others
print(f"tensorboard-test: {checked} values read back by EventAccumulator, all equal; {len(others)} runs from one experiment")
PY
