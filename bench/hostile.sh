#!/usr/bin/env bash
# Hostile-input benchmark (issue 12, point 7; docs/BENCHMARKS.md "Hostile messages"): the messages of
# bench/hostile (20 million empty MIME parts, 20,000 certificates, a million levels of nesting, a 100 MB header,
# and an honest 100 MB control), each correctly signed, judged by `securemail smime open` (securemail-cli,
# cmd/securemail-cli) and by `openssl cms -verify` as whole processes, on the same files in the same run, alternating so that
# both see the same load. Prints per shape the median of RUNS runs (default 5) of the wall time, of the CPU time
# (user+sys: what a loaded machine does not inflate) and of the peak resident memory (/usr/bin/time), the ratios
# us/OpenSSL, and each side's exit status (what it decided).
# A run is cut at 60 s (timeout) and reported as such.
# Usage: bash bench/hostile.sh   (RUNS=3 bash bench/hostile.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
command -v openssl >/dev/null || { echo "bench: openssl is missing (Debian package openssl)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package time)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/securemail" ./cmd/securemail-cli
go run ./bench/hostile "$tmp"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# measure SIDE FILE: appends "side file seconds kb status cpu-seconds" to $tmp/vals.
measure() {
  local side=$1 f=$2 status=0
  if [ "$side" = us ]; then
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/t" timeout 60 "$tmp/securemail" smime open --trust "$tmp/root.pem" \
      <"$tmp/$f" >/dev/null 2>"$tmp/err" || status=$?
  else
    /usr/bin/time -f "%e %M %U %S" -o "$tmp/t" timeout 60 openssl cms -verify -in "$tmp/$f" -CAfile "$tmp/root.pem" \
      -out /dev/null >/dev/null 2>"$tmp/err" || status=$?
  fi
  read -r wall kb user sys < <(tail -1 "$tmp/t")
  echo "$side $f $wall $kb $status $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$tmp/vals"
}
: >"$tmp/vals"
files="parts.eml certs.eml nesting.eml header.eml control.eml"
for run in $(seq "$RUNS"); do
  for f in $files; do
    measure us "$f"
    measure openssl "$f"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
echo "| message | size | securemail s | openssl s | ratio | securemail CPU s | openssl CPU s | CPU ratio | securemail MB | openssl MB | securemail exit | openssl exit |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in $files; do
  size=$(( $(stat -c %s "$tmp/$f") / 1048576 ))
  us_s=$(awk -v f="$f" '$1 == "us" && $2 == f { print $3 }' "$tmp/vals" | median)
  os_s=$(awk -v f="$f" '$1 == "openssl" && $2 == f { print $3 }' "$tmp/vals" | median)
  us_m=$(awk -v f="$f" '$1 == "us" && $2 == f { print $4 / 1024 }' "$tmp/vals" | median)
  os_m=$(awk -v f="$f" '$1 == "openssl" && $2 == f { print $4 / 1024 }' "$tmp/vals" | median)
  us_c=$(awk -v f="$f" '$1 == "us" && $2 == f { print $6 }' "$tmp/vals" | median)
  os_c=$(awk -v f="$f" '$1 == "openssl" && $2 == f { print $6 }' "$tmp/vals" | median)
  us_x=$(awk -v f="$f" '$1 == "us" && $2 == f { print $5 }' "$tmp/vals" | sort -u | paste -sd/)
  os_x=$(awk -v f="$f" '$1 == "openssl" && $2 == f { print $5 }' "$tmp/vals" | sort -u | paste -sd/)
  awk -v f="$f" -v sz="$size" -v a="$us_s" -v b="$os_s" -v c="$us_m" -v d="$os_m" -v e="$us_x" -v g="$os_x" \
    -v h="$us_c" -v i="$os_c" 'BEGIN {
    r = (b > 0) ? sprintf("%.2f", a / b) : "-"
    rc = (i > 0) ? sprintf("%.2f", h / i) : "-"
    printf "| %s | %d MB | %.2f | %.2f | %s | %.2f | %.2f | %s | %.0f | %.0f | %s | %s |\n", f, sz, a, b, r, h, i, rc, c, d, e, g }'
done
