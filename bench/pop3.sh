#!/usr/bin/env bash
# POP3 fetch benchmark: starts its own Dovecot (through the Go test harness in
# bench/pop3), fills one mailbox with 2,000 x 20 KB and another with 20 x 5 MB,
# then fetches each over STLS (kept on the server) with our pop3client,
# fetchmail (--bsmtp /dev/null --keep) and Python's poplib, interleaved in the
# same run, and prints the medians as a Markdown table. Dovecot is stopped by
# PID when the run ends. Usage: bash bench/pop3.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
table="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$table" "$log"' EXIT
go test -count=1 -timeout 30m ./bench/pop3 -run '^TestPOP3Fetch$' -v \
  -pop3bench -pop3bench.runs "$runs" -pop3bench.out "$table" >"$log" 2>&1 || {
  cat "$log"; echo "bench/pop3.sh: the benchmark failed"; exit 1; }
echo "POP3 fetch over STLS from Dovecot, median of $runs runs ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)):"
cat "$table"
