#!/usr/bin/env bash
# What the window's libraries cost the command line (issue 13 point 6): the
# window binary (bin/securemail, which links Fyne), the command-line program
# (bin/securemail-cli, cmd/securemail-cli) and OpenSSL, as whole processes in
# the same run, their runs alternating so that all three see the same load.
#   open:     securemail smime open  (decrypt + verify) of a signed and
#             encrypted message of MB megabytes (default 25), against
#             openssl cms -decrypt | openssl cms -verify of the same message
#   start-up: `securemail version` against `openssl version`: a process that
#             starts, prints one line and exits
# Prints the median of RUNS runs (default 9) of the wall time, the CPU time
# (user+sys of every process, the /usr/bin/time that measures the peak
# included) and the peak resident memory (/usr/bin/time;
# of a pipeline, its largest process), the peak as a multiple of the message
# size, and the ratios to OpenSSL. Goals: open peaks at 3x the message or
# less, and the command-line program starts in 50 ms or less.
# Usage: bash bench/cli.sh   (RUNS=9 MB=25)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/smime.sh
MB="${MB:-25}"
go build -o bin/securemail .
go build -o bin/securemail-cli ./cmd/securemail-cli
GUI="$PWD/bin/securemail" CLI="$PWD/bin/securemail-cli"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
smime_ids
smime_message "$MB" > msg.eml
size=$(stat -c %s msg.eml)
"$CLI" smime sign --pfx me.pfx --password-file pw.txt < msg.eml | "$CLI" smime encrypt --to me.pem --cipher aes256-cbc > in.eml
OPEN="smime open --pfx me.pfx --password-file pw.txt --trust root.pem < in.eml"
# Each process of a command is prefixed with $T, which appends its peak
# resident set (KB) to peak.txt.
T="/usr/bin/time -a -f %M -o peak.txt"
names=(gui-open cli-open ossl-open gui-start cli-start ossl-start)
cmds=(
  "$T $GUI $OPEN"
  "$T $CLI $OPEN"
  "$T openssl cms -decrypt -recip me.pem -inkey me.key -in in.eml | $T openssl cms -verify -CAfile root.pem"
  "$T $GUI version"
  "$T $CLI version"
  "$T openssl version"
)
for k in "${!cmds[@]}"; do # each must succeed before it is timed
  bash -c "${cmds[$k]}" >/dev/null 2>&1 || { echo "bench: ${names[$k]} failed: ${cmds[$k]}"; exit 1; }
done
# timed CMD runs bash -c CMD and prints its wall time and its CPU time
# (user+sys of every process it waited for) in ms, to the microsecond
# (/usr/bin/time rounds CPU to 10 ms, the size of a start-up).
timed() {
  python3 -c 'import resource, subprocess, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # (a wrapper that started python may have counted some)
    return r.ru_utime + r.ru_stime
c, t = cpu(), time.monotonic()
subprocess.run(["bash", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.1f %.1f" % ((time.monotonic() - t) * 1000, (cpu() - c) * 1000))' "$1"
}
rm -f ./*.wall ./*.cpu ./*.peak
for _ in $(seq "$RUNS"); do
  for k in "${!cmds[@]}"; do
    rm -f peak.txt
    read -r wall cpu < <(timed "${cmds[$k]}")
    echo "$wall" >> "${names[$k]}.wall"
    echo "$cpu" >> "${names[$k]}.cpu"
    sort -n peak.txt | tail -1 >> "${names[$k]}.peak"
  done
done
m() { median < "$1"; }
printf '| program | open %s MB (ms) | ratio to openssl | CPU (ms) | CPU ratio | peak | peak / message | start-up (ms) | start-up CPU (ms) | start-up peak |\n' "$MB"
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for p in gui cli ossl; do
  label=$(case $p in gui) echo "securemail (window binary)";; cli) echo "securemail-cli";; ossl) echo "openssl cms";; esac)
  awk -v l="$label" -v w="$(m $p-open.wall)" -v ow="$(m ossl-open.wall)" -v c="$(m $p-open.cpu)" -v oc="$(m ossl-open.cpu)" \
    -v pk="$(m $p-open.peak)" -v s="$size" -v sw="$(m $p-start.wall)" -v sc="$(m $p-start.cpu)" -v sp="$(m $p-start.peak)" 'BEGIN {
    printf "| %s | %d | %.2f | %d | %.2f | %.1f MB | %.2fx | %.1f | %.1f | %.1f MB |\n", l, w, (ow > 0 ? w / ow : 0), c, (oc > 0 ? c / oc : 0),
      pk / 1024, pk * 1024 / s, sw, sc, sp / 1024 }'
done
echo
echo "message: $size octets (plain, before signing and encryption); runs: $RUNS (median), alternating;"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); peak = the largest resident set among a pipeline's processes"
