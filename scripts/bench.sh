#!/usr/bin/env bash
# Runs every benchmark script under bench/ (each times our code and its peer in the same run).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/*.sh; do
  [ -e "$b" ] || continue
  echo "bench: $b"; bash "$b"
done
