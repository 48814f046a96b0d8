#!/usr/bin/env bash
# The Python package against the C++ library on lineitem (6M rows, SNAPPY), alternating
# runs: pq.read_table into a parkett Table against parkett-bench's read of the same path
# (`stream --batch-size 0`: FileReader::open + read_table), 1 and 2 threads, each a single
# read in a fresh process (file in the page cache); the read into
# pandas (time, peak RSS); and a Dask read of lineitem written as a 21-partition hive
# dataset (l_returnflag x l_shipmode) on a 2-worker LocalCluster against one process.
# Usage: bench/python-bench.sh BUILD_DIR [DATA_DIR] [ROUNDS]   (BUILD_DIR with PARKETT_PYTHON=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(cd "${1:?build dir}" && pwd)"
data="${2:-/tmp/parkett-bench-data}"
rounds="${3:-5}"
peers="${PEERS:-/tmp/parkett-peers}"
export PYTHONPATH="$build/python"
py=/usr/bin/python3
[ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2
file="$data/lineitem_sf1.snappy.parquet"
[ -f "$file" ] || node "$peers/gen-data.mjs" "$data" --only=lineitem >&2
for t in 1 2; do
  for _ in $(seq "$rounds"); do
    "$build/parkett-bench" stream "$file" --batch-size 0 --threads "$t" | sed 's/^{/{"what":"cpp_read",/'
    $py bench/python_bench.py read "$file" "$t"
  done
done
for t in 1 2; do
  for _ in $(seq 3); do $py bench/python_bench.py pandas "$file" "$t"; done
done
root="$data/lineitem_hive21"
if [ ! -f "$root/_metadata" ]; then
  rm -rf "$root"
  $py -c "
import parkett.parquet as pq
collected = []
pq.write_to_dataset(pq.read_table('$file'), '$root', partition_cols=['l_returnflag', 'l_shipmode'],
                    basename_template='part-{i}.parquet', metadata_collector=collected)
pq.write_metadata(pq.read_schema('$file'), '$root/_metadata', metadata_collector=collected)"
fi
$py bench/python_bench.py dask "$root" 2 3
