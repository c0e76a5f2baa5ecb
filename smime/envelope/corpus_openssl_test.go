//go:build !windows

// The Thunderbird corpus test lets OpenSSL (a Linux peer) unpack NSS's .p12
// files: not part of the Windows build of the tests.

package envelope

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"strings"
	"testing"

	"securemail/smime/cms"
	"securemail/tests/testenv"
)

// nssCorpusKey reads a corpus identity written by NSS. Those .p12 files are
// BER not only outside but also inside the MAC-protected AuthenticatedSafe
// and the encrypted SafeContents, so cms.ToDER before pkcs12.DecodeChain
// is not enough (re-encoding the inside breaks the MAC): the test lets
// openssl unpack it.
func nssCorpusKey(t testing.TB, name string) Key {
	t.Helper()
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	out := runOpenSSL(t, openssl, "pkcs12", "-in", filepath.Join(corpusDir, name), "-passin", "pass:nss", "-nodes")
	var k Key
	var certs []*x509.Certificate
	for block, rest := pem.Decode(out); block != nil; block, rest = pem.Decode(rest) {
		switch block.Type {
		case "PRIVATE KEY":
			priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			k.PrivateKey = priv
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			certs = append(certs, cert)
		}
	}
	for _, c := range certs { // the certificate of the private key, not the CA's
		if pub, ok := c.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && k.PrivateKey != nil &&
			pub.Equal(k.PrivateKey.(crypto.Signer).Public()) {
			k.Certificate = c
		}
	}
	if k.PrivateKey == nil || k.Certificate == nil {
		t.Fatalf("%s: openssl gave no key and certificate", name)
	}
	return k
}

// TestThunderbirdCorpus decrypts every message of the corpus whose outer
// layer is encrypted, with the addressee's Digital ID among others.
func TestThunderbirdCorpus(t *testing.T) {
	keys := []Key{
		nssCorpusKey(t, "smime/Bob.p12"),
		corpusKey(t, "smime-interop/Fran.p12"),
		corpusKey(t, "smime-interop/Fran-ec.p12"),
	}
	cases := []struct {
		file   string
		to     string // expected Result.Recipient's address
		cipher Cipher
		km     string
		text   string // must appear in the decrypted content
	}{
		{"smime-interop/fran-oaep_ossl.env", "fran@example.com", DES3CBC, "rsa-oaep-sha1", "This is a test message to Fran."},
		{"smime-interop/fran-oaep-label_ossl.env", "fran@example.com", AES256CBC, "rsa-oaep-sha1", "This is a test message to Fran."},
		{"smime-interop/fran-oaep-sha256hash_ossl.env", "fran@example.com", AES128CBC, "rsa-oaep-sha256", "This is a test message to Fran."},
		{"smime-interop/fran-oaep-sha256hash-sha256mgf_ossl.env", "fran@example.com", AES256CBC, "rsa-oaep-sha256", "This is a test message to Fran."},
		{"smime-interop/fran-ec_ossl-aes128-sha256.env", "fran-ec@example.com", AES128CBC, "ecdh-p384", "This is a test message to Fran."},
		{"smime-interop/fran-ec_ossl-aes256-sha512.env", "fran-ec@example.com", AES256CBC, "ecdh-p384", "This is a test message to Fran."},
		{"smime/alice.env.eml", "bob@example.com", AES128CBC, "rsa", "This is a test message from Alice to Bob."},
	}
	for _, hash := range []string{"SHA1", "SHA256", "SHA384", "SHA512"} {
		cases = append(cases,
			struct {
				file, to string
				cipher   Cipher
				km, text string
			}{"smime/alice.dsig." + hash + ".multipart.env.eml", "bob@example.com", AES128CBC, "rsa", "This is a test message from Alice to Bob."},
			struct {
				file, to string
				cipher   Cipher
				km, text string
			}{"smime/alice.sig." + hash + ".opaque.env.eml", "bob@example.com", AES128CBC, "rsa", "smime-type=signed-data"},
			struct {
				file, to string
				cipher   Cipher
				km, text string
			}{"smime/alice.html.sig." + hash + ".opaque.env.eml", "bob@example.com", AES128CBC, "rsa", "smime-type=signed-data"},
		)
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			res, err := Decrypt(corpusCMS(t, tc.file), keys)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(res.Content, []byte(tc.text)) {
				t.Errorf("decrypted content lacks %q:\n%s", tc.text, res.Content)
			}
			if got := recipientAddress(res.Recipient); !strings.EqualFold(got, tc.to) {
				t.Errorf("opened with the Digital ID of %q, want %q", got, tc.to)
			}
			if res.Cipher != tc.cipher || res.KeyManagement != tc.km || res.Authenticated {
				t.Errorf("got %s/%s (authenticated %v), want %s/%s", res.Cipher, res.KeyManagement, res.Authenticated, tc.cipher, tc.km)
			}
		})
	}
}

// recipientAddress is the certificate's e-mail address (SAN, else the
// subject's emailAddress, as Bob's certificate has only that).
func recipientAddress(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	if len(c.EmailAddresses) > 0 {
		return c.EmailAddresses[0]
	}
	for _, n := range c.Subject.Names {
		if n.Type.Equal(cms.OIDEmailAddress) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}
