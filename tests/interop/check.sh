#!/usr/bin/env bash
# Interop: files written by DuckDB, polars and parquet-wasm (gen-files.mjs) are read by
# parkett and compared row by row with DuckDB's reading of the same file (shared/peers
# compare.mjs: canonical dumps, polars' ns timestamps normalised); then parkett rewrites
# them and every peer reads what parkett wrote (check-writes.mjs); parkett's filters count
# the rows DuckDB's WHERE counts (check-filters.mjs), data indexes it writes hold the rows
# DuckDB finds (check-data-indexes.mjs), and the filter property test of the
# conformance suite (every pruning switch, read_table and batches) runs over these files;
# partitioned datasets DuckDB writes are read by both (check-datasets.mjs); encrypted files
# cross both ways (check-encryption.mjs).
# Usage: tests/interop/check.sh PARKETT_BIN WORK_DIR PEERS_DIR [CONFORMANCE_TESTS_BIN]
# Installs the peers into PEERS_DIR on first use (npm registry).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
parkett="$1"
work="$2"
peers="$3"
conformance="${4:-}"
peers_src="$here/../../../shared/peers"
mkdir -p "$work"
if [ ! -d "$peers/node_modules/@duckdb" ] || [ ! -d "$peers/node_modules/nodejs-polars" ]; then
  bash "$peers_src/setup.sh" "$peers" > "$work/peers-setup.log" 2>&1 || {
    cat "$work/peers-setup.log"; exit 1; }
fi
rm -rf "$work/files"
node "$here/gen-files.mjs" "$peers" "$work/files" > "$work/files.txt"
mapfile -t files < "$work/files.txt"
[ "${#files[@]}" -gt 0 ] || { echo "no interop files were written"; exit 1; }
passed=0
failed=0
# compare NAME DUCKDB_DUMP OUR_DUMP: counts the verdict of shared/peers compare.mjs.
compare() {
  local verdict
  if verdict=$(node --input-type=module -e "
      import { compareDumps } from '$peers/compare.mjs';
      const c = compareDumps('$2', '$3');
      console.log(c.equal ? 'agrees' : c.first); process.exit(c.equal ? 0 : 1);"); then
    passed=$((passed + 1))
  else
    echo "FAIL $1: $verdict"
    failed=$((failed + 1))
  fi
}
for f in "${files[@]}"; do
  name=$(basename "$f")
  if ! "$parkett" cat "$f" > "$f.ours.jsonl" 2> "$f.err"; then
    echo "FAIL $name: parkett could not read it: $(head -c 300 "$f.err")"
    failed=$((failed + 1))
    continue
  fi
  node "$peers/dump.mjs" "$f" > "$f.duckdb.jsonl"
  compare "$name" "$f.duckdb.jsonl" "$f.ours.jsonl"
done

# Shredded VARIANT (parquet-testing shredded_variant): parkett's rendering of each case
# against DuckDB's, except where DuckDB is known to read differently (said, not skipped).
declare -A duckdb_differs=(
  [case-033.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-034.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-077.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-078.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-119.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-120.parquet]="DuckDB has no nanosecond TIMESTAMP WITH TIME ZONE: truncates to µs"
  [case-043-INVALID.parquet]="invalid file: DuckDB keeps a residual field that has a shredded column; parkett drops it as the corpus's expected bytes do"
  [case-041.parquet]="DuckDB cannot read a shredded variant without a value column"
  [case-088.parquet]="DuckDB cannot read a shredded variant without a value column"
  [case-131.parquet]="DuckDB cannot read a shredded variant without a value column"
  [case-132.parquet]="DuckDB cannot read a shredded variant without a value column"
  [case-138.parquet]="DuckDB cannot read a shredded variant without a value column"
)
variant_dir="$here/../../../shared/parquet-testing/shredded_variant"
mkdir -p "$work/variant"
for f in "$variant_dir"/*.parquet; do
  name=$(basename "$f")
  out="$work/variant/$name"
  if ! "$parkett" cat "$f" > "$out.ours.jsonl" 2> "$out.err"; then
    # The conformance test checks that exactly the corpus's error cases fail.
    echo "parkett refuses $name (invalid shredding): $(head -c 200 "$out.err")"
    continue
  fi
  if [ -n "${duckdb_differs[$name]:-}" ]; then
    echo "not compared $name: ${duckdb_differs[$name]}"
    continue
  fi
  if ! node "$peers/dump.mjs" "$f" > "$out.duckdb.jsonl" 2> "$out.duckdb.err"; then
    echo "FAIL $name: DuckDB could not read it: $(head -c 200 "$out.duckdb.err")"
    failed=$((failed + 1))
    continue
  fi
  compare "$name" "$out.duckdb.jsonl" "$out.ours.jsonl"
done
echo "interop (reading): $passed passed, $failed failed"

# Writing: parkett rewrites the peers' files with every writer configuration and each peer
# reads the result (check-writes.mjs says what is compared and what is known not to work).
write_status=0
node "$here/check-writes.mjs" "$parkett" "$peers" "$work/written" "$work/files" || write_status=1
# Metadata parkett writes (statistics, bloom filters, distinct counts) against DuckDB's use of it.
node "$here/check-metadata.mjs" "$parkett" "$peers" "$work/metadata" "$work/files" || write_status=1
# Deephaven data indexes parkett writes, read by DuckDB and decoded here, and used by parkett's scans.
node "$here/check-data-indexes.mjs" "$parkett" "$peers" "$work/data-indexes" "$work/files" || write_status=1
# Encrypted files: DuckDB's read by parkett, parkett's read by DuckDB (and its departures).
node "$here/check-encryption.mjs" "$parkett" "$peers" "$work/encryption" "$here/../../../shared/parquet-testing/data" || write_status=1
# Filters: parkett's --where against DuckDB's WHERE on the same files.
node "$here/check-filters.mjs" "$parkett" "$peers" "${files[@]}" || write_status=1
# Datasets DuckDB writes (hive partitions, escaping, nulls, schemas that evolve), read by both.
node "$here/check-datasets.mjs" "$parkett" "$peers" "$work/datasets" || write_status=1
if [ -n "$conformance" ]; then
  PARKETT_PEER_FILES="$(IFS=:; echo "${files[*]}")" "$conformance" \
    --gtest_filter='FilterPeerFiles.*' --gtest_brief=1 || write_status=1
fi
[ "$failed" -eq 0 ] && [ "$write_status" -eq 0 ]
