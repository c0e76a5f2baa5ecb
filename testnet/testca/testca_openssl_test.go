//go:build !windows

// OpenSSL is a Linux peer: not part of the Windows build of the tests.

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
