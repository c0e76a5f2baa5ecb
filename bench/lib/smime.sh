# Shared by bench/smime.sh and bench/cli.sh (sourced, not run): the peers'
# check, the test authorities and Digital ID, the message, and the
# statistics. RUNS (default 9) is the number of runs per figure.
RUNS="${RUNS:-9}"
command -v openssl >/dev/null || { echo "bench: openssl is missing (Debian package openssl)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package time)"; exit 2; }

# smime_ids writes, in the current folder, a Root CA, an EC CA and a tester's
# RSA-2048 Digital ID as the handout has them: root.pem, ec.pem, me.pem +
# me.key, me.pfx with its password in pw.txt. It sets ADDR to the tester's address.
smime_ids() {
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
}

# smime_message MB writes to stdout a message of about MB megabytes from
# $ADDR: a short text and an attachment, base64 in CRLF lines.
smime_message() {
  printf 'From: %s\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: bench %s MB\r\nMIME-Version: 1.0\r\n' "$ADDR" "$1"
  printf 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe file.\r\n'
  printf -- '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=card.bin\r\n\r\n'
  head -c $(( $1 * 1024 * 1024 * 3 / 4 )) /dev/urandom | base64 -w 76 | sed 's/$/\r/'
  printf -- '--b--\r\n'
}

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
