//go:build !windows

// These tests compare with OpenSSL, a Linux peer: not part of the Windows build
// of the tests.

package identity_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemail/smime/identity"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestEncodeP7BOpenSSLLists: the exported .p7b holds the whole chain and no
// key, and OpenSSL lists every certificate.
func TestEncodeP7BOpenSSLLists(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	id, ca := issue(t, "Marie.Curie@tcn.f.eu-admin.net", testca.P256)
	all := append([]*x509.Certificate{id.Certificate}, id.Chain...)
	p7b, err := identity.EncodeP7B(all)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "export personal certificate.p7b")
	if err := os.WriteFile(f, p7b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := run(t, nil, openssl, "pkcs7", "-inform", "DER", "-in", f, "-print_certs")
	if n := bytes.Count(out, []byte("-----BEGIN CERTIFICATE-----")); n != 3 {
		t.Errorf("openssl lists %d certificates, want 3:\n%s", n, out)
	}
	for _, want := range []string{"Marie.Curie@tcn.f.eu-admin.net", ca.Intermediate.Subject.CommonName, ca.Root.Subject.CommonName} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("openssl's listing lacks %q", want)
		}
	}
	// Strict DER check: OpenSSL re-encodes it byte for byte.
	again := run(t, nil, openssl, "pkcs7", "-inform", "DER", "-in", f, "-outform", "DER")
	if !bytes.Equal(again, p7b) {
		t.Error("OpenSSL's re-encoding differs from ours: not DER as OpenSSL writes it")
	}
	if bytes.Contains(p7b, []byte("PRIVATE")) {
		t.Error("the .p7b mentions a private key")
	}
	got, err := identity.ParseCertificates(p7b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].Equal(id.Certificate) || !got[1].Equal(ca.Intermediate) || !got[2].Equal(ca.Root) {
		t.Errorf("round trip gives %d certificates or a changed order", len(got))
	}
}

// TestParseCertificatesForms reads what OpenSSL and people produce: a DER
// and a PEM .p7b from openssl crl2pkcs7, a BER (indefinite length) .p7b, a
// PEM bundle with a key block in it, and a single DER certificate.
func TestParseCertificatesForms(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	id, ca := issue(t, "Jan.Novak@tcn.cz.eu-admin.net", testca.RSA2048)
	dir := t.TempDir()
	chain := writePEM(t, filepath.Join(dir, "chain.pem"), "CERTIFICATE", id.Certificate.Raw, ca.Intermediate.Raw, ca.Root.Raw)
	derP7B := run(t, nil, openssl, "crl2pkcs7", "-nocrl", "-certfile", chain, "-outform", "DER")
	pemP7B := run(t, nil, openssl, "crl2pkcs7", "-nocrl", "-certfile", chain, "-outform", "PEM")
	pk, err := x509.MarshalPKCS8PrivateKey(id.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	bundle := append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), readFile(t, chain)...)
	ours, err := identity.EncodeP7B([]*x509.Certificate{id.Certificate, ca.Intermediate, ca.Root})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		data []byte
		n    int
	}{
		"openssl DER p7b":  {derP7B, 3},
		"openssl PEM p7b":  {pemP7B, 3},
		"BER p7b":          {toIndefinite(t, ours), 3},
		"PEM bundle + key": {bundle, 3},
		"DER certificate":  {id.Certificate.Raw, 1},
		"PEM twice":        {append(pemP7B, readFile(t, chain)...), 3},
	}
	for name, c := range cases {
		got, err := identity.ParseCertificates(c.data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != c.n || !got[0].Equal(id.Certificate) {
			t.Errorf("%s: %d certificates (want %d), first %v", name, len(got), c.n, got[0].Subject)
		}
	}
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("hello"), "key only": pk,
		"PEM key only": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})} {
		if _, err := identity.ParseCertificates(data); !errors.Is(err, identity.ErrNoCertificates) {
			t.Errorf("%s: err = %v, want ErrNoCertificates", name, err)
		}
	}
}

// TestFingerprintMatchesOpenSSL compares the fingerprint shown in the UI
// with OpenSSL's.
func TestFingerprintMatchesOpenSSL(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	id, _ := issue(t, "Anna.Berg@tcn.s.eu-admin.net", testca.P256)
	f := writePEM(t, filepath.Join(t.TempDir(), "c.pem"), "CERTIFICATE", id.Certificate.Raw)
	out := strings.TrimSpace(string(run(t, nil, openssl, "x509", "-in", f, "-noout", "-fingerprint", "-sha256")))
	_, want, _ := strings.Cut(out, "=")
	if got := identity.Fingerprint(id.Certificate); got != want {
		t.Errorf("Fingerprint = %s, openssl says %s", got, want)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toIndefinite rewrites the two outer levels of a DER ContentInfo (the
// SEQUENCE and its [0]) with indefinite lengths, as streaming BER writers do.
func toIndefinite(t *testing.T, der []byte) []byte {
	t.Helper()
	header := func(b []byte) (tag byte, hl int) {
		if b[1] < 0x80 {
			return b[0], 2
		}
		return b[0], 2 + int(b[1]&0x7f)
	}
	_, outerHL := header(der)
	body := der[outerHL:]
	_, oidLen := header(body)
	oidTotal := oidLen + int(body[1])
	ctx := body[oidTotal:]
	_, ctxHL := header(ctx)
	var out []byte
	out = append(out, 0x30, 0x80)
	out = append(out, body[:oidTotal]...)
	out = append(out, 0xa0, 0x80)
	out = append(out, ctx[ctxHL:]...)
	return append(out, 0, 0, 0, 0)
}
