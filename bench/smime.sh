#!/usr/bin/env bash
# S/MIME benchmark (issue 2): securemail against openssl cms, both as whole
# processes, on the same input in the same run.
#   sign+encrypt: securemail smime sign | securemail smime encrypt
#                 openssl cms -sign      | openssl cms -encrypt -aes256
#   open:         securemail smime open  (decrypt + verify)
#                 openssl cms -decrypt   | openssl cms -verify
# Both sides open the same message (the one securemail made). Prints, per
# size in MB (default "1 25"), the median of RUNS runs (default 9) of the
# wall time and of the CPU time (user+sys of every process of the
# pipeline), the ratio us/OpenSSL of each, and the peak resident memory
# (/usr/bin/time -v) of the largest process as a multiple of the message
# size, each process measured inside the pipeline it is timed in (so the
# encrypt step reads a pipe, not a file). Our runs and OpenSSL's alternate,
# so that both see the same load on a shared machine (which is also why
# this does not use hyperfine, which runs each command's runs together).
# Usage: bash bench/smime.sh   (RUNS=9 SIZES="1 25 50")
#        SECUREMAIL=/tmp/old-securemail bash bench/smime.sh   (bench another build)
# It benches the command-line program (cmd/securemail-cli): what a script or a
# server runs. bench/cli.sh compares it with the window binary, which links
# Fyne's libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/smime.sh
SIZES="${SIZES:-1 25}"
if [ -n "${SECUREMAIL:-}" ]; then
  SM="$(cd "$(dirname "$SECUREMAIL")" && pwd)/$(basename "$SECUREMAIL")"
else
  go build -o bin/securemail-cli ./cmd/securemail-cli
  SM="$PWD/bin/securemail-cli"
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"

smime_ids

# pair: run two shell commands RUNS times, alternating them so that both
# see the same load, and print four medians in ms: wall time of the first,
# of the second, CPU time (user+sys of bash and every process it waited
# for) of the first, of the second
pair() {
  rm -f w1 w2 c1 c2
  for _ in $(seq "$RUNS"); do
    for k in 1 2; do
      if [ $k = 1 ]; then cmd=$1; else cmd=$2; fi
      s=$(date +%s%N); /usr/bin/time -f '%U %S' -o cpu.txt bash -c "$cmd" >/dev/null; e=$(date +%s%N)
      echo $(( (e - s) / 1000000 )) >> w$k
      awk '{printf "%d\n", ($1 + $2) * 1000}' cpu.txt >> c$k
    done
  done
  echo "$(median < w1) $(median < w2) $(median < c1) $(median < c2)"
}
# peaks: run a pipeline whose processes are prefixed with "$T1 " and
# "$T2 " (the second may be absent) and print the larger peak resident
# set of the two, in KB
peaks() {
  rm -f p1.txt p2.txt
  T1="/usr/bin/time -f %M -o p1.txt" T2="/usr/bin/time -f %M -o p2.txt" bash -c "$1" >/dev/null 2>&1 || true
  a=$(cat p1.txt 2>/dev/null | tail -1); b=$(cat p2.txt 2>/dev/null | tail -1)
  echo $(( ${a:-0} > ${b:-0} ? ${a:-0} : ${b:-0} ))
}

printf '| size | step | securemail (ms) | openssl (ms) | ratio | securemail CPU (ms) | openssl CPU (ms) | CPU ratio | our peak RSS | peak / size | openssl peak / size |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for mb in $SIZES; do
  smime_message "$mb" > msg.eml
  size=$(stat -c %s msg.eml)
  SIGN="$SM smime sign --pfx me.pfx --password-file pw.txt"
  ENC="$SM smime encrypt --to me.pem --cipher aes256-cbc"
  OPEN="$SM smime open --pfx me.pfx --password-file pw.txt --trust root.pem"
  OSIGN="openssl cms -sign -signer me.pem -inkey me.key -certfile ec.pem"
  OENC="openssl cms -encrypt -aes256 me.pem"
  ODEC="openssl cms -decrypt -recip me.pem -inkey me.key"
  OVER="openssl cms -verify -CAfile root.pem"
  OURS_SE="$SIGN < msg.eml | $ENC"
  OSSL_SE="$OSIGN -in msg.eml | $OENC"
  bash -c "$OURS_SE" > ours.eml
  $OPEN < ours.eml > report.json || { echo "bench: our open failed"; cat report.json; exit 1; }
  OURS_OPEN="$OPEN < ours.eml"
  OSSL_OPEN="$ODEC -in ours.eml | $OVER 2>/dev/null"
  bash -c "$OSSL_OPEN" >/dev/null 2>&1 || { echo "bench: openssl cannot open our message"; exit 1; }
  for step in sign+encrypt open; do
    if [ "$step" = sign+encrypt ]; then
      ours=$OURS_SE ossl=$OSSL_SE
      p=$(peaks "\$T1 $SIGN < msg.eml | \$T2 $ENC")
      o=$(peaks "\$T1 $OSIGN -in msg.eml | \$T2 $OENC")
    else
      ours=$OURS_OPEN ossl=$OSSL_OPEN
      p=$(peaks "\$T1 $OPEN < ours.eml")
      o=$(peaks "\$T1 $ODEC -in ours.eml | \$T2 $OVER 2>/dev/null")
    fi
    read -r a b ca cb < <(pair "$ours" "$ossl")
    awk -v mb="$mb" -v st="$step" -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" -v p="$p" -v o="$o" -v s="$size" 'BEGIN {
      printf "| %s MB | %s | %d | %d | %.2f | %d | %d | %.2f | %.1f MB | %.2fx | %.2fx |\n", mb, st, a, b, (b > 0 ? a / b : 0),
        ca, cb, (cb > 0 ? ca / cb : 0), p / 1024, p * 1024 / s, o * 1024 / s }'
  done
done
echo
echo "runs per figure: $RUNS (median); load average: $(cut -d' ' -f1-3 /proc/loadavg); message sizes include headers;"
echo "peak = the largest resident set among the pipeline's processes, each measured inside the pipeline"
