#!/usr/bin/env bash
# The DocC documentation of the GenLab library (every target of the product, one combined site,
# with the articles of Sources/Experiments/Experiments.docc) as a static site in OUT (default
# docs-site). Any DocC warning fails the build. Open it with a local web server, e.g.
#   python3 -m http.server --directory docs-site 8000   → http://localhost:8000/documentation/
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs-site}
targets=(Common LinearAlgebra Datasets Learners Measures Results Experiments Reports Tour)
args=()
for t in "${targets[@]}"; do args+=(--target "$t"); done
swift package --allow-writing-to-directory "$out" generate-documentation "${args[@]}" \
  --enable-experimental-combined-documentation --disable-indexing --transform-for-static-hosting \
  --output-path "$out" --warnings-as-errors
echo "documentation: $out (serve it: python3 -m http.server --directory $out 8000, then open http://localhost:8000/documentation/)"
