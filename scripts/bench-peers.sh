#!/usr/bin/env bash
# Runs GenLab's benchmarks and the peers' (numpy/OpenBLAS, scikit-learn) in one go on this
# machine and prints the ratios. Never compare with figures from another day.
#   PEERS: the peers' scripts (default ../shared/bench/peers)
#   VENV: the Python environment with PyTorch and JAX (default /tmp/peers-venv, made by the
#         peers' setup_env.sh); ROUNDS (default 3), WIDTHS (default "64 256 1024 4096");
#   NETWORKS_ONLY=1: only the network benchmarks (skips GEMM and the perceptron)
#   CNN_WIDTHS (default "8 16 32"; empty: none), CNN_SAMPLES (default 10000): the standard CNN of
#         width k (torch_cnn.py) against PyTorch, interleaved as the MLP; CNN_ONLY=1: only those
set -euo pipefail
cd "$(dirname "$0")/.."
# This machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (old OpenBLAS builds misbehave on some
# new CPUs); tests and CI keep them. A benchmark unsets both for every side, in this command alone,
# and prints the kernel each side used: with them, GenLab's OpenBLAS runs Haswell kernels.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
PEERS=${PEERS:-../shared/bench/peers}
OUT=$(mktemp -d)
swift build -c release >&2  # the figures are the current code's (a no-op when it is built)
python3 -c "import threadpoolctl, sklearn" 2>/dev/null || pip install -q threadpoolctl scikit-learn >&2
echo "== BLAS kernels" >&2
scripts/blas-kernels.sh >&2

if [ -z "${NETWORKS_ONLY:-}" ] && [ -z "${CNN_ONLY:-}" ]; then
echo "== GEMM: numpy/OpenBLAS vs GenLab (n = 1024, 1 and 2 threads)" >&2
python3 "$PEERS/gemm_limit.py" --trials 5 --sizes 1024 --json "$OUT/numpy.json" > "$OUT/numpy.txt"
.build/release/genlab bench gemm --sizes 1024 --trials 5 --json > "$OUT/genlab-gemm.json"

echo "== Perceptron: scikit-learn vs GenLab" >&2
python3 "$PEERS/sklearn_peers.py" --repeats 1 --json "$OUT/sklearn.json" > "$OUT/sklearn.txt"
.build/release/genlab bench perceptron --json > "$OUT/genlab-perceptron.json"
fi

VENV=${VENV:-/tmp/peers-venv}
# The host's speed drifts by ±20% (sometimes 2×) between minutes, so the network benchmarks are
# interleaved finely: in each of ROUNDS rounds, every width is measured by PyTorch, JAX and
# GenLab back to back (then the H·v), each ratio is taken within its round, and the order of
# the three rotates from round to round. scripts/peers_driver.py runs one piece of the peers'
# own benchmark code at a time.
ROUNDS=${ROUNDS:-3}
WIDTHS=${WIDTHS:-64 256 1024 4096}
CNN_WIDTHS=${CNN_WIDTHS-8 16 32}
CNN_SAMPLES=${CNN_SAMPLES:-10000}
if [ -n "${CNN_ONLY:-}" ]; then WIDTHS=""; fi
if [ -x "$VENV/bin/python" ]; then
  # The peers' shared initialization (numpy), in GenLab's flat layout, so that λ_max can be compared.
  "$VENV/bin/python" - "$PEERS" "$OUT/init256.npy" <<'PY2'
import sys; sys.path.insert(0, sys.argv[1])
import numpy as np, mlp_common as m
W1, b1, W2, b2 = m.init_params(256)
np.save(sys.argv[2], np.concatenate([W1.T.ravel(), b1, W2.T.ravel(), b2]).astype(np.float32))
PY2
  piece() {  # piece LIBRARY TASK [WIDTH [SAMPLES SEED]] OUTPUT (genlab cnn: WIDTH OUTPUT SEED)
    case "$1" in
      genlab) if [ "$2" = train ]; then .build/release/genlab bench train --model "mlp:$3" --quiet --json > "$4"
              elif [ "$2" = cnn ]; then k=$3
                .build/release/genlab bench train --model "cnn2d:${k}x$((2 * k))x$((4 * k))x$((8 * k)),pool=1x2x2x7" --lr 0.05 \
                  --samples "$CNN_SAMPLES" --seed "$5" --accuracy --quiet --json > "$4"
              else .build/release/genlab bench hvp --weights "$OUT/init256.npy" --quiet --json > "$3"; fi ;;
      *) "$VENV/bin/python" scripts/peers_driver.py "$PEERS" "$@" > "$OUT/log.txt" 2>&1 || { echo "($1 $2 failed: $(tail -1 "$OUT/log.txt"))" >&2; rm -f "${@: -1}"; } ;;
    esac
  }
  libs=(torch jax genlab)
  for r in $(seq 1 "$ROUNDS"); do
    echo "== Training throughput and H·v, round $r of $ROUNDS (a few minutes)" >&2
    order=("${libs[@]:$(( (r - 1) % 3 ))}" "${libs[@]:0:$(( (r - 1) % 3 ))}")
    for w in $WIDTHS; do
      for lib in "${order[@]}"; do piece "$lib" train "$w" "$OUT/$lib-train-$w-$r.json"; done
    done
    if [ -n "$WIDTHS" ]; then for lib in "${order[@]}"; do piece "$lib" hvp "$OUT/$lib-hvp-$r.json"; done; fi
    # The standard CNN (torch_cnn.py), PyTorch and GenLab back to back per width, the order
    # alternating; each round trains from another seed, so the accuracies span seeds too.
    cnn_order=(torch genlab); [ $((r % 2)) = 0 ] && cnn_order=(genlab torch)
    for k in $CNN_WIDTHS; do
      echo "   standard CNN k=$k" >&2
      for lib in "${cnn_order[@]}"; do
        if [ "$lib" = genlab ]; then piece genlab cnn "$k" "$OUT/genlab-cnn-$k-$r.json" "$((r - 1))"
        else piece torch cnn "$k" "$CNN_SAMPLES" "$((r - 1))" "$OUT/torch-cnn-$k-$r.json"; fi
      done
    done
  done
else
  echo "(no $VENV: run $PEERS/setup_env.sh for the PyTorch/JAX comparison)" >&2
fi

python3 - "$OUT" <<'PY'
import json, statistics, sys
out = sys.argv[1]
import os
if os.path.exists(f"{out}/numpy.json"):
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
    print(f"  binary epoch, shuffled, Float features: GenLab {p['binaryEpochSecondsFloat'] * 1e3:.2f} ms: {binary / p['binaryEpochSecondsFloat']:.1f}x")
    print(f"  binary epoch, shuffled in blocks of {p['blockSize']} (Float): GenLab {p['binaryEpochSecondsBlocks'] * 1e3:.2f} ms: {binary / p['binaryEpochSecondsBlocks']:.1f}x")
    print(f"  binary epoch, given order (Float): GenLab {p['binaryEpochSecondsInOrder'] * 1e3:.2f} ms: {binary / p['binaryEpochSecondsInOrder']:.1f}x")
    print(f"  hard-margin SVM, 10,000 x 50: {p['maxMarginSeconds']:.3f} s (target < 1 s), relative duality gap {p['maxMarginRelativeGap']:.1e}")
import glob, os
def load(name):
    p = f"{out}/{name}.json"
    return json.load(open(p)) if os.path.exists(p) else None
def spread(xs):
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]"
rounds = sorted({int(p.split("-")[-1][:-5]) for p in glob.glob(f"{out}/genlab-hvp-*.json")})
if rounds:
    print(f"MLP 784-W-10 training, SGD lr 0.1, batch 128, samples/s (median of 3 epochs); {len(rounds)} rounds, "
          "each width measured by the three back to back")
    print("  ratio = GenLab / the faster peer, within each round: median [range] over rounds; "
          "'best' = each library's best round against the other's")
    for w in sorted({int(p.split("-")[-2]) for p in glob.glob(f"{out}/genlab-train-*-*.json")}):
        ratios, line, best = [], [], {}
        for r in rounds:
            g, t, j = load(f"genlab-train-{w}-{r}"), load(f"torch-train-{w}-{r}"), load(f"jax-train-{w}-{r}")
            if not g: continue
            g = g[0]["samplesPerSecond"]
            peers = []
            if t: peers.append(("torch", statistics.median(t["samples_per_s"])))
            if j: peers.append(("jax", max(statistics.median(j[k]["samples_per_s"]) for k in ("step", "scan"))))
            for n, v in peers + [("genlab", g)]: best[n] = max(best.get(n, 0), v)
            if not peers: continue
            ratios.append(g / max(v for _, v in peers))
            line.append(f"round {r}: GenLab {g:7.0f} " + " ".join(f"{n} {v:7.0f}" for n, v in peers))
        target = 1.5 if w == 64 else 1.0
        if ratios:
            peer_best = max(v for n, v in best.items() if n != "genlab")
            print(f"  W={w:5d}: ratio {spread(ratios)}, best {best['genlab'] / peer_best:.2f} (target >= {target})")
            for l in line: print(f"           {l}")
    hv, hvmin, hk, eig = [], [], [], []
    for r in rounds:
        h, j, t = load(f"genlab-hvp-{r}"), load(f"jax-hvp-{r}"), load(f"torch-hvp-{r}")
        if not (h and j): continue
        jh, jmin = statistics.median(j["hvp_s"]) * 1e3, min(j["hvp_s"]) * 1e3
        peer_eig = min(statistics.median(j["power20_fori_s"]), statistics.median(t["power20_s"]) if t else 1e9) * 1e3
        hv.append(jh / h["hvpFromScratchMilliseconds"]); hvmin.append(jmin / h["hvpFromScratchMillisecondsMin"])
        hk.append(jh / h["hvpMilliseconds"]); eig.append(peer_eig / (h["lanczosSeconds"] * 1e3))
        print(f"  round {r}: H·v mlp:256 x 1,000: GenLab {h['hvpFromScratchMilliseconds']:.2f} ms from scratch (fastest of 20: "
              f"{h['hvpFromScratchMillisecondsMin']:.2f}), {h['hvpMilliseconds']:.2f} ms at a fixed theta (forward pass kept); "
              f"JAX jit(jvp(grad)) {jh:.2f} ms (fastest {jmin:.2f}); lambda_max: GenLab Lanczos to {h['tolerance']:.0e} "
              f"{h['lanczosSeconds'] * 1e3:.1f} ms ({h['lanczosIterations']} H·v) = {h['lambdaMax']:.5f}, fastest peer's "
              f"20 power iterations {peer_eig:.1f} ms = {j['lambda_max']:.5f}")
    if hv:
        print(f"H·v speed-up over JAX: from scratch {spread(hv)} (medians of 20 calls), {spread(hvmin)} (fastest calls); "
              f"at a fixed theta {spread(hk)} (target >= 1.0 from scratch)")
        print(f"lambda_max speed-up over the fastest peer: {spread(eig)} (target > 1.0)")
cnn_rounds = sorted({int(p.split("-")[-1][:-5]) for p in glob.glob(f"{out}/genlab-cnn-*-*.json")})
if cnn_rounds:
    print(f"Standard CNN of width k (torch_cnn.py), SGD lr 0.05, batch 128, first {os.environ.get('CNN_SAMPLES', '10000')} images, "
          f"samples/s (median of 3 epochs after a warm-up); {len(cnn_rounds)} rounds, PyTorch and GenLab back to back, a seed per round")
    for k in sorted({int(p.split("-")[-2]) for p in glob.glob(f"{out}/genlab-cnn-*-*.json")}):
        ratios, accs, taccs = [], [], []
        for r in cnn_rounds:
            g, t = load(f"genlab-cnn-{k}-{r}"), load(f"torch-cnn-{k}-{r}")
            if not (g and t): continue
            g = g[0]; tv = statistics.median(t["samples_per_s"])
            ratios.append(g["samplesPerSecond"] / tv); accs.append(g["testAccuracy"]); taccs.append(t["test_accuracy"])
            print(f"           round {r}: GenLab {g['samplesPerSecond']:7.0f} ({g['gflops']:.1f} GFLOP/s), torch {tv:7.0f}; "
                  f"test accuracy GenLab {g['testAccuracy']:.4f}, torch {t['test_accuracy']:.4f}")
        if ratios:
            print(f"  k={k:3d}: ratio GenLab / PyTorch {spread(ratios)} (target >= 1.0); test accuracy after 4 epochs: "
                  f"GenLab {spread(accs)}, PyTorch {spread(taccs)} (over seeds)")
PY
