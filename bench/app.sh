#!/usr/bin/env bash
# App core benchmark (docs/BENCHMARKS.md "App core"): a profile whose Inbox holds 50,000 plain messages and one
# 1 MB signed+encrypted message, stored and indexed by the mail store (built once through Store.Add with fsync off,
# kept in $SECUREMAIL_BENCH_DIR or a temporary folder); then, through app.App: list the whole Inbox, open the 1 MB
# message (decrypt + verify), full-text search (index only, and with the encrypted bodies decrypted in memory).
# 5 runs of 10 iterations each; prints the median of the 5 per-run means. There is no peer for this one.
#
# Before/after in one session: SECUREMAIL_BENCH_BASE=<git revision> also benches that revision (extracted with
# `git archive` into a temporary folder; the checkout is not touched), on its own copy of the profile, and the
# runs of the two alternate so that both see the same load on a shared machine. A newer mail store migrates the
# profile's index in place and an older one would then rebuild it, so the base's copy is taken before the
# current code opens the profile: use a fresh SECUREMAIL_BENCH_DIR (or one the base built) with it.
# Example: SECUREMAIL_BENCH_DIR=/tmp/appbench SECUREMAIL_BENCH_BASE=HEAD~3 bash bench/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${SECUREMAIL_BENCH_N:-50000}
RUNS=${RUNS:-5}
BASE=${SECUREMAIL_BENCH_BASE:-}
work=${SECUREMAIL_BENCH_DIR:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$work" ]; then
  work="$tmp"
fi
go test -c -o "$tmp/current.test" ./app
sides=current
if [ -n "$BASE" ]; then
  mkdir -p "$tmp/base-src" "$work/base"
  git archive "$BASE" | tar -x -C "$tmp/base-src"
  (cd "$tmp/base-src" && go test -c -o "$tmp/base.test" ./app)
  if [ ! -e "$work/base/profile-$N/bench-big-id" ]; then
    # Build the profile with the base (the older schema), then give the base its own copy.
    (cd app && SECUREMAIL_BENCH_DIR="$work" SECUREMAIL_BENCH_N="$N" "$tmp/base.test" -test.run '^$' \
      -test.bench 'BenchmarkAppCore/SearchIndexed' -test.benchtime 1x -test.timeout 60m >/dev/null 2>&1)
    rm -rf "$work/base/profile-$N"
    cp -a "$work/profile-$N" "$work/base/"
  fi
  sides="base current"
fi
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/vals"
for run in $(seq "$RUNS"); do
  for side in $sides; do
    dir="$work"
    [ "$side" = base ] && dir="$work/base"
    (cd app && SECUREMAIL_BENCH_DIR="$dir" SECUREMAIL_BENCH_N="$N" "$tmp/$side.test" -test.run '^$' \
      -test.bench BenchmarkAppCore -test.benchtime 10x -test.timeout 60m 2>&1) | grep -v 'mailstore:' |
      tee -a "$tmp/out.txt" | awk -v s="$side" '/^BenchmarkAppCore\// { n=$1; sub(/-[0-9]+$/, "", n); print s, n, $3 }' \
      >>"$tmp/vals"
  done
  echo "run $run done; load average $(cut -d' ' -f1 /proc/loadavg)"
done
cp "$tmp/out.txt" "$work/out.txt"
echo "median of $RUNS runs (ms/op):"
for side in $sides; do
  for name in $(awk -v s="$side" '$1 == s { print $2 }' "$tmp/vals" | sort -u); do
    vals=$(awk -v s="$side" -v n="$name" '$1 == s && $2 == n { print $3 }' "$tmp/vals" | sort -n)
    count=$(echo "$vals" | wc -l)
    median=$(echo "$vals" | sed -n "$(( (count + 1) / 2 ))p")
    awk -v s="$side" -v n="$name" -v m="$median" 'BEGIN { printf "  %-8s %-45s %10.2f\n", s, n, m / 1e6 }'
  done
done
