package identity_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/internal/testenv"
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

// TestOpenSSLExportWeRead has OpenSSL 3 write PKCS #12 files, in its default
// form (PBES2/AES-256, SHA-256 MAC) and its -legacy form (RC2-40 and 3DES,
// SHA-1 MAC), with an ASCII and a non-ASCII password.
func TestOpenSSLExportWeRead(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	for _, key := range []testca.KeyType{testca.RSA2048, testca.P256} {
		id, _ := issue(t, "Marie.Curie@tcn.f.eu-admin.net", key)
		dir := t.TempDir()
		pk, err := x509.MarshalPKCS8PrivateKey(id.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		keyFile := writePEM(t, filepath.Join(dir, "key.pem"), "PRIVATE KEY", pk)
		certFile := writePEM(t, filepath.Join(dir, "cert.pem"), "CERTIFICATE", id.Certificate.Raw)
		chainFile := writePEM(t, filepath.Join(dir, "chain.pem"), "CERTIFICATE", id.Chain[0].Raw, id.Chain[1].Raw)
		for _, mode := range []string{"default", "legacy"} {
			for _, pw := range []string{"S3cret-Pass", "Pässwörd €"} {
				out := filepath.Join(dir, mode+".p12")
				args := []string{"pkcs12", "-export", "-inkey", keyFile, "-in", certFile, "-certfile", chainFile,
					"-name", "Marie", "-passout", "pass:" + pw, "-out", out}
				if mode == "legacy" {
					args = append(args, "-legacy")
				}
				run(t, nil, openssl, args...)
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got, err := identity.ParsePFX(data, pw)
				if err != nil {
					t.Fatalf("%s %s %q: %v", key, mode, pw, err)
				}
				if !got.Certificate.Equal(id.Certificate) || !keyMatches(got, id.Certificate) {
					t.Errorf("%s %s: wrong leaf or key", key, mode)
				}
				if len(got.Chain) != 2 || !got.Chain[0].Equal(id.Chain[0]) || !got.Chain[1].Equal(id.Chain[1]) {
					t.Errorf("%s %s: chain = %d certificates, want intermediate then root", key, mode, len(got.Chain))
				}
				if _, err := identity.ParsePFX(data, pw+"x"); !errors.Is(err, identity.ErrWrongPassword) {
					t.Errorf("%s %s: wrong password gives %v", key, mode, err)
				}
			}
		}
	}
}

// TestEncodePFXOpenSSLReads has OpenSSL read both forms EncodePFX writes and
// checks the algorithms it reports.
func TestEncodePFXOpenSSLReads(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	id, _ := issue(t, "Jan.Novak@tcn.cz.eu-admin.net", testca.RSA2048)
	const pw = "Tx9q-Hk3m-Wp7z-Rb2c"
	for _, legacy := range []bool{false, true} {
		data, err := identity.EncodePFX(id, pw, legacy)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "Mail.pfx")
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"pkcs12", "-info", "-nokeys", "-in", f, "-passin", "pass:" + pw}
		if legacy {
			args = append(args, "-legacy")
		}
		out := run(t, nil, openssl, args...)
		// openssl prints the MAC and encryption lines on stderr; re-run the
		// listing through a combined check of what matters on stdout.
		if n := bytes.Count(out, []byte("-----BEGIN CERTIFICATE-----")); n != 3 {
			t.Errorf("legacy=%v: openssl lists %d certificates, want 3", legacy, n)
		}
		if !bytes.Contains(out, []byte("Jan.Novak@tcn.cz.eu-admin.net")) {
			t.Errorf("legacy=%v: openssl output lacks the address:\n%s", legacy, out)
		}
		info := runCombined(t, openssl, args...)
		want := []string{"MAC: sha256", "PBES2, PBKDF2, AES-256-CBC"}
		if legacy {
			want = []string{"MAC: sha1", "pbeWithSHA1And3-KeyTripleDES-CBC"}
		}
		for _, w := range want {
			if !strings.Contains(info, w) {
				t.Errorf("legacy=%v: openssl -info lacks %q:\n%s", legacy, w, info)
			}
		}
		got, err := identity.ParsePFX(data, pw)
		if err != nil || !got.Certificate.Equal(id.Certificate) || len(got.Chain) != 2 {
			t.Errorf("legacy=%v: round trip: %v", legacy, err)
		}
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

// TestGpgsmImportsLegacyPFX: gpgsm imports only legacy PKCS #12; our legacy
// Mail.pfx must import and show the tester's address as a secret key.
func TestGpgsmImportsLegacyPFX(t *testing.T) {
	gpgsm := testenv.RequireTool(t, "gpgsm", "gpgsm")
	gpgconf := testenv.RequireTool(t, "gpgconf", "gpgconf")
	const addr = "Piet.Jansen@tcn.nl.eu-admin.net"
	id, _ := issue(t, addr, testca.RSA2048)
	const pw = "Kp4w-Zm8n-Qr2x-Hb6t"
	data, err := identity.EncodePFX(id, pw, true)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Setenv("GNUPGHOME", home)
	// gpgsm starts a gpg-agent for this home; stop that one agent.
	t.Cleanup(func() { runQuiet(gpgconf, "--kill", "gpg-agent") })
	f := filepath.Join(home, "Mail.pfx")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, []byte(pw+"\n"), gpgsm, "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--import", f)
	out := run(t, nil, gpgsm, "--batch", "--list-secret-keys")
	if !bytes.Contains(out, []byte(addr)) {
		t.Fatalf("gpgsm --list-secret-keys does not show %s:\n%s", addr, out)
	}
}
