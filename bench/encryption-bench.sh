#!/usr/bin/env bash
# The cost of encryption: lineitem (6M rows, 16 columns, SNAPPY) read and written at 1
# thread in the clear, uniformly encrypted with AES_GCM_V1, and with AES_GCM_CTR_V1. The
# three files are parkett's rewrites of the same table with the same options, so they differ
# only in encryption. Runs alternate between the three (machine speed drifts); prints JSON
# lines and the median ratios to plaintext.
# Usage: bench/encryption-bench.sh BUILD_DIR [DATA_DIR] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?build dir}"
data="${2:-/tmp/parkett-bench-data}"
rounds="${3:-3}"
peers="${PEERS:-/tmp/parkett-peers}"
key=0123456789012345
if [ ! -f "$data/lineitem_sf1.snappy.parquet" ]; then
  [ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2
  node "$peers/gen-data.mjs" "$data" --only=lineitem >&2
fi
src="$data/lineitem_sf1.snappy.parquet"
plain="$data/lineitem_enc_none.parquet"
[ -f "$plain" ] || "$build/parkett" convert --no-progress "$src" "$plain"
[ -f "$data/lineitem_enc_gcm.parquet" ] ||
  "$build/parkett" convert --no-progress "$src" "$data/lineitem_enc_gcm.parquet" --encrypt-footer-key "b=$key"
[ -f "$data/lineitem_enc_gcm-ctr.parquet" ] ||
  "$build/parkett" convert --no-progress "$src" "$data/lineitem_enc_gcm-ctr.parquet" --encrypt-footer-key "b=$key" \
    --encryption-algorithm gcm-ctr
out=$(mktemp)
for round in $(seq "$rounds"); do
  for mode in none gcm gcm-ctr; do
    file="$data/lineitem_enc_$mode.parquet"
    args=()
    [ "$mode" = none ] || args=(--key "$key")
    "$build/parkett-bench" read "$file" --threads 1 --repeat 5 "${args[@]}" |
      sed "s/^{/{\"op\":\"read\",\"encryption\":\"$mode\",\"round\":$round,/"
    args=()
    [ "$mode" = none ] || args=(--encrypt "$mode")
    "$build/parkett-bench" write "$plain" --threads 1 --repeat 3 "${args[@]}" |
      sed "s/^{/{\"op\":\"write\",\"encryption\":\"$mode\",\"round\":$round,/"
  done
done | tee "$out"
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const op of ["read", "write"]) {
  const base = median(lines.filter(l => l.op === op && l.encryption === "none").map(l => l.seconds_median));
  for (const mode of ["gcm", "gcm-ctr"]) {
    const s = median(lines.filter(l => l.op === op && l.encryption === mode).map(l => l.seconds_median));
    console.log(`${op} ${mode}: ${s.toFixed(3)} s vs ${base.toFixed(3)} s plaintext: ${((s / base - 1) * 100).toFixed(1)} % overhead`);
  }
}' "$out"
rm -f "$out"
