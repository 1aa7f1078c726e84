#!/usr/bin/env bash
# GenLab's curvature measures next to PyHessian 0.1 in one run, on the same weights (the peers'
# shared initialization of mlp:256), the same 1,000 Fashion-MNIST images (the first ones) and 2
# threads: top-5 eigenvalues, the trace and the density, each with its time, its accuracy
# against the float64 references that pyhessian_peer.py computes, and the ratios.
#   PEERS: the peers' scripts (default ../shared/bench/peers); VENV: the venv with torch and
#   PyHessian (default /tmp/peers-venv, made by the peers' setup_env.sh); REPEATS (default 3)
source "$(dirname "$0")/peers-setup.sh"
echo "== PyHessian ($REPEATS repeats, with the float64 references)" >&2
"$VENV/bin/python" "$PEERS/pyhessian_peer.py" --samples 1000 --threads 2 --repeats "$REPEATS" --trace-repeats 5 --json "$OUT/pyhessian.json" > "$OUT/pyhessian.txt" 2>&1
for r in $(seq 1 "$REPEATS"); do
  echo "== GenLab, run $r of $REPEATS" >&2
  .build/release/genlab sharpness --data fashion-mnist --model mlp:256 --weights "$OUT/init256.npy" --samples 1000 --first-samples \
    --no-per-layer --no-smallest --top-k 5 --density-probes 1 --density-steps 100 --trace-tolerance 0.1 --threads 2 --seed "$r" --quiet --out "$OUT/genlab-$r" > /dev/null
done
python3 - "$OUT" "$REPEATS" <<'PY'
import json, statistics as st, sys
out, n = sys.argv[1], int(sys.argv[2])
p = json.load(open(f"{out}/pyhessian.json"))
ref = p["reference"]
g = [json.load(open(f"{out}/genlab-{r}/result.json"))["metrics"] for r in range(1, n + 1)]
tops = []
for r in range(1, n + 1):
    rows = open(f"{out}/genlab-{r}/eigenvalues.csv").read().split("\n")[1:6]
    tops.append([float(x.split(",")[1]) for x in rows])
med = lambda xs: st.median(xs)
ph5 = med([x["s"] for x in p["pyhessian"]["top5"]]); gl5 = med([m["eigen_seconds"] for m in g])
print("Top-5 eigenvalues (reference: float64 Lanczos of pyhessian_peer.py)")
print("  reference  " + " ".join(f"{v:.6f}" for v in ref["lanczos"]["top5"]))
for i, t in enumerate(tops): print(f"  GenLab {i + 1}   " + " ".join(f"{v:.6f}" for v in t) + f"   max |err| {max(abs(a - b) for a, b in zip(t, ref['lanczos']['top5'])):.1e}")
for x in p["pyhessian"]["top5"]: print(f"  PyHessian  " + " ".join(f"{v:.6f}" for v in x["eigenvalues"]) + f"   max |err| {max(abs(a - b) for a, b in zip(sorted(x['eigenvalues'], reverse=True), ref['lanczos']['top5'])):.1e}")
print(f"  time: GenLab {gl5:.2f} s (top-5, {g[0]['eigen_iterations']} Lanczos steps), PyHessian {ph5:.2f} s: ratio {ph5 / gl5:.2f} (target >= 5)")
exact = ref["exact_trace"]["trace"]
print(f"Trace (exact: {exact:.4f})")
print(f"  GenLab exact (Gauss-Newton diagonal): {g[0]['trace_exact']:.4f} in {med([m['trace_exact_seconds'] for m in g]):.3f} s")
print(f"  GenLab Hutch++ to a 10% standard error: " + ", ".join(f"{m['trace']:.2f} +- {m['trace_standard_error']:.2f}" for m in g) + f" in {med([m['trace_seconds'] for m in g]):.2f} s")
tr = p["pyhessian"]["trace"]
print(f"  PyHessian trace(): " + ", ".join(f"{x['estimate']:.2f} +- {x['se']:.2f}" for x in tr) + f" in {med([x['s'] for x in tr]):.2f} s (median)")
phd = med([x["s"] for x in p["pyhessian"]["density"]]); gld = med([m["density_seconds"] for m in g])
print(f"Density (SLQ, 1 probe of 100 steps): GenLab {gld:.2f} s, PyHessian {phd:.2f} s: ratio {phd / gld:.2f} (target >= 3)")
PY
