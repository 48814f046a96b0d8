#!/usr/bin/env bash
# Wide schemas: times and peak memory of `parkett cat` and `parkett meta --json` on one-row
# files of 10,000, 100,000 and (with --huge) 1,000,001 columns, written by `parkett convert`
# from CSV. Usage: bench/wide-bench.sh BUILD_DIR [--huge]
set -euo pipefail
build="$(cd "${1:?usage: wide-bench.sh BUILD_DIR [--huge]}" && pwd)"
sizes=(10000 100000)
if [ "${2:-}" = "--huge" ]; then sizes+=(1000001); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '| columns | command | seconds | peak RSS (MB) |\n|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  python3 - "$n" > "$work/w.csv" <<'PY'
import sys
n = int(sys.argv[1])
print(','.join(f'c{i}' for i in range(n)))
print(','.join(str(i % 1000) for i in range(n)))
PY
  "$build/parkett" convert "$work/w.csv" "$work/w.parquet"
  for cmd in "cat" "meta --json"; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$build/parkett" $cmd "$work/w.parquet" > /dev/null
    read -r secs kb < "$work/time"
    printf '| %s | %s | %s | %d |\n' "$n" "$cmd" "$secs" "$((kb / 1024))"
  done
done
