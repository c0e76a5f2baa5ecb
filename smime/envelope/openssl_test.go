//go:build !windows

// OpenSSL is a Linux peer: not part of the Windows build of the tests.

package envelope

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestOpenSSLDecryptsOurMessages: what Encrypt writes, `openssl cms -decrypt`
// opens to the same bytes, for every cipher and key management we write.
func TestOpenSSLDecryptsOurMessages(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	f := newFixture(t)
	msg := testMessage()
	type kind struct {
		name string
		kt   testca.KeyType
		oaep crypto.Hash
	}
	kinds := []kind{
		{"rsa-pkcs1v15", testca.RSA2048, 0},
		{"rsa-oaep-sha1", testca.RSA2048, crypto.SHA1},
		{"rsa-oaep-sha256", testca.RSA2048, crypto.SHA256},
		{"ecdh-p256", testca.P256, 0},
		{"ecdh-p384", testca.P384, 0},
	}
	for _, c := range []Cipher{AES256CBC, AES128CBC, AES256GCM, AES128GCM} {
		for _, k := range kinds {
			t.Run(string(c)+"/"+k.name, func(t *testing.T) {
				id := f.ids[k.kt]
				der, err := Encrypt(msg, []*x509.Certificate{id.key.Certificate}, Options{Cipher: c, OAEPHash: k.oaep})
				if err != nil {
					t.Fatal(err)
				}
				in := filepath.Join(t.TempDir(), "msg.p7m")
				out := in + ".out"
				if err := os.WriteFile(in, der, 0o600); err != nil {
					t.Fatal(err)
				}
				runOpenSSL(t, openssl, "cms", "-decrypt", "-inform", "DER", "-binary", "-in", in, "-out", out,
					"-recip", id.certPEM, "-inkey", id.keyPEM)
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, msg) {
					t.Fatalf("openssl decrypted %d bytes, want the %d we encrypted", len(got), len(msg))
				}
				// OpenSSL reports the structure it read: the content type and
				// the key management must be the ones we meant.
				printed := string(runOpenSSL(t, openssl, "cms", "-cmsout", "-print", "-inform", "DER", "-in", in))
				wantType := "pkcs7-envelopedData"
				if c == AES256GCM || c == AES128GCM {
					wantType = "id-smime-ct-authEnvelopedData"
				}
				for _, want := range []string{wantType, wantKeyAlgorithm(k.name)} {
					if !strings.Contains(printed, want) {
						t.Errorf("openssl -cmsout -print lacks %q:\n%s", want, printed)
					}
				}
			})
		}
	}
	t.Run("three recipients", func(t *testing.T) {
		certs := []*x509.Certificate{f.ids[testca.RSA2048].key.Certificate, f.ids[testca.P256].key.Certificate, f.ids[testca.P384].key.Certificate}
		der, err := Encrypt(msg, certs, Options{Cipher: AES256GCM, OAEPHash: crypto.SHA256})
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(t.TempDir(), "msg.p7m")
		if err := os.WriteFile(in, der, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, kt := range []testca.KeyType{testca.RSA2048, testca.P256, testca.P384} {
			id := f.ids[kt]
			out := in + "." + string(kt)
			runOpenSSL(t, openssl, "cms", "-decrypt", "-inform", "DER", "-binary", "-in", in, "-out", out,
				"-recip", id.certPEM, "-inkey", id.keyPEM)
			if got, _ := os.ReadFile(out); !bytes.Equal(got, msg) {
				t.Errorf("openssl with the %s key decrypted %d bytes, want %d", kt, len(got), len(msg))
			}
		}
	})
}

// wantKeyAlgorithm is how `openssl cms -cmsout -print` names the key
// management algorithm.
func wantKeyAlgorithm(kind string) string {
	switch kind {
	case "rsa-pkcs1v15":
		return "rsaEncryption"
	case "rsa-oaep-sha1", "rsa-oaep-sha256":
		return "rsaesOaep"
	case "ecdh-p256":
		return "dhSinglePass-stdDH-sha256kdf-scheme"
	default:
		return "dhSinglePass-stdDH-sha384kdf-scheme"
	}
}

// TestWeDecryptOpenSSLMessages: what `openssl cms -encrypt` writes, Decrypt
// opens to the same bytes.
func TestWeDecryptOpenSSLMessages(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	f := newFixture(t)
	rsaID, p256, p384 := f.ids[testca.RSA2048], f.ids[testca.P256], f.ids[testca.P384]
	other := f.issue(t, testca.RSA2048, "Jan.Novak@tcn.cz.eu-admin.net") // a recipient whose key we lack
	stranger := f.issue(t, testca.P256, "Ana.Lopez@tcn.e.eu-admin.net")  // a key that is no recipient's
	msg := testMessage()
	cases := []struct {
		name       string
		args       []string
		recipients []*identity
		key        *identity // the key we decrypt with
		cipher     Cipher
		km         string
	}{
		{"aes128", []string{"-aes128"}, []*identity{rsaID}, rsaID, AES128CBC, "rsa"},
		{"aes192", []string{"-aes192"}, []*identity{rsaID}, rsaID, AES192CBC, "rsa"},
		{"aes256", []string{"-aes256"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa"},
		{"des3", []string{"-des3"}, []*identity{rsaID}, rsaID, DES3CBC, "rsa"},
		{"default cipher", nil, []*identity{rsaID}, rsaID, DES3CBC, "rsa"},
		{"aes-128-gcm", []string{"-aes-128-gcm"}, []*identity{rsaID}, rsaID, AES128GCM, "rsa"},
		{"aes-256-gcm", []string{"-aes-256-gcm"}, []*identity{rsaID}, rsaID, AES256GCM, "rsa"},
		{"oaep default", []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa-oaep-sha1"},
		{"oaep sha256", []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa-oaep-sha256"},
		{"oaep sha256 gcm", []string{"-aes-256-gcm", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"}, []*identity{rsaID}, rsaID, AES256GCM, "rsa-oaep-sha256"},
		{"oaep sha256 mgf1 sha1", []string{"-aes128", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha1"}, []*identity{rsaID}, rsaID, AES128CBC, "rsa-oaep-sha256-mgf1-sha1"},
		{"oaep sha512 label", []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha512", "-keyopt", "rsa_oaep_label:0123456789abcdef"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa-oaep-sha512"},
		{"oaep sha384", []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha384"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa-oaep-sha384"},
		{"oaep sha224", []string{"-aes256", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha224"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa-oaep-sha224"},
		{"ec p256", []string{"-aes256"}, []*identity{p256}, p256, AES256CBC, "ecdh-p256"},
		{"ec p384", []string{"-aes128"}, []*identity{p384}, p384, AES128CBC, "ecdh-p384"},
		{"ec p384 gcm", []string{"-aes-256-gcm"}, []*identity{p384}, p384, AES256GCM, "ecdh-p384"},
		{"ec p256 aes192", []string{"-aes192"}, []*identity{p256}, p256, AES192CBC, "ecdh-p256"},
		{"keyid rsa", []string{"-aes256", "-keyid"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa"},
		{"keyid ec", []string{"-aes256", "-keyid"}, []*identity{p256}, p256, AES256CBC, "ecdh-p256"},
		{"several recipients, we are third", []string{"-aes256"}, []*identity{other, p384, rsaID}, rsaID, AES256CBC, "rsa"},
		{"several recipients, ec", []string{"-aes128"}, []*identity{other, p256}, p256, AES128CBC, "ecdh-p256"},
		{"stream", []string{"-aes256", "-stream"}, []*identity{rsaID}, rsaID, AES256CBC, "rsa"},
		{"stream ec", []string{"-aes128", "-stream"}, []*identity{p256}, p256, AES128CBC, "ecdh-p256"},
		{"stream gcm", []string{"-aes-256-gcm", "-stream"}, []*identity{rsaID}, rsaID, AES256GCM, "rsa"},
	}
	t.Run("ec des3 is not supported", func(t *testing.T) {
		// OpenSSL wraps a 3DES content key for an EC recipient with the
		// RFC 3217 3DES key wrap, which we do not implement: the user must
		// hear "unsupported", not "damaged".
		der := opensslEncrypt(t, openssl, msg, []string{"-des3"}, p384)
		if _, err := Decrypt(der, []Key{p384.key}); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("Decrypt = %v, want ErrUnsupported", err)
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			der := opensslEncrypt(t, openssl, msg, tc.args, tc.recipients...)
			if strings.Contains(tc.name, "stream") && der[1] != 0x80 {
				t.Fatalf("openssl -stream did not write indefinite-length BER (% x)", der[:4])
			}
			// Hand Decrypt all our keys and one that is no recipient's: it
			// must pick the right one.
			keys := []Key{stranger.key, p256.key, p384.key, rsaID.key}
			res, err := Decrypt(der, keys)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Content, msg) {
				t.Fatalf("decrypted %d bytes, want %d", len(res.Content), len(msg))
			}
			if res.Cipher != tc.cipher || res.KeyManagement != tc.km || res.Recipient != tc.key.key.Certificate {
				t.Errorf("got %s/%s for %s, want %s/%s for %s", res.Cipher, res.KeyManagement,
					res.Recipient.Subject.CommonName, tc.cipher, tc.km, tc.key.key.Certificate.Subject.CommonName)
			}
			if res.Authenticated != (tc.cipher == AES128GCM || tc.cipher == AES256GCM) {
				t.Errorf("Authenticated = %v for %s", res.Authenticated, tc.cipher)
			}
			ids, err := RecipientIDs(der)
			if err != nil || len(ids) != len(tc.recipients) {
				t.Fatalf("RecipientIDs = %v, %v; want %d", ids, err, len(tc.recipients))
			}
		})
	}
}

// opensslEncrypt runs `openssl cms -encrypt -binary -outform DER` for the
// recipients with the extra arguments (which come last, because -keyopt
// applies to the -recip before it).
func opensslEncrypt(t *testing.T, openssl string, msg []byte, extra []string, recipients ...*identity) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "msg")
	out := filepath.Join(dir, "msg.p7m")
	if err := os.WriteFile(in, msg, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"cms", "-encrypt", "-binary", "-outform", "DER", "-in", in, "-out", out}
	for _, r := range recipients {
		args = append(args, "-recip", r.certPEM)
	}
	runOpenSSL(t, openssl, append(args, extra...)...)
	der, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
