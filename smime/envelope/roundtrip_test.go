package envelope

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"testing"

	"securemail/testnet/testca"
)

func TestRoundTrip(t *testing.T) {
	f := newFixture(t)
	msg := []byte("Content-Type: text/plain\r\n\r\nDossier 42: card 12345 reported stolen.\r\n")
	for _, c := range []Cipher{AES256CBC, AES128CBC, AES256GCM, AES128GCM} {
		for _, kt := range []testca.KeyType{testca.RSA2048, testca.P256, testca.P384} {
			for _, h := range []crypto.Hash{0, crypto.SHA1, crypto.SHA256} {
				if kt != testca.RSA2048 && h != 0 {
					continue
				}
				id := f.ids[kt]
				der, err := Encrypt(msg, []*x509.Certificate{id.key.Certificate}, Options{Cipher: c, OAEPHash: h})
				if err != nil {
					t.Fatalf("%s %s %v: %v", c, kt, h, err)
				}
				res, err := Decrypt(der, []Key{id.key})
				if err != nil {
					t.Fatalf("%s %s %v: %v", c, kt, h, err)
				}
				if !bytes.Equal(res.Content, msg) || res.Cipher != c || res.Authenticated != (c == AES256GCM || c == AES128GCM) {
					t.Fatalf("%s %s %v: got %q %s %v", c, kt, h, res.Content, res.Cipher, res.Authenticated)
				}
				t.Logf("%s %s %v: %s, %d bytes", c, kt, h, res.KeyManagement, len(der))
			}
		}
	}
}
