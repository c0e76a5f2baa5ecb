//go:build !windows

// OpenSSL makes the SHA-1 signature: a Linux peer, not part of the Windows
// build of the tests.

package smime

import (
	"crypto/x509"
	"strings"
	"testing"

	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestOpenSHA1SignatureIsWeak: a valid signature over a SHA-1 digest (made
// by OpenSSL, as old clients do) is reported as a weak algorithm, naming it.
func TestOpenSHA1SignatureIsWeak(t *testing.T) {
	testenv.RequireTool(t, "openssl", "openssl")
	w := newWorld(t)
	const addr = "Marie.Curie@tcn.f.eu-admin.net"
	good := w.issue(t, testca.IssueOptions{Email: addr, Key: testca.P256})
	in := writeFile(t, t.TempDir(), "entity", []byte("Content-Type: text/plain\r\n\r\nold style\r\n"))
	out := run(t, nil, "openssl", "cms", "-sign", "-md", "sha1", "-in", in, "-signer", good.certPEM, "-inkey", good.keyPEM, "-certfile", good.chainPEM)
	r, err := Open(append([]byte("From: "+addr+"\r\n"), out...), OpenOptions{Roots: []*x509.Certificate{w.ca.Root}})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if r.Signature != StatusWeakAlgorithm || !strings.Contains(r.Reason, "SHA-1") {
		t.Fatalf("signature %q, reason %q; want %q with %q", r.Signature, r.Reason, StatusWeakAlgorithm, "SHA-1")
	}
	if !r.Signed || r.Signer == "" {
		t.Fatalf("signed %v, signer %q", r.Signed, r.Signer)
	}
}
