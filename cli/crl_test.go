package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/smime/crl"
	"securemail/testnet/testca"
)

// TestCRLImport: `crl import` keeps a list signed by the profile's EC CA and
// says what it holds; `crl list` shows it; a file that is no list, a list
// of an unknown authority and an older list are refused with one sentence
// and exit 2.
func TestCRLImport(t *testing.T) {
	dir := t.TempDir()
	ca, err := testca.Open(filepath.Join(dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := testca.New(testca.WithName("Stranger"))
	if err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "profile")
	p, err := profile.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	w := digitalid.Open(p, nil)
	now := time.Now()
	for i, c := range [][]byte{ca.Root.Raw, ca.Intermediate.Raw} {
		a, err := digitalid.InspectAuthority(c)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			err = w.TrustRoot(a, now)
		} else {
			err = w.AddAuthority(a, now)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if _, err := ca.Issue(testca.IssueOptions{Email: "Jan.Peeters@tcn.b.eu-admin.net", Key: testca.P256}); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Revoke(testca.Select{Email: "Jan.Peeters@tcn.b.eu-admin.net"}, crl.KeyCompromise, now); err != nil {
		t.Fatal(err)
	}
	current := write("current.crl", mustRead(t, filepath.Join(dir, "ca", testca.CRLFile)))
	older, _ := ca.NewCRL(nil, 0, now.Add(-time.Hour))
	foreign, _ := stranger.NewCRL(nil, 1, now)

	code, out, stderr := runInProfile(t, prof, "crl", "import", current)
	if code != ExitOK || !strings.Contains(out, "Revocation list of TESTA Test EC CA imported: 1 Digital ID revoked") {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runInProfile(t, prof, "crl", "list")
	if code != ExitOK || !strings.Contains(out, "TESTA Test EC CA") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"text.crl":    {[]byte("hello"), "is not a certificate revocation list"},
		"foreign.crl": {foreign, "an authority this profile does not know"},
		"older.crl":   {older, "A newer revocation list from this authority is already kept"},
	} {
		code, _, stderr := runInProfile(t, prof, "crl", "import", write(name, c.data))
		if code != ExitError || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", name, code, stderr, c.want)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSMIMEOpenWithCRL: `smime open --crl` judges with the list given: a
// message signed by a Digital ID that `testca revoke` revoked for a key
// compromise exits 1 with problem "revoked"; without the list it is valid.
func TestSMIMEOpenWithCRL(t *testing.T) {
	dir := t.TempDir()
	caDir, out := filepath.Join(dir, "ca"), filepath.Join(dir, "jan")
	const jan = "Jan.Peeters@tcn.b.eu-admin.net"
	if code, _, stderr := runCLI(t, nil, "testca", "issue", "--ca", caDir, "--out", out, "--email", jan, "--key", "p256"); code != ExitOK {
		t.Fatalf("issue: %s", stderr)
	}
	msg := "From: " + jan + "\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: Revoked\r\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
	code, signed, stderr := runCLI(t, []byte(msg), "smime", "sign", "--pfx", filepath.Join(out, testca.MailPFXFile), "--password-file", filepath.Join(out, testca.PasswordFile))
	if code != ExitOK {
		t.Fatalf("sign: %s", stderr)
	}
	if code, _, stderr := runCLI(t, nil, "testca", "revoke", "--ca", caDir, "--email", jan, "--reason", "keyCompromise"); code != ExitOK {
		t.Fatalf("revoke: %s", stderr)
	}
	root := filepath.Join(out, testca.RootCAFile)
	if code, rep, stderr := runCLI(t, signed, "smime", "open", "--trust", root); code != ExitOK || !strings.Contains(string(rep), `"signature": "valid"`) {
		t.Fatalf("without the CRL: exit %d %s %s", code, rep, stderr)
	}
	code, rep, stderr := runCLI(t, signed, "smime", "open", "--trust", root, "--crl", filepath.Join(caDir, testca.CRLFile))
	if code != ExitNegative || !strings.Contains(string(rep), `"problem": "revoked"`) || !strings.Contains(string(rep), "its key was compromised") {
		t.Fatalf("with the CRL: exit %d, want 1 and problem revoked\n%s%s", code, rep, stderr)
	}
	if code, _, stderr := runCLI(t, signed, "smime", "open", "--trust", root, "--crl", root); code != ExitError || !strings.Contains(stderr, "is not a certificate revocation list") {
		t.Fatalf("a certificate given as --crl: exit %d %q", code, stderr)
	}
}
