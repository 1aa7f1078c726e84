# Sourced by the curvature and landscape benchmarks: the peers' folder and venv, a release
# build, and the peers' shared initialization of mlp:256 in GenLab's flat layout at $OUT/init256.npy.
#   PEERS (default ../shared/bench/peers), VENV (default /tmp/peers-venv, made by the peers'
#   setup_env.sh), REPEATS (default 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# This machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (old OpenBLAS builds misbehave on some
# new CPUs); tests and CI keep them. A benchmark unsets both for every side, in this command alone,
# and prints the kernel each side used: with them, GenLab's OpenBLAS runs Haswell kernels.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
PEERS=${PEERS:-../shared/bench/peers}
VENV=${VENV:-/tmp/peers-venv}
REPEATS=${REPEATS:-3}
[ -x "$VENV/bin/python" ] || { echo "no $VENV: run $PEERS/setup_env.sh first" >&2; exit 1; }
OUT=$(mktemp -d)
swift build -c release >&2
echo "== BLAS kernels" >&2
scripts/blas-kernels.sh >&2
"$VENV/bin/python" - "$PEERS" "$OUT/init256.npy" <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import numpy as np, mlp_common as m
W1, b1, W2, b2 = m.init_params(256)
np.save(sys.argv[2], np.concatenate([W1.T.ravel(), b1, W2.T.ravel(), b2]).astype(np.float32))
PY
