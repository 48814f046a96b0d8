#!/usr/bin/env bash
# Full reads, parkett against DuckDB, polars and parquet-wasm, in one run; prints JSON lines
# and a table of ratios. Usage: bench/read-bench.sh BUILD_DIR [DATA_DIR]
# Data: shared/peers/gen-data.mjs (lineitem 6M rows snappy/zstd, 5M URL strings, 1M nested).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?build dir}"
data="${2:-/tmp/parkett-bench-data}"
peers="${PEERS:-/tmp/parkett-peers}"
[ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2
[ -f "$data/lineitem_sf1.zstd.parquet" ] || node "$peers/gen-data.mjs" "$data" --only=lineitem,nested,strings >&2
out=$(mktemp)
for f in lineitem_sf1.snappy lineitem_sf1.zstd strings_5m.snappy nested_1m.snappy; do
  for t in 1 2; do
    "$build/parkett-bench" read "$data/$f.parquet" --repeat 5 --threads "$t" |
      sed "s/^{/{\"peer\":\"parkett\",\"file\":\"$f.parquet\",/"
  done
  node "$peers/bench.mjs" --ops=read --threads=1,2 --runs=5 --peers=duckdb,polars,parquet-wasm "$data/$f.parquet"
done | tee "$out"
node bench/read-table.mjs "$out"
rm -f "$out"
