//go:build !windows

// OpenSSL is a Linux peer: not part of the Windows build of the tests.

package envelope

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestEncryptToOpenSSL: `openssl cms -decrypt` opens what EncryptTo
// streams, CBC and GCM.
func TestEncryptToOpenSSL(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	f := newFixture(t)
	msg := testMessage()
	for _, c := range []Cipher{AES256CBC, AES256GCM} {
		for _, kt := range []testca.KeyType{testca.RSA2048, testca.P256} {
			id := f.ids[kt]
			var b bytes.Buffer
			if err := EncryptTo(&b, msg, []*x509.Certificate{id.key.Certificate}, Options{Cipher: c}); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(t.TempDir(), "msg.p7m")
			if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			runOpenSSL(t, openssl, "cms", "-decrypt", "-inform", "DER", "-binary", "-in", in, "-out", in+".out",
				"-recip", id.certPEM, "-inkey", id.keyPEM)
			got, err := os.ReadFile(in + ".out")
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("%s %s: openssl decrypted %d bytes, want the %d we encrypted (%v)", c, kt, len(got), len(msg), err)
			}
		}
	}
}
