#!/usr/bin/env bash
# S/MIME benchmark (issue 2): securemail against openssl cms, both as whole
# processes, on the same input in the same run.
#   sign+encrypt: securemail smime sign | securemail smime encrypt
#                 openssl cms -sign      | openssl cms -encrypt -aes256
#   open:         securemail smime open  (decrypt + verify)
#                 openssl cms -decrypt   | openssl cms -verify
# Both sides open the same message (the one securemail made). Prints the
# median of RUNS runs (default 5) per size in MB (default "1 25"), the ratio
# us/OpenSSL, and our peak resident memory (/usr/bin/time -v) as a multiple
# of the message size. Usage: bash bench/smime.sh   (RUNS=9 SIZES="1 25 50")
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
SIZES="${SIZES:-1 25}"
command -v openssl >/dev/null || { echo "bench: openssl is missing (Debian package openssl)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package time)"; exit 2; }
go build -o bin/securemail .
SM="$PWD/bin/securemail"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"

# A Root CA, an EC CA and a tester's RSA-2048 Digital ID, as the handout has.
openssl req -x509 -newkey rsa:3072 -nodes -keyout root.key -out root.pem -days 30 -subj "/CN=Bench Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:3072 -nodes -keyout ec.key -out ec.csr -subj "/CN=Bench EC CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ec.ext
openssl x509 -req -in ec.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile ec.ext -out ec.pem 2>/dev/null
ADDR=Marie.Curie@tcn.f.eu-admin.net
openssl req -newkey rsa:2048 -nodes -keyout me.key -out me.csr -subj "/CN=Marie Curie/emailAddress=$ADDR" 2>/dev/null
printf 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:%s\n' "$ADDR" > me.ext
openssl x509 -req -in me.csr -CA ec.pem -CAkey ec.key -CAcreateserial -days 30 -extfile me.ext -out me.pem 2>/dev/null
echo bench-password > pw.txt
openssl pkcs12 -export -inkey me.key -in me.pem -certfile ec.pem -passout file:pw.txt -out me.pfx

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# ms: run a shell command RUNS times, print the median wall time in ms
ms() {
  for _ in $(seq "$RUNS"); do
    s=$(date +%s%N); bash -c "$1" >/dev/null; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | median
}
# peak resident memory of one command, in KB
peak() { /usr/bin/time -f %M -o peak.txt bash -c "exec $1" >/dev/null; cat peak.txt; }

printf '| size | step | securemail (ms) | openssl (ms) | ratio | our peak RSS | peak / size | openssl peak / size |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for mb in $SIZES; do
  # A message with a short text and an attachment, base64 in CRLF lines.
  {
    printf 'From: %s\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: bench %s MB\r\nMIME-Version: 1.0\r\n' "$ADDR" "$mb"
    printf 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe file.\r\n'
    printf -- '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=card.bin\r\n\r\n'
    head -c $(( mb * 1024 * 1024 * 3 / 4 )) /dev/urandom | base64 -w 76 | sed 's/$/\r/'
    printf -- '--b--\r\n'
  } > msg.eml
  size=$(stat -c %s msg.eml)
  OURS_SE="$SM smime sign --pfx me.pfx --password-file pw.txt < msg.eml | $SM smime encrypt --to me.pem --cipher aes256-cbc"
  OSSL_SE="openssl cms -sign -in msg.eml -signer me.pem -inkey me.key -certfile ec.pem | openssl cms -encrypt -aes256 me.pem"
  bash -c "$OURS_SE" > ours.eml
  $SM smime open --pfx me.pfx --password-file pw.txt --trust root.pem < ours.eml > report.json || { echo "bench: our open failed"; cat report.json; exit 1; }
  OURS_OPEN="$SM smime open --pfx me.pfx --password-file pw.txt --trust root.pem < ours.eml"
  OSSL_OPEN="openssl cms -decrypt -in ours.eml -recip me.pem -inkey me.key | openssl cms -verify -CAfile root.pem"
  bash -c "$OSSL_OPEN" >/dev/null 2>&1 || { echo "bench: openssl cannot open our message"; exit 1; }
  bash -c "$SM smime sign --pfx me.pfx --password-file pw.txt < msg.eml" > signed.eml
  bash -c "openssl cms -sign -in msg.eml -signer me.pem -inkey me.key -certfile ec.pem" > osigned.eml
  bash -c "openssl cms -decrypt -in ours.eml -recip me.pem -inkey me.key" > odec.eml
  for step in sign+encrypt open; do
    if [ "$step" = sign+encrypt ]; then
      a=$(ms "$OURS_SE"); b=$(ms "$OSSL_SE")
      p1=$(peak "$SM smime sign --pfx me.pfx --password-file pw.txt < msg.eml")
      p2=$(peak "$SM smime encrypt --to me.pem --cipher aes256-cbc < signed.eml")
      o1=$(peak "openssl cms -sign -in msg.eml -signer me.pem -inkey me.key -certfile ec.pem")
      o2=$(peak "openssl cms -encrypt -aes256 -in osigned.eml me.pem")
    else
      a=$(ms "$OURS_OPEN"); b=$(ms "$OSSL_OPEN 2>/dev/null")
      p1=$(peak "$OURS_OPEN"); p2=0
      o1=$(peak "openssl cms -decrypt -in ours.eml -recip me.pem -inkey me.key")
      o2=$(peak "openssl cms -verify -CAfile root.pem -in odec.eml 2>/dev/null")
    fi
    p=$(( p1 > p2 ? p1 : p2 )); o=$(( o1 > o2 ? o1 : o2 ))
    awk -v mb="$mb" -v st="$step" -v a="$a" -v b="$b" -v p="$p" -v o="$o" -v s="$size" 'BEGIN {
      printf "| %s MB | %s | %d | %d | %.2f | %.1f MB | %.2fx | %.2fx |\n", mb, st, a, b, (b > 0 ? a / b : 0), p / 1024, p * 1024 / s, o * 1024 / s }'
  done
done
echo
echo "runs per figure: $RUNS (median); message sizes include headers; peak = the larger of the pipeline's two processes"
