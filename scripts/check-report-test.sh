#!/usr/bin/env bash
# The browser check checks: a tiny synthetic report whose figures GenLab draws from CSV and
# FigureSpec alone (a dot plot, a forest plot, a line figure with a published value) passes
# scripts/check-report.py; the same report with one figure replaced by a deliberately bad SVG
# (its legend over a data point, a label past the right edge, conditions coded 0, 1, 2 on a
# numeric axis) fails it, naming each of the three problems. Needs chromium (apt-get install
# chromium) and a built genlab (GENLAB=path, else .build/debug or .build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: chromium (the report's browser check)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
genlab=${GENLAB:-}
for candidate in .build/debug/genlab .build/release/genlab; do
  [ -z "$genlab" ] && [ -x "$candidate" ] && genlab=$candidate
done
[ -n "$genlab" ] || { echo "check-report-test: no genlab built (swift build, or set GENLAB)" >&2; exit 1; }
work=$(mktemp -d /tmp/genlab-check-report.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/good/regularizers"
section="$work/good/regularizers"
cat > "$section/result.json" <<'JSON'
{"experiment": "regularizers", "configuration": {"data": "synthetic"}, "seed": 0, "genlab_version": "test", "metrics": {},
 "verdicts": [{"claim": "Dropout lowers the test error.", "kind": "finding", "supported": null, "evidence": "synthetic", "values": {}}],
 "command": "synthetic", "seconds": 0, "notes": [], "references": [], "tables": ["runs", "comparisons", "curve"],
 "figures": [
  {"file": "test_error.svg", "title": "Test error of every run, by condition", "kind": "dots", "table": "runs", "x": "condition",
   "xLabel": "condition", "yLabel": "test error", "xLog": false, "yLog": false, "fitLine": false,
   "series": [{"y": "test_error", "label": "one run (seed)", "dashed": false, "markers": false}]},
  {"file": "comparisons.svg", "title": "What each verdict decided: paired differences in test error", "kind": "forest", "table": "comparisons",
   "x": "comparison", "xLabel": "", "yLabel": "paired difference in test error (95% t interval over seeds)", "xLog": false, "yLog": false,
   "fitLine": false, "reference": 0, "margin": "margin", "outcome": "outcome",
   "series": [{"y": "estimate", "label": "estimate (95% CI)", "lower": "lower", "upper": "upper", "dashed": false, "markers": false}]},
  {"file": "curve.svg", "title": "Test error against the width", "kind": "line", "table": "curve", "x": "width", "xLabel": "hidden width h",
   "yLabel": "test error", "xLog": true, "yLog": false, "fitLine": false,
   "series": [{"y": "test_error", "label": "test error (mean over seeds)", "dashed": false, "markers": true}],
   "published": [{"label": "notebook: 45.5% at h = 300", "x": 300, "y": 0.455}]}
 ]}
JSON
{
  echo "condition,seed,test_error"
  for c in none dropout weight-decay early-stopping; do
    for s in 0 1 2; do echo "$c,$s,0.$((30 + ${#c} + s))"; done
  done
} > "$section/runs.csv"
cat > "$section/comparisons.csv" <<'CSV'
comparison,quantity,estimate,lower,upper,margin,outcome
dropout − none,test error,-0.021,-0.035,-0.007,0.01,supported
weight-decay − none,test error,0.002,-0.004,0.008,0.01,not supported
early-stopping − none,test error,-0.01,-0.04,0.02,0.01,inconclusive
CSV
{
  echo "width,test_error"
  for h in 8 16 32 64 128 256 512; do echo "$h,0.$((60 - h / 16))"; done
} > "$section/curve.csv"
cp -r "$work/good" "$work/bad"
# A figure built to fail: the legend box covers a data point, a tick label runs past the
# right edge, and the conditions are numbers explained in the axis label.
cat > "$work/bad/regularizers/test_error.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 680 420" width="680" height="420" data-x-axis="numeric" font-family="Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="340" y="22" font-size="15" text-anchor="middle">Test error of every run, by condition</text>
<line x1="72" y1="364" x2="660" y2="364" stroke="#444"/>
<circle class="data" cx="120" cy="300" r="3" fill="#0072B2"><title>run 1</title></circle>
<circle class="data" cx="600" cy="80" r="3" fill="#0072B2"><title>run 2</title></circle>
<text x="72" y="382" font-size="11" text-anchor="middle">0</text>
<text x="676" y="382" font-size="11" text-anchor="start">3 (the last condition)</text>
<text x="366" y="406" font-size="13" text-anchor="middle">condition (0 none, 1 dropout, 2 L2, 3 early stopping)</text>
<g class="legend"><rect x="520" y="50" width="140" height="40" fill="white" stroke="#ccc"/>
<circle cx="535" cy="66" r="3" fill="#0072B2"/><text x="548" y="70" font-size="11" text-anchor="start">one run (seed)</text></g>
</svg>
SVG
"$genlab" report "$work/good" >/dev/null
"$genlab" report "$work/bad" >/dev/null
# Redrawn from CSV and FigureSpec alone: the good report's figures must carry the new kinds.
grep -q 'data-x-axis="categorical"' "$work/good/index.html" || { echo "check-report-test: the dot and forest figures were not drawn as categorical" >&2; exit 1; }
scripts/check-report.py "$work/good" --png-dir "$work/png-good" > "$work/good.log" 2>&1 || { cat "$work/good.log" >&2; echo "check-report-test: the good report failed the check" >&2; exit 1; }
status=0
scripts/check-report.py "$work/bad" --png-dir "$work/png-bad" > "$work/bad.log" 2>&1 || status=$?
if [ "$status" -ne 1 ]; then cat "$work/bad.log" >&2; echo "check-report-test: the bad figure passed the check (exit $status)" >&2; exit 1; fi
for want in "extends past the figure's edge" "the legend covers 1 data point" "category codes"; do
  grep -qF "$want" "$work/bad.log" || { cat "$work/bad.log" >&2; echo "check-report-test: expected \"$want\" among the problems" >&2; exit 1; }
done
others=$(grep -vc -e "extends past" -e "legend covers" -e "category codes" "$work/bad.log" || true)
[ "$others" = 0 ] || { cat "$work/bad.log" >&2; echo "check-report-test: the bad report failed for other reasons too" >&2; exit 1; }
echo "check-report-test: the synthetic report passes; its bad figure fails on text past the edge, a legend over data and category codes"
