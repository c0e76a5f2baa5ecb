#!/usr/bin/env bash
# What `make test` runs: lint, every test (the tests start Dovecot, Postfix,
# OpenSSL, gpgsm and friends themselves), then a short fuzz pass.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
start=$(date +%s)
bash scripts/lint.sh
echo "test: go test ./..."
go test -count=1 -timeout 20m ./... 2>&1 | tee /tmp/securemail-test.log
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || exit "$rc"
bash scripts/fuzz.sh 5s
echo "test: all done in $(( $(date +%s) - start )) s"
