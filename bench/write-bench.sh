#!/usr/bin/env bash
# Writes of a lineitem-shaped table (6M rows, 16 columns), parkett against DuckDB and
# polars, in one run: SNAPPY (everyone's default) and ZSTD (level 3 for parkett and
# DuckDB, polars' own default level), 1 and 2 threads; prints JSON lines and a table of
# ratios and file sizes. Each peer holds the table in memory and writes it to a file.
# Usage: bench/write-bench.sh BUILD_DIR [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?build dir}"
data="${2:-/tmp/parkett-bench-data}"
peers="${PEERS:-/tmp/parkett-peers}"
[ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2
[ -f "$data/lineitem_sf1.snappy.parquet" ] || node "$peers/gen-data.mjs" "$data" --only=lineitem >&2
out=$(mktemp)
f=lineitem_sf1.snappy
{
  for codec in snappy zstd; do
    for t in 1 2; do
      "$build/parkett-bench" write "$data/$f.parquet" --codec "$codec" --repeat 3 --threads "$t" |
        sed "s/^{/{\"peer\":\"parkett\",\"op\":\"write-$codec\",\"file\":\"$f.parquet\",/"
    done
  done
  node "$peers/bench.mjs" --ops=write --threads=1,2 --runs=3 --peers=duckdb,polars "$data/$f.parquet"
} | tee "$out"
node bench/write-table.mjs "$out"
rm -f "$out"
