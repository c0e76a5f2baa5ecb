#!/usr/bin/env bash
# The Windows tests alone, in full (`make windows-test`): every package's unit
# tests cross-compiled for Windows and run under Wine, and the end-to-end run
# of securemail.exe (see tests/wine). `make test` runs a shorter form as
# part of `go test ./...` (the packages where Windows differs, and the
# end-to-end run). Ends with a line "N passed, N failed, N skipped".
# SECUREMAIL_WINE_PACKAGES="./mailstore ./smime/..." narrows the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# The summary goes to a file of this run only (two runs at once, or another
# user's file of the same name, must not mix or block).
log=$(mktemp "${TMPDIR:-/tmp}/securemail-windows-test.XXXXXX")
trap 'rm -f "$log"' EXIT
go build -o bin/testsummary ./tests/testsummary
set +e
SECUREMAIL_WINE_FULL=1 go test -json -count=1 -timeout 60m ./tests/wine/ | bin/testsummary > "$log"
status=("${PIPESTATUS[@]}")
set -e
head -n -1 "$log"
echo "windows-test: all done in $(( $(date +%s) - start )) s"
tail -n 1 "$log"
[ "${status[0]}" = 0 ] && [ "${status[1]}" = 0 ]
