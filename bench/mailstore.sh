#!/usr/bin/env bash
# Mail store benchmark: a 50,000-message Inbox (~5 KB each, built once through Store.Add with fsync off),
# then list / search / open, 5 runs of 20 iterations each; prints the median of the 5 per-run means.
# There is no peer for this one. MAILSTORE_BENCH_N overrides the message count; MAILSTORE_BENCH_DIR=D keeps the
# built store between runs (a store built by an older mail store is migrated in place by a newer one).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
MAILSTORE_BENCH_DIR="${MAILSTORE_BENCH_DIR:-$work}" go test -run '^$' -bench BenchmarkMailStore -benchtime 20x -count 5 -timeout 60m \
  ./mailstore | tee "$work/out.txt"
echo "median of 5 runs (ms/op):"
awk '/^BenchmarkMailStore\// { name=$1; sub(/-[0-9]+$/, "", name); print name, $3 }' "$work/out.txt" >"$work/vals"
for name in $(cut -d' ' -f1 "$work/vals" | sort -u); do
  vals=$(awk -v n="$name" '$1 == n { print $2 }' "$work/vals" | sort -n)
  count=$(echo "$vals" | wc -l)
  median=$(echo "$vals" | sed -n "$(( (count + 1) / 2 ))p")
  awk -v n="$name" -v m="$median" 'BEGIN { printf "  %-45s %10.2f\n", n, m / 1e6 }'
done
