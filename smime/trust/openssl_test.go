//go:build !windows

// OpenSSL is a Linux peer: not part of the Windows build of the tests.

package trust

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime/crl"
	"securemail/testnet/testca"
	"securemail/tests/testenv"
)

// TestCRLWithOpenSSL: OpenSSL reads the CRL `testca revoke` writes (issuer,
// number, the revoked serial and its reason), and `openssl verify
// -crl_check` agrees with Evaluate on a revoked Digital ID and on one that
// is not revoked.
func TestCRLWithOpenSSL(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	ca, err := testca.Open(filepath.Join(dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := ca.Issue(testca.IssueOptions{Email: marie})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := ca.Issue(testca.IssueOptions{Email: "Jan.Peeters@tcn.b.eu-admin.net"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Revoke(testca.Select{Email: marie}, crl.KeyCompromise, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	crlDER := filepath.Join(dir, "ca", testca.CRLFile)

	text, err := testenv.Run(ctx, nil, openssl, "crl", "-inform", "DER", "-in", crlDER, "-noout", "-text")
	if err != nil {
		t.Fatal(err)
	}
	hex := func(c *x509.Certificate) string { return strings.ToUpper(fmt.Sprintf("%02x", c.SerialNumber.Bytes())) }
	serial := hex(revoked.Certificate)
	for _, want := range []string{"CN = TESTA Test EC CA", "X509v3 CRL Number", "Serial Number: " + serial,
		"Key Compromise", "Next Update"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("openssl crl -text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), hex(kept.Certificate)) {
		t.Error("OpenSSL lists Jan's serial, which was not revoked")
	}

	write := func(name, typ string, der ...[]byte) string {
		var b []byte
		for _, d := range der {
			b = append(b, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})...)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw, err := os.ReadFile(crlDER)
	if err != nil {
		t.Fatal(err)
	}
	crlPEM := write("crl.pem", "X509 CRL", raw)
	root := write("root.pem", "CERTIFICATE", ca.Root.Raw)
	inter := write("inter.pem", "CERTIFICATE", ca.Intermediate.Raw)
	l, err := crl.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	policy := Policy{Roots: []*x509.Certificate{ca.Root}, Intermediates: []*x509.Certificate{ca.Intermediate}, CRLs: []*x509.RevocationList{l}}

	for _, c := range []struct {
		name string
		cert *x509.Certificate
		want Problem
	}{{"revoked", revoked.Certificate, Revoked}, {"not revoked", kept.Certificate, OK}} {
		leaf := write(c.name+".pem", "CERTIFICATE", c.cert.Raw)
		out, verr := testenv.Run(ctx, nil, openssl, "verify", "-crl_check", "-CAfile", root, "-untrusted", inter, "-CRLfile", crlPEM, leaf)
		ours := Evaluate(c.cert, nil, policy)
		if ours.Problem != c.want {
			t.Errorf("%s: Evaluate says %q (%s), want %q", c.name, ours.Problem, ours.Reason, c.want)
		}
		opensslOK := verr == nil && strings.Contains(string(out), ": OK")
		if opensslOK != (ours.Problem == OK) {
			t.Errorf("%s: OpenSSL verify -crl_check (%s %v) disagrees with Evaluate (%q)", c.name, out, verr, ours.Problem)
		}
		if c.want == Revoked && (verr == nil || !strings.Contains(verr.Error(), "certificate revoked")) {
			t.Errorf("%s: OpenSSL did not say the certificate is revoked: %v", c.name, verr)
		}
	}
}
