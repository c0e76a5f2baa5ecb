package testca

import (
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"encoding/pem"
)

func TestIssueChainsToRoot(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []KeyType{RSA2048, P256} {
		is, err := ca.Issue(IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AddCert(ca.Root)
		inter := x509.NewCertPool()
		inter.AddCert(ca.Intermediate)
		if _, err := is.Certificate.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		if got := is.Certificate.EmailAddresses; len(got) != 1 || got[0] != "Marie.Curie@tcn.f.eu-admin.net" {
			t.Errorf("%s: SAN = %v", k, got)
		}
	}
}

// TestOpenSSLAcceptsChain has OpenSSL, an independent implementation, check
// the chain with the S/MIME purpose.
func TestOpenSSLAcceptsChain(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is required in CI")
		}
		t.Skip("openssl not installed")
	}
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(IssueOptions{Email: "Alain.Dupont@tcn.b.eu-admin.net", Key: P256})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, c *x509.Certificate) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out, err := exec.Command(openssl, "verify", "-purpose", "smimesign", "-CAfile", write("root.pem", ca.Root),
		"-untrusted", write("inter.pem", ca.Intermediate), write("leaf.pem", is.Certificate)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "OK") {
		t.Fatalf("openssl verify: %v\n%s", err, out)
	}
}
