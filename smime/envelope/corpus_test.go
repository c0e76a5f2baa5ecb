package envelope

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// corpusDir is Thunderbird's S/MIME test corpus (MPL-2.0), see its LICENCE-NOTE.md.
const corpusDir = "../testdata/thunderbird"

// corpusKey reads a corpus identity written by OpenSSL (DER .p12,
// password "nss").
func corpusKey(t testing.TB, name string) Key {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	priv, cert, _, err := pkcs12.DecodeChain(data, "nss")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return Key{Certificate: cert, PrivateKey: priv}
}

// corpusCMS returns the DER/BER of an S/MIME message whose body is a
// base64 application/pkcs7-mime.
func corpusCMS(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if ct := m.Header.Get("Content-Type"); !strings.Contains(ct, "enveloped-data") {
		t.Fatalf("%s: Content-Type %q is not enveloped-data", name, ct)
	}
	if cte := m.Header.Get("Content-Transfer-Encoding"); !strings.EqualFold(cte, "base64") {
		t.Fatalf("%s: Content-Transfer-Encoding %q", name, cte)
	}
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, newlineStripper{m.Body}))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return body
}

// newlineStripper drops CR and LF so that base64.NewDecoder sees one run.
type newlineStripper struct{ r io.Reader }

func (s newlineStripper) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}
