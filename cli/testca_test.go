package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemail/smime/identity"
)

// runTestCACmd runs `securemail testca …` with buffers.
func runTestCACmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code = Run(context.Background(), env, append([]string{"testca"}, args...))
	return code, out.String(), errOut.String()
}

// TestTestCAIssue: the command writes the handout, reuses the CA on the
// second call, prints where it wrote what, the address, validity and
// fingerprint, and never the password.
func TestTestCAIssue(t *testing.T) {
	base := t.TempDir()
	caDir := filepath.Join(base, "ca")
	out1, out2 := filepath.Join(base, "marie"), filepath.Join(base, "jan")
	const pw = "Given-Pass-Word-42"
	code, stdout, stderr := runTestCACmd(t, "issue", "--ca", caDir, "--out", out1,
		"--email", "Marie.Curie@tcn.f.eu-admin.net", "--password", pw, "--days", "20", "--key", "p256")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{filepath.Join(out1, "Mail.pfx"), filepath.Join(out1, "Root_CA.cer"),
		filepath.Join(out1, "EC_CA.cer"), filepath.Join(out1, "password.txt"), "Marie.Curie@tcn.f.eu-admin.net", "Valid until:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, pw) {
		t.Error("the password was printed")
	}
	pwFile, err := os.ReadFile(filepath.Join(out1, "password.txt"))
	if err != nil || strings.TrimSpace(string(pwFile)) != pw {
		t.Fatalf("password.txt = %q, %v", pwFile, err)
	}
	pfx, _ := os.ReadFile(filepath.Join(out1, "Mail.pfx"))
	id, err := identity.ParsePFX(pfx, pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, identity.Fingerprint(id.Certificate)) {
		t.Errorf("output lacks the fingerprint %s", identity.Fingerprint(id.Certificate))
	}
	if !strings.Contains(stdout, id.Certificate.NotAfter.UTC().Format("2006-01-02")) {
		t.Errorf("output lacks the valid-until date %s", id.Certificate.NotAfter.UTC().Format("2006-01-02"))
	}
	if d := id.Certificate.NotAfter.Sub(id.Certificate.NotBefore).Hours() / 24; d != 20 {
		t.Errorf("valid for %v days, want 20", d)
	}
	if id.Certificate.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("--key p256 gave %v", id.Certificate.PublicKeyAlgorithm)
	}

	// A second tester gets a random password and the same Root CA.
	code, stdout, stderr = runTestCACmd(t, "issue", "--ca", caDir, "--out", out2, "--email", "Jan.Novak@tcn.cz.eu-admin.net", "--legacy")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pw2, _ := os.ReadFile(filepath.Join(out2, "password.txt"))
	if strings.Contains(stdout, strings.TrimSpace(string(pw2))) {
		t.Error("the random password was printed")
	}
	root1, _ := os.ReadFile(filepath.Join(out1, "Root_CA.cer"))
	root2, _ := os.ReadFile(filepath.Join(out2, "Root_CA.cer"))
	if !bytes.Equal(root1, root2) {
		t.Error("the second handout has another Root CA")
	}
	pfx2, _ := os.ReadFile(filepath.Join(out2, "Mail.pfx"))
	if _, err := identity.ParsePFX(pfx2, strings.TrimSpace(string(pw2))); err != nil {
		t.Errorf("legacy Mail.pfx: %v", err)
	}
}

// TestTestCAIssueAddressRule: an address outside the TESTA syntax is refused
// with the testaaddr package's sentence, and accepted with --any-address.
func TestTestCAIssueAddressRule(t *testing.T) {
	base := t.TempDir()
	caDir := filepath.Join(base, "ca")
	code, stdout, stderr := runTestCACmd(t, "issue", "--ca", caDir, "--out", filepath.Join(base, "x"), "--email", "marie.curie@example.com")
	if code != ExitError {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, `"marie.curie@example.com" is not a valid TESTA address: the domain must be tcn.<country>.eu-admin.net`) ||
		!strings.Contains(stderr, "--any-address") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("stderr = %q", stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(base, "x")); !os.IsNotExist(err) {
		t.Error("a refused address still wrote a handout folder")
	}
	code, _, stderr = runTestCACmd(t, "issue", "--ca", caDir, "--out", filepath.Join(base, "x"), "--email", "marie.curie@example.com", "--any-address")
	if code != ExitOK {
		t.Fatalf("--any-address: exit %d: %s", code, stderr)
	}
}

// TestTestCAIssueUsage: missing or wrong options exit 2 with one sentence;
// --help exits 0 and lists the options.
func TestTestCAIssueUsage(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"no --ca":    {"issue", "--out", dir, "--email", "Marie.Curie@tcn.f.eu-admin.net"},
		"no --email": {"issue", "--ca", dir, "--out", dir},
		"bad key":    {"issue", "--ca", dir, "--out", dir, "--email", "Marie.Curie@tcn.f.eu-admin.net", "--key", "dsa"},
		"bad days":   {"issue", "--ca", dir, "--out", dir, "--email", "Marie.Curie@tcn.f.eu-admin.net", "--days", "0"},
		"bad flag":   {"issue", "--colour"},
		"bad sub":    {"revoke"},
	}
	for name, args := range cases {
		code, _, stderr := runTestCACmd(t, args...)
		if code != ExitError || !strings.HasPrefix(stderr, "securemail: ") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
	code, stdout, _ := runTestCACmd(t, "issue", "--help")
	if code != ExitOK || !strings.Contains(stdout, "--any-address") || !strings.Contains(stdout, "--legacy") {
		t.Errorf("--help: exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runTestCACmd(t, "--help")
	if code != ExitOK || !strings.Contains(stdout, "issue") {
		t.Errorf("testca --help: exit %d:\n%s", code, stdout)
	}
}

// TestTestCARevoke: `testca revoke --email` revokes the tester's Digital ID
// and writes a CRL listing it with the reason; usage errors and an
// address the CA never issued for exit 2 and change nothing.
func TestTestCARevoke(t *testing.T) {
	base := t.TempDir()
	caDir := filepath.Join(base, "ca")
	const jan = "Jan.Peeters@tcn.b.eu-admin.net"
	if code, _, stderr := runTestCACmd(t, "issue", "--ca", caDir, "--out", filepath.Join(base, "jan"), "--email", jan, "--key", "p256"); code != ExitOK {
		t.Fatalf("issue: exit %d: %s", code, stderr)
	}
	pfx, _ := os.ReadFile(filepath.Join(base, "jan", "Mail.pfx"))
	pw, _ := os.ReadFile(filepath.Join(base, "jan", "password.txt"))
	id, err := identity.ParsePFX(pfx, strings.TrimSpace(string(pw)))
	if err != nil {
		t.Fatal(err)
	}

	for _, bad := range [][]string{
		{"revoke", "--email", jan},
		{"revoke", "--ca", caDir},
		{"revoke", "--ca", caDir, "--email", jan, "--serial", "01"},
		{"revoke", "--ca", caDir, "--email", jan, "--reason", "boredom"},
		{"revoke", "--ca", caDir, "--serial", "xyz"},
		{"revoke", "--ca", caDir, "--email", "Nobody.Else@tcn.b.eu-admin.net"},
		{"revoke", "--ca", filepath.Join(base, "none"), "--email", jan},
	} {
		code, _, stderr := runTestCACmd(t, bad...)
		if code != ExitError || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one sentence", bad, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(caDir, "EC_CA.crl")); err == nil {
		t.Fatal("a refused revocation wrote a CRL")
	}

	code, stdout, stderr := runTestCACmd(t, "revoke", "--ca", caDir, "--email", strings.ToLower(jan), "--reason", "keyCompromise")
	if code != ExitOK {
		t.Fatalf("revoke: exit %d: %s", code, stderr)
	}
	serial := strings.ToUpper(fmt.Sprintf("%02x", id.Certificate.SerialNumber.Bytes()))
	for _, want := range []string{"Revoked " + jan, serial, "keyCompromise", filepath.Join(caDir, "EC_CA.crl")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	der, err := os.ReadFile(filepath.Join(caDir, "EC_CA.crl"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.RevokedCertificateEntries) != 1 || l.RevokedCertificateEntries[0].SerialNumber.Cmp(id.Certificate.SerialNumber) != 0 ||
		l.RevokedCertificateEntries[0].ReasonCode != 1 {
		t.Fatalf("CRL entries %+v, want Jan's serial with reason keyCompromise (1)", l.RevokedCertificateEntries)
	}
	if err := l.CheckSignatureFrom(id.Chain[0]); err != nil {
		t.Fatalf("the CRL is not signed by the EC CA: %v", err)
	}
	// By serial, as OpenSSL prints it (colon-separated hex).
	var colon []string
	for i := 0; i < len(serial); i += 2 {
		colon = append(colon, serial[i:min(i+2, len(serial))])
	}
	if code, stdout, stderr := runTestCACmd(t, "revoke", "--ca", caDir, "--serial", strings.Join(colon, ":")); code != ExitOK || !strings.Contains(stdout, "Already revoked") {
		t.Fatalf("revoke by serial again: exit %d: %s%s", code, stdout, stderr)
	}
}
