#!/usr/bin/env bash
# gofmt, go vet and staticcheck; fails on the first complaint.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
"$(go env GOPATH)/bin/staticcheck" ./...
