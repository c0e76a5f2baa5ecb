#!/usr/bin/env bash
# What `make test` runs: lint, every test (the tests start Dovecot, Postfix,
# gnome-keyring, Xvfb, OpenSSL, gpgsm and friends themselves), then a short
# fuzz pass. Ends with a line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
start=$(date +%s)
# The summary goes to a file of this run only (two runs at once, or another
# user's file of the same name, must not mix or block).
log=$(mktemp "${TMPDIR:-/tmp}/securemail-test.XXXXXX")
trap 'rm -f "$log"' EXIT
bash scripts/lint.sh
bash scripts/fuzz.sh 5s
echo "test: go test ./... (peers start and stop inside the tests)"
go build -o bin/testsummary ./tests/testsummary
set +e
go test -json -count=1 -timeout 20m ./... | bin/testsummary > "$log"
status=("${PIPESTATUS[@]}")
set -e
head -n -1 "$log"
echo "test: all done in $(( $(date +%s) - start )) s"
# The closing line, last: "N passed, N failed, N skipped".
tail -n 1 "$log"
[ "${status[0]}" = 0 ] && [ "${status[1]}" = 0 ]
