#!/usr/bin/env bash
# App core benchmark (docs/BENCHMARKS.md "App core"): a profile whose Inbox holds 50,000 plain messages and one
# 1 MB signed+encrypted message, stored and indexed by the mail store (built once through Store.Add with fsync off,
# kept in $SECUREMAIL_BENCH_DIR or a temporary folder); then, through app.App: list the whole Inbox, open the 1 MB
# message (decrypt + verify), full-text search (index only, and with the encrypted bodies decrypted in memory).
# 5 runs of 10 iterations each; prints the median of the 5 per-run means. There is no peer for this one.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${SECUREMAIL_BENCH_N:-50000}
work=${SECUREMAIL_BENCH_DIR:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
SECUREMAIL_BENCH_DIR="$work" SECUREMAIL_BENCH_N="$N" go test -run '^$' -bench BenchmarkAppCore -benchtime 10x -count 5 \
  -timeout 60m ./app 2>&1 | grep -v 'mailstore:' | tee "$work/out.txt"
echo "median of 5 runs (ms/op):"
awk '/^BenchmarkAppCore\// { name=$1; sub(/-[0-9]+$/, "", name); print name, $3 }' "$work/out.txt" >"$work/vals"
for name in $(cut -d' ' -f1 "$work/vals" | sort -u); do
  vals=$(awk -v n="$name" '$1 == n { print $2 }' "$work/vals" | sort -n)
  count=$(echo "$vals" | wc -l)
  median=$(echo "$vals" | sed -n "$(( (count + 1) / 2 ))p")
  awk -v n="$name" -v m="$median" 'BEGIN { printf "  %-45s %10.2f\n", n, m / 1e6 }'
done
