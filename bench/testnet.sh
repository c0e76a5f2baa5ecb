#!/usr/bin/env bash
# Messages per second from SMTP submission to mailbox: the bundled TESTA network
# (submission -> b-server queue -> relay queue -> f-server mailbox, all durable,
# STARTTLS on every hop) and, on one server, B to B; against Postfix with the
# seed's queue settings (submission with STARTTLS -> queue -> virtual Maildir),
# interleaved in the same run. Needs Postfix (scripts/install-deps.sh) and root.
# Usage: bash bench/testnet.sh [MESSAGES] [ROUNDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"; rounds="${2:-3}"; workers="${3:-4}"
go test -count=1 -run '^TestThroughputAgainstPostfix$' -v ./testnet/ -args \
  -testnetbench -testnetbench.n "$n" -testnetbench.rounds "$rounds" -testnetbench.workers "$workers" \
  | grep -E '^(postfix settings|testnet-bench|round|median|hops)|FAIL|SKIP|_test.go:'
