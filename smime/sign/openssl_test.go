//go:build !windows

// OpenSSL is a Linux peer: not part of the Windows build of the tests.

package sign

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"crypto/x509"

	"securemail/smime/cms"
	"securemail/testnet/testca"
)

// TestOpenSSLVerifiesOurSignatures: every signature Sign makes is accepted by
// `openssl cms -verify` with the S/MIME signing purpose, and OpenSSL hands
// back exactly the bytes that were signed.
func TestOpenSSLVerifiesOurSignatures(t *testing.T) {
	f := newFixture(t)
	content := testContent(5000)
	contentFile := writeFile(t, f.dir, "content.bin", content)
	for _, key := range []struct {
		name string
		is   *testca.Issued
	}{{"RSA-2048", f.rsa}, {"P-256", f.ec}} {
		for _, digest := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			for _, detached := range []bool{true, false} {
				name := fmt.Sprintf("%s/%s/detached=%v", key.name, hashName(digest), detached)
				t.Run(name, func(t *testing.T) {
					sig, err := Sign(content, key.is.PrivateKey, key.is.Certificate,
						Options{Digest: digest, Detached: detached, Chain: f.chain})
					if err != nil {
						t.Fatal(err)
					}
					dir := t.TempDir()
					out := filepath.Join(dir, "out.bin")
					args := []string{"cms", "-verify", "-inform", "DER", "-binary", "-in", writeFile(t, dir, "sig.der", sig),
						"-CAfile", filepath.Join(f.dir, "root.pem"), "-certfile", filepath.Join(f.dir, "inter.pem"),
						"-purpose", "smimesign", "-out", out}
					if detached {
						args = append(args, "-content", contentFile)
					}
					if _, err := openssl(t, args...); err != nil {
						t.Fatalf("OpenSSL rejects our signature: %v", err)
					}
					got, err := os.ReadFile(out)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, content) {
						t.Fatalf("OpenSSL's verified content differs from what we signed (%d vs %d bytes)", len(got), len(content))
					}
				})
			}
		}
	}
	t.Run("chain only from the message", func(t *testing.T) {
		// Without -certfile OpenSSL must find the intermediate in our certificates field.
		sig, err := Sign(content, f.rsa.PrivateKey, f.rsa.Certificate, Options{Chain: f.chain})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := openssl(t, "cms", "-verify", "-inform", "DER", "-binary", "-in", writeFile(t, dir, "sig.der", sig),
			"-content", contentFile, "-CAfile", filepath.Join(f.dir, "root.pem"), "-purpose", "smimesign", "-out", os.DevNull); err != nil {
			t.Fatalf("OpenSSL cannot build the chain from our certificates: %v", err)
		}
	})
}

// TestWeVerifyOpenSSLSignatures: SignedData made by `openssl cms -sign` in
// its various shapes parses and verifies, with the right digest, algorithm
// name, signer, content and attributes.
func TestWeVerifyOpenSSLSignatures(t *testing.T) {
	f := newFixture(t)
	content := testContent(3000)
	contentFile := writeFile(t, f.dir, "content.bin", content)
	cases := []struct {
		name      string
		ec        bool
		args      []string
		digest    crypto.Hash
		algorithm string
		opaque    bool
		ber       bool // OpenSSL streams indefinite lengths
		noAttrs   bool
	}{
		{name: "detached", args: nil, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256"},
		{name: "opaque", args: []string{"-nodetach"}, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256", opaque: true},
		// With -outform DER, -stream embeds the content even without -nodetach.
		{name: "stream", args: []string{"-stream"}, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256", opaque: true, ber: true},
		{name: "indef opaque", args: []string{"-nodetach", "-indef"}, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256", opaque: true, ber: true},
		{name: "sha384", args: []string{"-md", "sha384"}, digest: crypto.SHA384, algorithm: "RSA PKCS#1 v1.5 with SHA-384"},
		{name: "sha512", args: []string{"-md", "sha512"}, digest: crypto.SHA512, algorithm: "RSA PKCS#1 v1.5 with SHA-512"},
		{name: "sha1", args: []string{"-md", "sha1"}, digest: crypto.SHA1, algorithm: "RSA PKCS#1 v1.5 with SHA-1"},
		{name: "pss", args: []string{"-keyopt", "rsa_padding_mode:pss"}, digest: crypto.SHA256, algorithm: "RSA-PSS with SHA-256"},
		{name: "pss sha512 salt 32", args: []string{"-md", "sha512", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"},
			digest: crypto.SHA512, algorithm: "RSA-PSS with SHA-512"},
		{name: "ecdsa", ec: true, digest: crypto.SHA256, algorithm: "ECDSA with SHA-256"},
		{name: "ecdsa sha384 opaque", ec: true, args: []string{"-md", "sha384", "-nodetach"}, digest: crypto.SHA384,
			algorithm: "ECDSA with SHA-384", opaque: true},
		{name: "keyid", args: []string{"-keyid"}, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256"},
		{name: "keyid ecdsa", ec: true, args: []string{"-keyid"}, digest: crypto.SHA256, algorithm: "ECDSA with SHA-256"},
		{name: "noattr", args: []string{"-noattr"}, digest: crypto.SHA256, algorithm: "RSA PKCS#1 v1.5 with SHA-256", noAttrs: true},
		{name: "noattr ecdsa opaque", ec: true, args: []string{"-noattr", "-nodetach"}, digest: crypto.SHA256,
			algorithm: "ECDSA with SHA-256", noAttrs: true, opaque: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, files := f.rsa, f.rsaFiles
			if tc.ec {
				id, files = f.ec, f.ecFiles
			}
			der := opensslSign(t, files, contentFile, f.dir, tc.args...)
			if tc.ber != (der[1] == 0x80) {
				t.Fatalf("OpenSSL's output is not the encoding the case means to test (length octet %#x)", der[1])
			}
			sd, err := Parse(der)
			if err != nil {
				t.Fatal(err)
			}
			if len(sd.Signers) != 1 {
				t.Fatalf("%d signers, want 1", len(sd.Signers))
			}
			s := sd.Signers[0]
			if s.Digest != tc.digest || s.Algorithm != tc.algorithm {
				t.Errorf("digest %v, algorithm %q; want %v, %q", s.Digest, s.Algorithm, tc.digest, tc.algorithm)
			}
			if s.Certificate == nil || !s.Certificate.Equal(id.Certificate) {
				t.Errorf("the signer's Digital ID was not found in the message")
			}
			if !sd.ContentType.Equal(cms.OIDData) {
				t.Errorf("content type %v", sd.ContentType)
			}
			signed := content
			if tc.opaque {
				if !bytes.Equal(sd.Content, content) {
					t.Fatalf("encapsulated content differs (%d vs %d bytes)", len(sd.Content), len(content))
				}
				signed = sd.Content
			} else if sd.Content != nil {
				t.Fatalf("a detached signature has %d bytes of content", len(sd.Content))
			}
			if tc.noAttrs != s.SigningTime.IsZero() {
				t.Errorf("signing time %v; with attributes it must be set, without them zero", s.SigningTime)
			}
			if !tc.noAttrs && (len(s.Capabilities) == 0 || !s.Capabilities[0].Equal(cms.OIDAES256CBC)) {
				t.Errorf("capabilities %v, want OpenSSL's list starting with AES-256-CBC", s.Capabilities)
			}
			if err := s.Verify(signed, nil); err != nil {
				t.Fatalf("OpenSSL's signature does not verify: %v", err)
			}
			changed := append([]byte(nil), signed...)
			changed[len(changed)-1] ^= 1
			err = s.Verify(changed, nil)
			want := ErrDigestMismatch
			if tc.noAttrs {
				want = ErrBadSignature // the signature covers the content itself
			}
			if !errors.Is(err, want) {
				t.Fatalf("altered content: %v, want %v", err, want)
			}
		})
	}
}

// TestOpenSSLNegativeCases covers signatures OpenSSL makes that must not verify as they are.
func TestOpenSSLNegativeCases(t *testing.T) {
	f := newFixture(t)
	content := testContent(1000)
	contentFile := writeFile(t, f.dir, "content.bin", content)

	t.Run("no certificates", func(t *testing.T) {
		sd, err := Parse(opensslSign(t, f.rsaFiles, contentFile, f.dir, "-nocerts"))
		if err != nil {
			t.Fatal(err)
		}
		s := sd.Signers[0]
		if err := s.Verify(content, nil); !errors.Is(err, ErrSignerNotFound) {
			t.Fatalf("got %v, want ErrSignerNotFound", err)
		}
		if err := s.Verify(content, []*x509.Certificate{f.ec.Certificate, f.rsa.Certificate}); err != nil {
			t.Fatalf("with the Digital ID from the address book: %v", err)
		}
		if !s.Certificate.Equal(f.rsa.Certificate) {
			t.Fatal("Verify did not record the signer's Digital ID")
		}
	})
	t.Run("RSA-PSS with another MGF1 digest", func(t *testing.T) {
		sd, err := Parse(opensslSign(t, f.rsaFiles, contentFile, f.dir,
			"-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_mgf1_md:sha1"))
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.Signers[0].Verify(content, nil); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("got %v, want ErrUnsupportedAlgorithm", err)
		}
	})
}

// opensslSign runs `openssl cms -sign -binary -outform DER` with extra arguments.
func opensslSign(t *testing.T, files identityFiles, contentFile, dir string, extra ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sig.der")
	args := append([]string{"cms", "-sign", "-binary", "-outform", "DER", "-in", contentFile,
		"-signer", files.cert, "-inkey", files.key, "-certfile", filepath.Join(dir, "inter.pem"), "-out", out}, extra...)
	if _, err := openssl(t, args...); err != nil {
		t.Fatal(err)
	}
	der, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestCertificatesOnly: a .p7b as `openssl crl2pkcs7` writes it (SignedData
// without signers) yields its certificates.
func TestCertificatesOnly(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "chain.p7b")
	if _, err := openssl(t, "crl2pkcs7", "-nocrl", "-outform", "DER", "-out", out,
		"-certfile", f.rsaFiles.cert, "-certfile", filepath.Join(f.dir, "inter.pem"), "-certfile", filepath.Join(f.dir, "root.pem")); err != nil {
		t.Fatal(err)
	}
	der, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Signers) != 0 || sd.Content != nil || len(sd.Certificates) != 3 || !sd.Certificates[0].Equal(f.rsa.Certificate) {
		t.Fatalf("%d signers, %d content bytes, %d certificates; want 0, 0, 3 starting with the holder's",
			len(sd.Signers), len(sd.Content), len(sd.Certificates))
	}
}
