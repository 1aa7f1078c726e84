#!/usr/bin/env bash
# Installs what GenLab needs on Debian/Ubuntu and is missing: OpenBLAS (BLAS + LAPACK),
# zlib headers, and the real Fashion-MNIST. Safe to run again: it installs nothing present.
set -euo pipefail
need=()
for pkg in libopenblas-dev zlib1g-dev dataset-fashion-mnist; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
fi
