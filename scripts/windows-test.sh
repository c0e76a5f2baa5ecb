#!/usr/bin/env bash
# The Windows tests alone (`make windows-test`): every package's unit tests
# cross-compiled for Windows and run under Wine, and the end-to-end run of
# bin/securemail.exe (see internal/wine). `make test` runs them too, as part
# of `go test ./...`. Ends with a line "N passed, N failed, N skipped".
# SECUREMAIL_WINE_PACKAGES="./mailstore ./smime/..." narrows the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
go build -o bin/testsummary ./internal/testsummary
set +e
go test -json -count=1 -timeout 40m ./internal/wine/ | bin/testsummary > /tmp/securemail-windows-test.log
status=("${PIPESTATUS[@]}")
set -e
head -n -1 /tmp/securemail-windows-test.log
echo "windows-test: all done in $(( $(date +%s) - start )) s"
tail -n 1 /tmp/securemail-windows-test.log
[ "${status[0]}" = 0 ] && [ "${status[1]}" = 0 ]
