"""Runs one piece of the peers' benchmarks (../shared/bench/peers) so that scripts/bench-peers.sh
can interleave them with GenLab's, one width at a time, instead of one library at a time.

    python3 peers_driver.py PEERS torch|jax train W out.json
    python3 peers_driver.py PEERS torch|jax hvp out.json
    python3 peers_driver.py PEERS torch cnn K SAMPLES SEED out.json

The measurement is the peers' own code: their model, init, epoch functions and HVP benchmark
(torch_mlp.py, jax_mlp.py), called here exactly as their main() calls them: one warm-up epoch,
then 3 timed epochs (JAX: its jitted-step loop and its lax.scan epoch). The CNN piece runs
torch_cnn.py's standard CNN of width K the same way on its first SAMPLES training images
from SEED, and adds the test accuracy after the 4 epochs. Only the order of the
pieces changes: the host's speed drifts by 20% and more between minutes, and a ratio is only
meaningful between figures taken close together.
"""
import json
import sys
import time


def train_torch(m, w):
    import torch
    torch.set_num_threads(2)
    Xtr, ytr, _, _ = m.fmnist.load()
    X, y = torch.from_numpy(Xtr), torch.from_numpy(ytr)
    torch.manual_seed(0)
    model = m.make_model(w, 0)
    opt = torch.optim.SGD(model.parameters(), lr=m.LR)
    gen = torch.Generator().manual_seed(0)
    m.train_epoch(model, opt, X, y, gen)  # warm-up
    sps = []
    for _ in range(3):
        t0 = time.perf_counter()
        ns = m.train_epoch(model, opt, X, y, gen)
        sps.append(ns / (time.perf_counter() - t0))
    return dict(samples_per_s=sps)


def train_jax(m, w):
    import jax
    import jax.numpy as jnp
    import numpy as np
    Xtr, ytr, _, _ = m.fmnist.load()
    ytr32 = ytr.astype(np.int32)
    Xd, yd = jnp.asarray(Xtr), jnp.asarray(ytr32)
    out = {}
    p = [jnp.asarray(t) for t in m.init_params(w, 0)]
    rng = np.random.default_rng(0)
    p, ns = m.epoch_step(p, Xtr, ytr32, rng)  # warm-up (compiles)
    sps = []
    for _ in range(3):
        t0 = time.perf_counter()
        p, ns = m.epoch_step(p, Xtr, ytr32, rng)
        sps.append(ns / (time.perf_counter() - t0))
    out["step"] = dict(samples_per_s=sps)
    p = [jnp.asarray(t) for t in m.init_params(w, 0)]
    key = jax.random.PRNGKey(0)
    key, k = jax.random.split(key)
    p = m.epoch_scan(p, Xd, yd, k); jax.block_until_ready(p)  # warm-up (compiles)
    sps = []
    for _ in range(3):
        key, k = jax.random.split(key)
        t0 = time.perf_counter()
        p = m.epoch_scan(p, Xd, yd, k); jax.block_until_ready(p)
        sps.append(ns / (time.perf_counter() - t0))
    out["scan"] = dict(samples_per_s=sps)
    return out


def train_cnn(m, k, samples, seed):
    import torch
    torch.set_num_threads(2)
    Xtr, ytr, Xte, yte = m.fmnist.load(flatten=False)
    X = torch.from_numpy(Xtr[:samples].reshape(-1, 1, 28, 28).copy()); y = torch.from_numpy(ytr[:samples])
    Xt = torch.from_numpy(Xte.reshape(-1, 1, 28, 28).copy()); yt = torch.from_numpy(yte)
    model = m.make_model(k, seed)
    opt = torch.optim.SGD(model.parameters(), lr=m.LR)
    gen = torch.Generator().manual_seed(seed)
    m.train_epoch(model, opt, X, y, gen)  # warm-up
    sps = []
    for _ in range(3):
        t0 = time.perf_counter()
        ns = m.train_epoch(model, opt, X, y, gen)
        sps.append(ns / (time.perf_counter() - t0))
    return dict(samples_per_s=sps, test_accuracy=m.accuracy(model, Xt, yt), params=sum(p.numel() for p in model.parameters()),
                mkldnn=torch.backends.mkldnn.is_available(), torch=torch.__version__)


def hvp(m, lib):
    Xtr, ytr, _, _ = m.fmnist.load()
    if lib == "torch":
        import torch
        torch.set_num_threads(2)
        return m.hvp_bench(torch.from_numpy(Xtr[:1000]), torch.from_numpy(ytr[:1000]))
    import jax.numpy as jnp
    import numpy as np
    return m.hvp_bench(jnp.asarray(Xtr[:1000]), jnp.asarray(ytr[:1000].astype(np.int32)))


def main():
    peers, lib, task = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, peers)
    if task == "cnn":
        k, samples, seed, out = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
        res = train_cnn(__import__("torch_cnn"), k, samples, seed)
        with open(out, "w") as f:
            json.dump(res, f)
        return
    m = __import__("torch_mlp" if lib == "torch" else "jax_mlp")
    if task == "train":
        w, out = int(sys.argv[4]), sys.argv[5]
        res = train_torch(m, w) if lib == "torch" else train_jax(m, w)
    else:
        out = sys.argv[4]
        res = hvp(m, lib)
    with open(out, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
