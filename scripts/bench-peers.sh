#!/usr/bin/env bash
# Runs GenLab's benchmarks and the peers' (numpy/OpenBLAS, scikit-learn) in one go on this
# machine and prints the ratios. Never compare with figures from another day.
#   PEERS: the peers' scripts (default ../shared/bench/peers)
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
OUT=$(mktemp -d)
[ -x .build/release/genlab ] || swift build -c release >&2
python3 -c "import threadpoolctl, sklearn" 2>/dev/null || pip install -q threadpoolctl scikit-learn >&2

echo "== GEMM: numpy/OpenBLAS vs GenLab (n = 1024, 1 and 2 threads)" >&2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$PEERS/gemm_limit.py" --trials 5 --sizes 1024 --json "$OUT/numpy.json" > "$OUT/numpy.txt"
.build/release/genlab bench gemm --sizes 1024 --trials 5 --json > "$OUT/genlab-gemm.json"

echo "== Perceptron: scikit-learn vs GenLab" >&2
python3 "$PEERS/sklearn_peers.py" --repeats 1 --json "$OUT/sklearn.json" > "$OUT/sklearn.txt"
.build/release/genlab bench perceptron --json > "$OUT/genlab-perceptron.json"

VENV=${VENV:-/tmp/peers-venv}
if [ -x "$VENV/bin/python" ]; then
  echo "== Training throughput and HVP: PyTorch, JAX, GenLab (a few minutes)" >&2
  "$VENV/bin/python" "$PEERS/torch_mlp.py" --threads 2 --json "$OUT/torch.json" > "$OUT/torch.txt" 2>&1 || true
  "$VENV/bin/python" "$PEERS/jax_mlp.py" --json "$OUT/jax.json" > "$OUT/jax.txt" 2>&1 || true
  .build/release/genlab bench train --json > "$OUT/genlab-train.json"
  # The peers' shared initialization (numpy), in GenLab's flat layout, so that λ_max can be compared.
  "$VENV/bin/python" - "$PEERS" "$OUT/init256.npy" <<'PY2'
import sys; sys.path.insert(0, sys.argv[1])
import numpy as np, mlp_common as m
W1, b1, W2, b2 = m.init_params(256)
np.save(sys.argv[2], np.concatenate([W1.T.ravel(), b1, W2.T.ravel(), b2]).astype(np.float32))
PY2
  .build/release/genlab bench hvp --weights "$OUT/init256.npy" --json > "$OUT/genlab-hvp.json"
else
  echo "(no $VENV: run $PEERS/setup_env.sh for the PyTorch/JAX comparison)" >&2
fi

python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
numpy = json.load(open(f"{out}/numpy.json"))
ours = json.load(open(f"{out}/genlab-gemm.json"))
print(f"GEMM n=1024 (GFLOP/s; GenLab on {ours['blas']}, numpy on OpenBLAS {numpy['blas'][0]['version']} {numpy['blas'][0]['architecture']})")
for dtype in ("float32", "float64"):
    for t in (1, 2):
        n = next(r["median"] for r in numpy["results"] if r["dtype"] == dtype and r["n"] == 1024 and r["threads"] == t)
        g = next(r["gflops"] for r in ours["rows"] if r["dtype"] == dtype and r["n"] == 1024 and r["threads"] == t)
        print(f"  {dtype} {t} thread(s): GenLab {g:6.1f}  numpy {n:6.1f}  ratio {g / n:.2f} (target >= 0.90)")
sk = json.load(open(f"{out}/sklearn.json"))["results"]
p = json.load(open(f"{out}/genlab-perceptron.json"))
multi = statistics.median(r["fit_s"] for r in sk["Perceptron(max_iter=10, tol=None)"])
binary = statistics.median(r["s_per_epoch"] for k, v in sk.items() if k.startswith("binary Perceptron 0 vs 1") for r in v)
print("Perceptron")
print(f"  10-class, 10 epochs, 60,000 images: GenLab {p['multiclassTenEpochsSeconds']:.3f} s, scikit-learn {multi:.3f} s: {multi / p['multiclassTenEpochsSeconds']:.1f}x faster (target >= 10)")
print(f"  binary epoch, 12,000 x 784, shuffled: GenLab {p['binaryEpochSeconds'] * 1e3:.2f} ms, scikit-learn {binary * 1e3:.2f} ms: {binary / p['binaryEpochSeconds']:.1f}x (target >= 4)")
print(f"  binary epoch, in the given order:    GenLab {p['binaryEpochSecondsInOrder'] * 1e3:.2f} ms: {binary / p['binaryEpochSecondsInOrder']:.1f}x")
print(f"  hard-margin SVM, 10,000 x 50: {p['maxMarginSeconds']:.3f} s (target < 1 s), relative duality gap {p['maxMarginRelativeGap']:.1e}")
import os
if os.path.exists(f"{out}/genlab-train.json"):
    ours = {r["model"]: r["samplesPerSecond"] for r in json.load(open(f"{out}/genlab-train.json"))}
    t = json.load(open(f"{out}/torch.json")) if os.path.exists(f"{out}/torch.json") else None
    j = json.load(open(f"{out}/jax.json")) if os.path.exists(f"{out}/jax.json") else None
    print("MLP 784-W-10 training, SGD lr 0.1, batch 128, samples/s (median of 3 epochs)")
    for w in (64, 256, 1024, 4096):
        peers = []
        if t: peers.append(("torch", statistics.median(t["widths"][str(w)]["samples_per_s"])))
        if j: peers.append(("jax", max(statistics.median(j["widths"][str(w)][k]["samples_per_s"]) for k in ("step", "scan"))))
        best = max(peers, key=lambda x: x[1]) if peers else ("-", float("nan"))
        target = 1.5 if w == 64 else 1.0
        g = ours[f"mlp:{w}"]
        print(f"  W={w:5d}: GenLab {g:9.0f}  " + "  ".join(f"{n} {v:9.0f}" for n, v in peers) + f"  ratio to {best[0]} {g / best[1]:.2f} (target >= {target})")
    h = json.load(open(f"{out}/genlab-hvp.json"))
    if j:
        print(f"HVP mlp:256 x 1,000: GenLab {h['hvpMilliseconds']:.2f} ms, JAX jit(jvp(grad)) {statistics.median(j['hvp_s']) * 1e3:.2f} ms")
        peer_eig = min(statistics.median(j['power20_fori_s']), statistics.median(t['power20_s']) if t else 1e9)
        print(f"lambda_max: GenLab Lanczos to {h['tolerance']:.0e} {h['lanczosSeconds'] * 1e3:.1f} ms ({h['lanczosIterations']} H·v) = {h['lambdaMax']:.5f}; "
              f"fastest peer, 20 power iterations {peer_eig * 1e3:.1f} ms = {j['lambda_max']}")
PY
