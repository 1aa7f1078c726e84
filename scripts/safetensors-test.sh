#!/usr/bin/env bash
# safetensors round trip against the official package (`safetensors` from PyPI, numpy backend, in a
# throw-away venv made here; torch is not needed, so not installed):
#  1. files the package writes (F32, F64, F16, BF16 by hand: numpy has no bfloat16) are read by
#     GenLab bit for bit (`genlab weights` converts them; the half types widened exactly);
#  2. GenLab's files are read by the package bit for bit, with PyTorch's names, shapes and metadata;
#  3. an MLP built with numpy and saved with safetensors.numpy is scored by `genlab evaluate`
#     to 1e-6 of a numpy forward pass (accuracy and mean cross-entropy), with nn.Sequential
#     numbering and with --weight-names; and GenLab's trained weights.safetensors, run through
#     the same numpy forward pass in PyTorch's layout (y = x·Wᵀ + b), give genlab's own numbers;
#  4. a bad file exits 1 naming the problem.
set -euo pipefail
cd "$(dirname "$0")/.."
genlab=${GENLAB:-$(pwd)/.build/debug/genlab}
[ -x "$genlab" ] || swift build
work=$(mktemp -d /tmp/genlab-safetensors.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check safetensors numpy >/dev/null
py="$work/venv/bin/python"
# The data (NPY) and an MLP 10→16→3 trained by nobody: random float32 weights.
"$py" - "$work" <<'PY'
import json, os, struct, sys
import numpy as np
from safetensors.numpy import save_file
w = sys.argv[1]
rng = np.random.default_rng(7)
centres = rng.normal(size=(3, 10)) * 2
def draw(n):
    y = np.arange(n) % 3
    return (centres[y] + rng.normal(size=(n, 10))).astype(np.float32), y.astype(np.int64)
X, y = draw(300); Xt, yt = draw(150)
for name, a in [("X", X), ("y", y), ("Xt", Xt), ("yt", yt)]: np.save(os.path.join(w, name + ".npy"), a)
model = {"0.weight": rng.normal(size=(16, 10)).astype(np.float32) * 0.5, "0.bias": rng.normal(size=16).astype(np.float32) * 0.1,
         "2.weight": rng.normal(size=(3, 16)).astype(np.float32) * 0.5, "2.bias": rng.normal(size=3).astype(np.float32) * 0.1}
save_file(model, os.path.join(w, "mlp.safetensors"), metadata={"format": "pt"})
save_file({k.replace("0.", "fc1.").replace("2.", "out."): v for k, v in model.items()}, os.path.join(w, "named.safetensors"))
save_file({k: v.astype(np.float64) for k, v in model.items()}, os.path.join(w, "f64.safetensors"))
save_file({k: v.astype(np.float16) for k, v in model.items()}, os.path.join(w, "f16.safetensors"))
# BF16 by hand, as the format lays it out: the top 16 bits of each float32.
header, data, offset = {}, b"", 0
for k, v in model.items():
    bits = (np.ascontiguousarray(v).view(np.uint32) >> 16).astype("<u2").tobytes()
    header[k] = {"dtype": "BF16", "shape": list(v.shape), "data_offsets": [offset, offset + len(bits)]}
    data += bits; offset += len(bits)
h = json.dumps(header).encode()
h += b" " * (-len(h) % 8)
open(os.path.join(w, "bf16.safetensors"), "wb").write(struct.pack("<Q", len(h)) + h + data)
np.savez(os.path.join(w, "model.npz"), **model)
PY
data="$work/X.npy:labels=$work/y.npy,test-file=$work/Xt.npy,test-labels=$work/yt.npy"
for f in mlp f64 f16 bf16; do
  "$genlab" weights --model mlp:16 --data "$data" --weights "$work/$f.safetensors" --to "$work/$f-genlab.safetensors" --quiet >/dev/null
done
"$genlab" weights --model mlp:16 --data "$data" --weights "$work/mlp.safetensors" --to "$work/mlp-genlab.npy" --quiet >/dev/null
"$genlab" evaluate --model mlp:16 --data "$data" --weights "$work/mlp.safetensors" --out "$work/ev" --quiet >/dev/null
"$genlab" evaluate --model mlp:16 --data "$data" --weights "$work/named.safetensors" --weight-names fc1,out --out "$work/ev-named" --quiet >/dev/null
"$genlab" train --model mlp:16 --data "$data" --epochs 4 --seed 3 --save-weights safetensors --checkpoints every=2 --out "$work/train" --quiet >/dev/null
"$genlab" evaluate --model mlp:16 --data "$data" --weights "$work/train/weights.safetensors" --out "$work/ev-trained" --quiet >/dev/null
# A bad file: a header length past the end of the file.
printf '\xff\xff\x00\x00\x00\x00\x00\x00{}' >"$work/bad.safetensors"
status=0
"$genlab" evaluate --model mlp:16 --data "$data" --weights "$work/bad.safetensors" --out "$work/ev-bad" --quiet 2>"$work/bad.err" >/dev/null || status=$?
[ "$status" = 1 ] || { echo "safetensors-test: a bad file exited $status, not 1" >&2; exit 1; }
grep -q "past the end of the file" "$work/bad.err" || { echo "safetensors-test: the error does not name the problem: $(cat "$work/bad.err")" >&2; exit 1; }
"$py" - "$work" <<'PY'
import json, os, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file
w = sys.argv[1]
model = dict(np.load(os.path.join(w, "model.npz")))
names = ["0.weight", "0.bias", "2.weight", "2.bias"]
def same_bits(a, b): return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))
# 1 and 2: the package's files through GenLab and back, every value's bits.
for f, widened in [("mlp", lambda v: v), ("f64", lambda v: v), ("f16", lambda v: v.astype(np.float16).astype(np.float32)),
                   ("bf16", lambda v: ((v.view(np.uint32) >> 16) << 16).view(np.float32))]:
    back = load_file(os.path.join(w, f + "-genlab.safetensors"))
    assert sorted(back) == sorted(names), (f, sorted(back))
    for k in names: assert same_bits(back[k], widened(model[k])), (f, k)
with safe_open(os.path.join(w, "mlp-genlab.safetensors"), framework="numpy") as s: meta = s.metadata()
assert meta["format"] == "pt" and meta["genlab_model"] == "mlp:16", meta
assert meta["genlab_sequential"] == "nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 3))", meta
flat = np.load(os.path.join(w, "mlp-genlab.npy"))
assert same_bits(flat, np.concatenate([model[k].ravel() for k in names])), "GenLab's flat θ is PyTorch's tensors in order"
# 3: numpy's forward pass, PyTorch's layout, float64.
Xt, yt = np.load(os.path.join(w, "Xt.npy")).astype(np.float64), np.load(os.path.join(w, "yt.npy"))
def scores(m):
    h = np.maximum(Xt @ m["0.weight"].astype(np.float64).T + m["0.bias"], 0)
    z = h @ m["2.weight"].astype(np.float64).T + m["2.bias"]
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(yt)), yt].mean()), float((z.argmax(axis=1) == yt).mean())
checked, worst = 0, 0.0
for run, m in [("ev", model), ("ev-named", model), ("ev-trained", load_file(os.path.join(w, "train", "weights.safetensors")))]:
    got = json.load(open(os.path.join(w, run, "result.json")))["metrics"]
    loss, acc = scores(m)
    assert abs(got["loss"] - loss) <= 1e-6 and abs(got["accuracy"] - acc) <= 1e-6, (run, got["loss"], loss, got["accuracy"], acc)
    checked += 1; worst = max(worst, abs(got["loss"] - loss), abs(got["accuracy"] - acc))
checkpoints = sorted(os.listdir(os.path.join(w, "train", "checkpoints")))
assert checkpoints == ["epoch-0000.safetensors", "epoch-0002.safetensors", "epoch-0004.safetensors"], checkpoints
for c in checkpoints:
    with safe_open(os.path.join(w, "train", "checkpoints", c), framework="numpy") as s:
        assert s.metadata()["genlab_epoch"] == str(int(c[6:10])) and sorted(s.keys()) == sorted(names), (c, s.metadata(), list(s.keys()))
last = load_file(os.path.join(w, "train", "checkpoints", checkpoints[-1]))
final = load_file(os.path.join(w, "train", "weights.safetensors"))
assert all(same_bits(last[k], final[k]) for k in names), "the last checkpoint is the trained weights"
print(f"safetensors-test: F32/F64/F16/BF16 files of safetensors {__import__('safetensors').__version__} read by GenLab bit for bit and GenLab's read back by it; "
      f"{checked} evaluations equal numpy's forward pass to 1e-6 (largest difference {worst:.1e}); {len(checkpoints)} checkpoints; a bad file exits 1")
PY
