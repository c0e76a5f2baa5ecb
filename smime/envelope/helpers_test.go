package envelope

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

// identity is a test recipient: certificate and key, and (after writePEM)
// the files openssl reads.
type identity struct {
	name    string
	key     Key
	certPEM string
	keyPEM  string
	keyType testca.KeyType
}

// fixture holds one test CA's recipients of every key type.
type fixture struct {
	ca  *testca.CA
	ids map[testca.KeyType]*identity
	dir string
}

// newFixture issues an RSA-2048, a P-256 and a P-384 identity and writes
// their certificates and PKCS #8 keys to a temporary directory.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ca: ca, ids: map[testca.KeyType]*identity{}, dir: t.TempDir()}
	for _, kt := range []testca.KeyType{testca.RSA2048, testca.P256, testca.P384} {
		f.ids[kt] = f.issue(t, kt, "Marie.Curie."+string(kt)+"@tcn.f.eu-admin.net")
	}
	return f
}

func (f *fixture) issue(t testing.TB, kt testca.KeyType, email string) *identity {
	t.Helper()
	is, err := f.ca.Issue(testca.IssueOptions{Email: email, Key: kt})
	if err != nil {
		t.Fatal(err)
	}
	id := &identity{name: string(kt), keyType: kt, key: Key{Certificate: is.Certificate, PrivateKey: is.PrivateKey}}
	id.certPEM = filepath.Join(f.dir, email+".crt.pem")
	id.keyPEM = filepath.Join(f.dir, email+".key.pem")
	writePEM(t, id.certPEM, "CERTIFICATE", is.Certificate.Raw)
	der, err := x509.MarshalPKCS8PrivateKey(is.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, id.keyPEM, "PRIVATE KEY", der)
	return id
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// runOpenSSL runs openssl with a deadline and fails the test on error.
func runOpenSSL(t testing.TB, openssl string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := testenv.Run(ctx, nil, openssl, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testMessage is a MIME entity with binary-unsafe bytes (CR, LF, NUL, 8-bit),
// 1,000 bytes long so that it spans many blocks and no padding is trivial.
func testMessage() []byte {
	var b bytes.Buffer
	b.WriteString("Content-Type: application/octet-stream\r\n\r\n")
	for i := 0; b.Len() < 1000; i++ {
		b.WriteByte(byte(i * 7))
	}
	return b.Bytes()
}
