package sign

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// fixture is a test CA with an RSA-2048 and a P-256 e-mail identity.
type fixture struct {
	ca       *testca.CA
	rsa, ec  *testca.Issued
	chain    []*x509.Certificate // the intermediate, as a mail client sends it
	dir      string              // root.pem, inter.pem, and each identity's files
	rsaFiles identityFiles
	ecFiles  identityFiles
}

type identityFiles struct{ cert, key string }

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ca: ca, chain: []*x509.Certificate{ca.Intermediate}, dir: t.TempDir()}
	if f.rsa, err = ca.Issue(testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net", Key: testca.RSA2048}); err != nil {
		t.Fatal(err)
	}
	if f.ec, err = ca.Issue(testca.IssueOptions{Email: "Niels.Bohr@tcn.dk.eu-admin.net", Key: testca.P256}); err != nil {
		t.Fatal(err)
	}
	writeCerts(t, filepath.Join(f.dir, "root.pem"), ca.Root)
	writeCerts(t, filepath.Join(f.dir, "inter.pem"), ca.Intermediate)
	f.rsaFiles = writeIdentity(t, f.dir, "rsa", f.rsa)
	f.ecFiles = writeIdentity(t, f.dir, "ec", f.ec)
	return f
}

func writeCerts(t testing.TB, path string, certs ...*x509.Certificate) {
	t.Helper()
	var buf bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeIdentity writes a test-time key (never committed) for OpenSSL.
func writeIdentity(t testing.TB, dir, name string, is *testca.Issued) identityFiles {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(is.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	files := identityFiles{cert: filepath.Join(dir, name+".crt"), key: filepath.Join(dir, name+".key")}
	writeCerts(t, files.cert, is.Certificate)
	if err := os.WriteFile(files.key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return files
}

// openssl runs the openssl command line and returns its stdout.
func openssl(t testing.TB, args ...string) ([]byte, error) {
	t.Helper()
	bin := testenv.RequireTool(t, "openssl", "openssl")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return testenv.Run(ctx, nil, bin, args...)
}

// testContent is binary-safe content with CRLF lines, as the MIME layer
// passes it after canonicalisation.
func testContent(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n")
	for i := 0; b.Len() < n; i++ {
		b.WriteByte(byte(i * 7))
	}
	return b.Bytes()
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
