#!/usr/bin/env bash
# Parquet on S3 against local disk, with moto_server on 127.0.0.1 as the store: a full read
# and a 1 % filtered read of lineitem (zstd) from S3 and from the local file (time, requests,
# bytes fetched), and a write of lineitem to S3 and to local disk (time, requests, peak
# memory). The reference for what the store itself costs is boto3 downloading and uploading
# the same object. Prints JSON lines and a table.
# Usage: bench/s3-bench.sh BUILD_DIR [DATA_DIR]
# Data: shared/peers/gen-data.mjs (lineitem 6M rows); lineitem_scan.parquet is written from
# it with a page index, 20,000-row pages and bloom filters (as bench/README says).
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(cd "${1:?build dir}" && pwd)"
data="${2:-/tmp/parkett-bench-data}"
peers="${PEERS:-/tmp/parkett-peers}"
[ -f "$data/lineitem_sf1.zstd.parquet" ] || { [ -d "$peers/node_modules/@duckdb" ] || bash ../shared/peers/setup.sh "$peers" >&2; node "$peers/gen-data.mjs" "$data" --only=lineitem >&2; }
if [ ! -f "$data/lineitem_scan.parquet" ]; then
  "$build/parkett" convert "$data/lineitem_sf1.zstd.parquet" "$data/lineitem_scan.parquet" --codec zstd --page-index on \
    --page-rows 20000 --column l_partkey:bloom_filter=on --column l_comment:bloom_filter=on --no-progress >&2
fi

if command -v moto_server >/dev/null 2>&1; then moto=(moto_server) python=python3; else moto=(/usr/bin/python3 -m moto.server) python=/usr/bin/python3; fi
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${moto[@]}" -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1

out=$(mktemp)
{
  # boto3: upload and download of each object (its transfer manager: 8 MiB parts, 10 threads).
  "$python" - "$data" <<'PY'
import json, os, sys, time, boto3
data = sys.argv[1]
s3 = boto3.client("s3")
s3.create_bucket(Bucket="bench")
for name in ["lineitem_sf1.zstd.parquet", "lineitem_scan.parquet"]:
    path = os.path.join(data, name)
    t = time.perf_counter(); s3.upload_file(path, "bench", name); up = time.perf_counter() - t
    t = time.perf_counter(); s3.download_file("bench", name, "/dev/null"); down = time.perf_counter() - t
    size = os.path.getsize(path)
    print(json.dumps({"peer": "boto3", "op": "upload", "file": name, "bytes": size, "seconds": round(up, 3)}))
    print(json.dumps({"peer": "boto3", "op": "download", "file": name, "bytes": size, "seconds": round(down, 3)}))
PY
  where="l_orderkey BETWEEN 1000000 AND 1060000"
  for f in lineitem_sf1.zstd lineitem_scan; do
    for place in "$data/$f.parquet" "s3://bench/$f.parquet"; do
      repeat=5; [[ $place == s3://* ]] && repeat=2
      "$build/parkett-bench" scan "$place" --threads 2 --repeat $repeat |
        sed "s|^{|{\"peer\":\"parkett\",\"op\":\"full read\",\"file\":\"$place\",|"
      "$build/parkett-bench" scan "$place" --where "$where" --threads 2 --repeat $repeat |
        sed "s|^{|{\"peer\":\"parkett\",\"op\":\"1% filter\",\"file\":\"$place\",|"
    done
  done
  # Writes: each run in a process of its own, for its peak memory.
  for place in "$data/lineitem_sf1.zstd.parquet.bench-out" "s3://bench/written.parquet"; do
    "$build/parkett-bench" write "$data/lineitem_sf1.zstd.parquet" --codec zstd --threads 2 --repeat 1 --out "$place" |
      sed "s|^{|{\"peer\":\"parkett\",\"op\":\"write\",\"file\":\"$place\",|"
  done
  rm -f "$data/lineitem_sf1.zstd.parquet.bench-out"
} | tee "$out"
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const mb = (b) => (b / 1e6).toFixed(1);
console.log("\n| op | where | seconds | requests | MB fetched / sent | peak RSS MB |\n|---|---|---|---|---|---|");
for (const r of rows) {
  const s = r.seconds_median ?? r.seconds;
  const moved = r.op === "write" ? r.bytes_sent : r.file.startsWith("s3://") ? r.bytes_fetched : r.bytes_read ?? r.bytes;
  console.log(`| ${r.peer} ${r.op} | ${r.file} | ${s.toFixed(3)} | ${r.requests ?? ""} | ${mb(moved ?? 0)} | ${r.peak_rss_mb ?? ""} |`);
}' "$out"
rm -f "$out"
