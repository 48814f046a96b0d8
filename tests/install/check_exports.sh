#!/usr/bin/env bash
# The shared library exports the public API and nothing else: every exported symbol that
# names parkett:: must name something the public headers declare, never an internal
# namespace (util, format, column, ...) or a private implementation type.
# Usage: check_exports.sh LIBPARKETT.so INCLUDE_DIR
set -euo pipefail
lib="$1"
include="$2"
internal='util|table|thrift|format|schema|codec|encoding|variant|io|page|column|nested|file|convert|detail|cli|test'
bad=0
count=0
while IFS= read -r symbol; do
  count=$((count + 1))
  # The first name under parkett:: (a class, function or namespace).
  first=$(grep -oE 'parkett::[A-Za-z_][A-Za-z0-9_]*' <<<"$symbol" | head -1 | cut -d: -f3)
  if grep -qE "^($internal)$" <<<"$first"; then
    echo "exported from an internal namespace: $symbol"; bad=1; continue
  fi
  if ! grep -qwr -- "$first" "$include/parkett"; then
    echo "exported but not in the public headers: $symbol"; bad=1; continue
  fi
  # Private types may appear as parameters of a private constructor, not as what is named.
  if grep -qE 'parkett::([A-Za-z_]+::)*(State|[A-Za-z]*Impl)\b' <<<"${symbol%%(*}" ||
     grep -qE '\(anonymous namespace\)|\{lambda' <<<"$symbol"; then
    echo "exported private implementation: $symbol"; bad=1
  fi
done < <(nm -D --defined-only -C "$lib" | sed -E 's/^[0-9a-f]+ [A-Za-z] //' | grep 'parkett::')
if [ "$count" -lt 50 ]; then
  echo "only $count parkett:: symbols exported: the public API is missing"; bad=1
fi
if [ "$bad" -ne 0 ]; then exit 1; fi
echo "$count exported parkett:: symbols, all public"
