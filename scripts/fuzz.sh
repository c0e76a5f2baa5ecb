#!/usr/bin/env bash
# Runs every fuzz target (func FuzzXxx) for the given time each, e.g. 5s or 10m.
# The seed corpora under testdata/fuzz are kept in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-60s}"
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "fuzz: $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 1s "$pkg" >/tmp/securemail-fuzz.log 2>&1 || {
      cat /tmp/securemail-fuzz.log; echo "fuzz: $target found a failure (input saved under testdata/fuzz)"; exit 1; }
  done
done
