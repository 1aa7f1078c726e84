#!/usr/bin/env bash
# Prints the BLAS kernel each side of a benchmark uses, as run in the calling environment
# (the bench scripts unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE first, for every side).
#   VENV: the peers' Python environment with PyTorch and JAX (default /tmp/peers-venv)
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/tmp/peers-venv}
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
printf 'GenLab: '
.build/release/genlab bench gemm --sizes 64 --trials 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["blas"])'
kernels='
import sys, threadpoolctl
for m in sys.argv[1:]:
    __import__(m)
# No backslash inside an f-string expression: Python before 3.12 rejects it.
info = ["%s %s (%s)" % (i.get("internal_api"), i.get("version"), i.get("architecture"))
        for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(", ".join(info) or "no BLAS loaded")
'
printf 'numpy (system python): '
python3 -c "$kernels" numpy 2>/dev/null || echo "numpy or threadpoolctl missing"
if [ -x "$VENV/bin/python" ]; then
  printf 'numpy and PyTorch (%s): ' "$VENV"
  "$VENV/bin/python" -c "$kernels" numpy torch 2>/dev/null || echo "threadpoolctl missing in the venv"
  # PyTorch's wheel links MKL statically (threadpoolctl does not see it): its own report.
  "$VENV/bin/python" -c 'import torch; print("PyTorch:", "MKL" if torch.backends.mkl.is_available() else "no MKL",
      "+ oneDNN" if torch.backends.mkldnn.is_available() else "", "CPU capability",
      torch.backends.cpu.get_cpu_capability())' 2>/dev/null || echo "PyTorch: not installed in the venv"
  echo "JAX: XLA's own CPU kernels (Eigen), no BLAS"
fi
