#!/usr/bin/env bash
# The code's format (the toolchain's `swift format` with the checked-in .swift-format: 120
# columns, 4 spaces; ParameterHelp.swift, a generated table, is exempt by its first line).
# No argument: formats Sources, Tests and Fuzz in place. --check: changes nothing and fails on any
# line the formatter would change or any lint warning (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") swift format format --in-place --recursive --parallel Sources Tests Fuzz ;;
  --check)
    out=$(swift format lint --strict --recursive --parallel Sources Tests Fuzz 2>&1) || true
    if [ -n "$out" ]; then
      echo "$out" | head -40 >&2
      echo "format: $(echo "$out" | grep -cE "(error|warning):") places differ from scripts/format.sh's output; run scripts/format.sh" >&2
      exit 1
    fi
    echo "format: every Swift file as scripts/format.sh writes it" ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
