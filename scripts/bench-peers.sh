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
# The machine's speed drifts by ±20% (sometimes 2×) between minutes, so the network benchmarks
# run in ROUNDS interleaved rounds (PyTorch, JAX, GenLab back to back) and each ratio is taken
# within its round; the median over rounds is reported with the range.
ROUNDS=${ROUNDS:-3}
if [ -x "$VENV/bin/python" ]; then
  # The peers' shared initialization (numpy), in GenLab's flat layout, so that λ_max can be compared.
  "$VENV/bin/python" - "$PEERS" "$OUT/init256.npy" <<'PY2'
import sys; sys.path.insert(0, sys.argv[1])
import numpy as np, mlp_common as m
W1, b1, W2, b2 = m.init_params(256)
np.save(sys.argv[2], np.concatenate([W1.T.ravel(), b1, W2.T.ravel(), b2]).astype(np.float32))
PY2
  for r in $(seq 1 "$ROUNDS"); do
    echo "== Training throughput and HVP, round $r of $ROUNDS: PyTorch, JAX, GenLab (a few minutes)" >&2
    "$VENV/bin/python" "$PEERS/torch_mlp.py" --threads 2 --json "$OUT/torch-$r.json" > "$OUT/torch-$r.txt" 2>&1 || true
    "$VENV/bin/python" "$PEERS/jax_mlp.py" --json "$OUT/jax-$r.json" > "$OUT/jax-$r.txt" 2>&1 || true
    .build/release/genlab bench train --json > "$OUT/genlab-train-$r.json"
    .build/release/genlab bench hvp --weights "$OUT/init256.npy" --json > "$OUT/genlab-hvp-$r.json"
  done
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
import glob, os
rounds = sorted(int(p.split("-")[-1][:-5]) for p in glob.glob(f"{out}/genlab-train-*.json"))
def load(name, r):
    p = f"{out}/{name}-{r}.json"
    return json.load(open(p)) if os.path.exists(p) else None
def spread(xs):
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]"
if rounds:
    print(f"MLP 784-W-10 training, SGD lr 0.1, batch 128, samples/s (median of 3 epochs), {len(rounds)} interleaved rounds")
    for w in (64, 256, 1024, 4096):
        ratios, line = [], []
        for r in rounds:
            g = {x["model"]: x["samplesPerSecond"] for x in load("genlab-train", r)}[f"mlp:{w}"]
            t, j = load("torch", r), load("jax", r)
            peers = []
            if t: peers.append(("torch", statistics.median(t["widths"][str(w)]["samples_per_s"])))
            if j: peers.append(("jax", max(statistics.median(j["widths"][str(w)][k]["samples_per_s"]) for k in ("step", "scan"))))
            if not peers: continue
            best = max(peers, key=lambda x: x[1])
            ratios.append(g / best[1])
            line.append(f"GenLab {g:7.0f} " + " ".join(f"{n} {v:7.0f}" for n, v in peers))
        target = 1.5 if w == 64 else 1.0
        if ratios:
            print(f"  W={w:5d}: ratio to the faster peer {spread(ratios)} (target >= {target})")
            for l in line: print(f"           {l}")
    hv, hk, eig = [], [], []
    for r in rounds:
        h, j, t = load("genlab-hvp", r), load("jax", r), load("torch", r)
        if not (h and j): continue
        jh = statistics.median(j["hvp_s"]) * 1e3
        peer_eig = min(statistics.median(j["power20_fori_s"]), statistics.median(t["power20_s"]) if t else 1e9) * 1e3
        hv.append(jh / h["hvpFromScratchMilliseconds"]); hk.append(jh / h["hvpMilliseconds"]); eig.append(peer_eig / (h["lanczosSeconds"] * 1e3))
        print(f"  round {r}: HVP mlp:256 x 1,000: GenLab {h['hvpFromScratchMilliseconds']:.2f} ms from scratch, {h['hvpMilliseconds']:.2f} ms at a fixed theta "
              f"(forward pass kept), JAX jit(jvp(grad)) {jh:.2f} ms; lambda_max: GenLab Lanczos to {h['tolerance']:.0e} {h['lanczosSeconds'] * 1e3:.1f} ms "
              f"({h['lanczosIterations']} H·v) = {h['lambdaMax']:.5f}, fastest peer 20 power iterations {peer_eig:.1f} ms = {j['lambda_max']}")
    if hv:
        print(f"HVP speed-up over JAX: from scratch {spread(hv)}, at a fixed theta {spread(hk)} (target >= 1.0)")
        print(f"lambda_max speed-up over the fastest peer: {spread(eig)} (target > 1.0)")
PY
