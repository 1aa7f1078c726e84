#!/usr/bin/env bash
# GenLab's 2-D loss surface next to loss-landscapes 3.0.6 in one run: the same weights (the peers'
# shared initialization of mlp:256), the same 1,000 Fashion-MNIST images (the first ones), a 51×51
# filter-normalized plane, 2 threads. Prints each tool's time, GenLab's time with every layer at
# every point (--no-shortcut: the peer's one forward pass per point), and the ratios.
#   PEERS: the peers' scripts (default ../shared/bench/peers); VENV: the venv with torch and
#   loss-landscapes (default /tmp/peers-venv, made by the peers' setup_env.sh); REPEATS (default 3)
source "$(dirname "$0")/peers-setup.sh"
echo "== loss-landscapes (random_plane 51x51, 3 seeds)" >&2
"$VENV/bin/python" "$PEERS/landscapes_peer.py" --samples 1000 --steps 51 --threads 2 --json "$OUT/peer.json" > "$OUT/peer.txt" 2>&1
for r in $(seq 1 "$REPEATS"); do
  echo "== GenLab, run $r of $REPEATS" >&2
  # A fresh --out each time: no checkpoint to resume from.
  .build/release/genlab landscape --data fashion-mnist --model mlp:256 --weights "$OUT/init256.npy" --samples 1000 --first-samples \
    --steps 51 --threads 2 --seed "$r" --quiet --out "$OUT/genlab-$r" > /dev/null
done
.build/release/genlab landscape --data fashion-mnist --model mlp:256 --weights "$OUT/init256.npy" --samples 1000 --first-samples \
  --steps 51 --threads 2 --seed 1 --no-shortcut --quiet --out "$OUT/genlab-plain" > /dev/null
python3 - "$OUT" "$REPEATS" <<'PY'
import json, statistics as st, sys
out, n = sys.argv[1], int(sys.argv[2])
p = json.load(open(f"{out}/peer.json"))
g = [json.load(open(f"{out}/genlab-{r}/result.json"))["metrics"] for r in range(1, n + 1)]
plain = json.load(open(f"{out}/genlab-plain/result.json"))["metrics"]
peer = st.median([x["s"] for x in p["plane"]])
ours = st.median([m["grid_seconds"] for m in g])
print(f"51x51 filter-normalized plane, mlp:256 at the shared init, 1,000 images, 2 threads")
print(f"  loss-landscapes random_plane: {peer:.2f} s median of {len(p['plane'])} ({1e3 * peer / 2601:.2f} ms per point)")
print(f"  GenLab landscape:             {ours:.2f} s median of {n} ({st.median([m['ms_per_point'] for m in g]):.3f} ms per point; "
      f"loss at theta0 {g[0]['loss_at_origin']:.4f}) -> ratio {peer / ours:.1f} (target >= 10)")
print(f"  GenLab, every layer at every point (--no-shortcut): {plain['grid_seconds']:.2f} s -> ratio {peer / plain['grid_seconds']:.2f}")
PY
