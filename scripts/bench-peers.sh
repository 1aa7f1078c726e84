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
PY
