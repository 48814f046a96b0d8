#!/usr/bin/env bash
# The cost of encryption: lineitem (6M rows, 16 columns, SNAPPY) read and written at 1
# thread in the clear, uniformly encrypted with AES_GCM_V1, and with AES_GCM_CTR_V1. The
# three files are parkett's rewrites of the same table with the same options, so they differ
# only in encryption. Runs alternate between the three (machine speed drifts); prints JSON
# lines and, per operation, the median over rounds of encrypted / plaintext time.
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
    "$build/parkett-bench" read "$file" --threads 1 --repeat 3 "${args[@]}" |
      sed "s/^{/{\"op\":\"read\",\"encryption\":\"$mode\",\"round\":$round,/"
    args=()
    [ "$mode" = none ] || args=(--encrypt "$mode")
    "$build/parkett-bench" write "$plain" --threads 1 --repeat 3 "${args[@]}" |
      sed "s/^{/{\"op\":\"write\",\"encryption\":\"$mode\",\"round\":$round,/"
  done
done | tee "$out"
node -e '
// Machine speed drifts between rounds: the encrypted time of each round is divided by the
// plaintext time of the same round, and the median of those ratios is reported.
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const op of ["read", "write"]) {
  for (const mode of ["gcm", "gcm-ctr"]) {
    const ratios = [], times = [], bases = [];
    for (const l of lines.filter(l => l.op === op && l.encryption === mode)) {
      const base = lines.find(b => b.op === op && b.encryption === "none" && b.round === l.round);
      ratios.push(l.seconds_median / base.seconds_median);
      times.push(l.seconds_median);
      bases.push(base.seconds_median);
    }
    const r = ratios.map(x => ((x - 1) * 100).toFixed(0)).join(" ");
    console.log(`${op} ${mode}: ${median(times).toFixed(3)} s vs ${median(bases).toFixed(3)} s plaintext (medians); ` +
                `overhead per round: ${r} %; median ${((median(ratios) - 1) * 100).toFixed(1)} %`);
  }
}' "$out"
rm -f "$out"
