#!/usr/bin/env bash
# What `make test` runs: lint, every test (the tests start Dovecot, Postfix,
# gnome-keyring, Xvfb, OpenSSL, gpgsm and friends themselves), then a short
# fuzz pass. Ends with a line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
start=$(date +%s)
bash scripts/lint.sh
bash scripts/fuzz.sh 5s
echo "test: go test ./... (peers start and stop inside the tests)"
go build -o bin/testsummary ./tests/testsummary
set +e
go test -json -count=1 -timeout 20m ./... | bin/testsummary > /tmp/securemail-test.log
status=("${PIPESTATUS[@]}")
set -e
cat /tmp/securemail-test.log | head -n -1
echo "test: all done in $(( $(date +%s) - start )) s"
# The closing line, last: "N passed, N failed, N skipped".
tail -n 1 /tmp/securemail-test.log
[ "${status[0]}" = 0 ] && [ "${status[1]}" = 0 ]
