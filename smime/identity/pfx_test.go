package identity_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"securemail/smime/identity"
	"securemail/testnet/testca"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// TestParsePFXCorpus reads the seven identities of Thunderbird's corpus:
// NSS's BER exports (Alice, Alice-ec, Bob, Dave, Eve) and OpenSSL's DER
// ones (Fran, Fran-ec), and checks each one's address, key and chain.
func TestParsePFXCorpus(t *testing.T) {
	root, err := identity.ParseCertificates(readCorpus(t, "smime/TestCA.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	for _, c := range root {
		roots.AddCert(c)
	}
	cases := []struct {
		file, address string
		ec, noSAN     bool
		chain         int
		rsaRoot       bool // issued by TestCA.pem's "NSS Test CA (RSA)"
	}{
		{"smime/Alice.p12", "Alice@example.com", false, false, 1, true},
		{"smime/Alice-ec.p12", "Alice-ec@example.com", true, false, 1, false},
		{"smime/Bob.p12", "Bob@example.com", false, true, 1, true},
		{"smime/Dave.p12", "Dave@example.com", false, false, 1, true},
		{"smime/Eve.p12", "eve@example.net", false, false, 1, true},
		{"smime-interop/Fran.p12", "Fran@example.com", false, false, 0, false},
		{"smime-interop/Fran-ec.p12", "Fran-ec@example.com", true, false, 0, false},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			data := readCorpus(t, c.file)
			id, err := identity.ParsePFX(data, "nss")
			if err != nil {
				t.Fatalf("ParsePFX: %v", err)
			}
			if got := identity.Address(id.Certificate); got != c.address {
				t.Errorf("address = %q, want %q", got, c.address)
			}
			if c.noSAN && len(id.Certificate.EmailAddresses) != 0 {
				t.Errorf("expected no subjectAltName, got %v", id.Certificate.EmailAddresses)
			}
			if !keyMatches(id, id.Certificate) {
				t.Error("the private key does not belong to the returned certificate")
			}
			if got := id.Certificate.PublicKeyAlgorithm == x509.ECDSA; got != c.ec {
				t.Errorf("EC key = %v, want %v", got, c.ec)
			}
			for _, ch := range id.Chain {
				if bytes.Equal(ch.Raw, id.Certificate.Raw) {
					t.Error("the leaf is repeated in the chain")
				}
			}
			// NSS exports put the issuing CA in the file; OpenSSL's Fran files
			// hold the leaf alone.
			if len(id.Chain) != c.chain {
				t.Fatalf("chain has %d certificates, want %d", len(id.Chain), c.chain)
			}
			if c.chain > 0 {
				if err := id.Certificate.CheckSignatureFrom(id.Chain[0]); err != nil {
					t.Errorf("the chain's first certificate did not issue the leaf: %v", err)
				}
			}
			if c.rsaRoot {
				if _, err := id.Certificate.Verify(x509.VerifyOptions{Roots: roots,
					CurrentTime: id.Certificate.NotBefore.Add(24 * time.Hour),
					KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
					t.Errorf("does not chain to the corpus's TestCA.pem: %v", err)
				}
			}

			_, err = identity.ParsePFX(data, "NSS")
			if !errors.Is(err, identity.ErrWrongPassword) {
				t.Fatalf("wrong password: err = %v, want ErrWrongPassword", err)
			}
			if err.Error() != "identity: the password of the Digital ID file is wrong" {
				t.Errorf("wrong password sentence = %q", err)
			}
		})
	}
}

// TestParsePFXDamaged: anything that is not an intact PKCS #12 file gives
// the "not a Digital ID file or damaged" sentence, never the password one.
func TestParsePFXDamaged(t *testing.T) {
	alice := readCorpus(t, "smime/Alice.p12")
	fran := readCorpus(t, "smime-interop/Fran.p12")
	flipped := append([]byte(nil), fran...)
	flipped[len(flipped)/2] ^= 0x01 // inside the MAC'd content: caught by the MAC...
	cert, err := identity.ParseCertificates(readCorpus(t, "smime/TestCA.pem"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":          nil,
		"text":           []byte("This is not a Digital ID.\r\n"),
		"garbage":        bytes.Repeat([]byte{0x30, 0x82, 0xff}, 100),
		"truncated BER":  alice[:len(alice)-200],
		"truncated DER":  fran[:len(fran)/3],
		"a certificate":  cert[0].Raw,
		"trailing bytes": append(append([]byte(nil), fran...), 0, 1, 2),
	}
	for name, data := range cases {
		_, err := identity.ParsePFX(data, "nss")
		if !errors.Is(err, identity.ErrNotPFX) || errors.Is(err, identity.ErrWrongPassword) {
			t.Errorf("%s: err = %v, want ErrNotPFX", name, err)
			continue
		}
		if err.Error() != "identity: this file is not a Digital ID (.pfx/.p12) file or it is damaged" {
			t.Errorf("%s: sentence = %q", name, err)
		}
	}
	// A changed byte under the MAC cannot be told from a wrong password:
	// the integrity check fails either way. It must not be accepted.
	if _, err := identity.ParsePFX(flipped, "nss"); err == nil {
		t.Error("a file with a changed byte was accepted")
	}
}

// TestGoPKCS12EncodersWeRead reads every form go-pkcs12 writes, including
// PBMAC1 (RFC 9579), which OpenSSL 3.4 and later also write.
func TestGoPKCS12EncodersWeRead(t *testing.T) {
	id, _ := issue(t, "Anna.Berg@tcn.s.eu-admin.net", testca.P256)
	encoders := map[string]*pkcs12.Encoder{
		"LegacyRC2": pkcs12.LegacyRC2, "LegacyDES": pkcs12.LegacyDES,
		"Modern2023": pkcs12.Modern2023, "Modern2026": pkcs12.Modern2026,
	}
	for name, enc := range encoders {
		for _, pw := range []string{"pw", ""} {
			data, err := enc.Encode(id.PrivateKey, id.Certificate, id.Chain, pw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := identity.ParsePFX(data, pw)
			if err != nil {
				t.Errorf("%s %q: %v", name, pw, err)
				continue
			}
			if !got.Certificate.Equal(id.Certificate) || !keyMatches(got, id.Certificate) {
				t.Errorf("%s: wrong leaf", name)
			}
			if _, err := identity.ParsePFX(data, pw+"?"); !errors.Is(err, identity.ErrWrongPassword) {
				t.Errorf("%s: wrong password gives %v", name, err)
			}
		}
	}
}
