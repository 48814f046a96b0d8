#!/usr/bin/env bash
# Footer decoding, parkett against the peers, in one run. Prints JSON lines and a table.
# Usage: bench/footer-bench.sh BUILD_DIR [DATA_DIR]
# Needs the peers (shared/peers/setup.sh installs them into $PEERS, default /tmp/parkett-peers).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?build dir}"
data="${2:-/tmp/parkett-bench-data}"
peers="${PEERS:-/tmp/parkett-peers}"
mkdir -p "$data"
[ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2
[ -f "$data/wide_10000c_1rg.parquet" ] || node bench/gen-wide.mjs "$peers" "$data"
out=$(mktemp)
for f in wide_1000c_10rg wide_10000c_1rg; do
  n=${f#wide_}; n=${n%%c_*}
  last3="c$((n - 3)),c$((n - 2)),c$((n - 1))"
  "$build/parkett-bench" footer "$data/$f.parquet" --repeat 30 | sed "s/^{/{\"file\":\"$f\",/"
  "$build/parkett-bench" footer "$data/$f.parquet" --repeat 30 --columns c1,c2,c3 | sed "s/^{/{\"file\":\"$f\",/"
  "$build/parkett-bench" footer "$data/$f.parquet" --repeat 30 --columns "$last3" | sed "s/^{/{\"file\":\"$f\",\"last\":true,/"
  node "$peers/bench.mjs" --ops=meta --threads=1 --runs=10 "$data/$f.parquet"
done | tee "$out"
node bench/footer-table.mjs "$out"
rm -f "$out"
