#!/usr/bin/env bash
# `make bench`: every Kent benchmark, one after the other, each against its peer or its limit in
# the same run (ratios). Each uses a database of its own; figures go to stdout and bench/results/.
# BENCH=name runs one (matching, numbering, smartcity_ingest, ogc_items, tiles_bench, scale).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
PY=.venv/bin/python
benches=(matching numbering smartcity_ingest ogc_items tiles_bench scale)
[ -n "${BENCH:-}" ] && benches=("$BENCH")
status=0
for b in "${benches[@]}"; do
  echo "=== bench/$b.py"
  $PY "bench/$b.py" 2>&1 | tee "bench/results/$b.txt" || status=1
done
exit $status
