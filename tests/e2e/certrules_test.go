package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// TestFaultyDigitalIDsOnTheNetwork: Eve signs her own, honest-looking mail with Digital IDs that the network's own
// test CA issued but that break docs/SECURITY.md's certificate rules — a Digital ID that is itself a CA, an RSA key
// of 1024 bits, a P-224 key — and one with her proper Digital ID whose Subject hides its text direction with
// U+202E (in an encoded word). Marie fetches them: none of the faulty ones lists or opens as valid, and each says why (the report's
// problem); the hidden character shows as a marker in the list's text output, while --json keeps it raw. Control:
// the same mail signed with Eve's handout Digital ID is valid.
func TestFaultyDigitalIDsOnTheNetwork(t *testing.T) {
	needKeyring(t)
	n := startNetworkWith(t, threeTesters())
	pm := filepath.Join(t.TempDir(), "marie")
	mustRun(t, pm, "", "account", "setup", "--from-handout", n.handout(marie), "--trust-root")
	ca, err := testca.OpenExisting(filepath.Join(n.dir, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	faulty := []struct {
		subject, problem string
		opts             testca.IssueOptions
	}{
		{"f1 Digital ID that is a CA", "ca-certificate", testca.IssueOptions{Email: eve, Name: "Eve Kask", CA: true}},
		{"f2 RSA-1024 Digital ID", "weak-key", testca.IssueOptions{Email: eve, Name: "Eve Kask", PrivateKey: rsa1024}},
		{"f3 P-224 Digital ID", "unsupported-curve", testca.IssueOptions{Email: eve, Name: "Eve Kask", PrivateKey: p224}},
	}
	now := time.Now()
	message := func(subject string) []byte {
		return []byte("From: Eve Kask <" + eve + ">\r\nTo: " + marie + "\r\nSubject: " + subject + "\r\nDate: " +
			now.Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\n\r\nThe card file, as agreed.\r\n")
	}
	send := func(subject string, id *identity.Identity) {
		t.Helper()
		signed, err := smime.SignMessage(message(subject), id, smime.SignOptions{Now: now})
		if err != nil {
			t.Fatalf("%s: %v", subject, err)
		}
		if err := submitAs(t, n.handout(eve), eve, []string{marie}, signed); err != nil {
			t.Fatalf("%s: %v", subject, err)
		}
	}
	problems := map[string]string{}
	for _, f := range faulty {
		issued, err := ca.Issue(f.opts)
		if err != nil {
			t.Fatalf("%s: %v", f.subject, err)
		}
		send(f.subject, &identity.Identity{PrivateKey: issued.PrivateKey, Certificate: issued.Certificate, Chain: issued.Chain})
		problems[f.subject] = f.problem
	}
	// The hidden character travels as an RFC 2047 word (the network offers no SMTPUTF8), as a real attacker's would.
	const hidden = "c2 invoice \u202Efdp.exe"
	eveID := handoutIdentity(t, n.handout(eve))
	send("=?utf-8?q?c2_invoice_=E2=80=AEfdp.exe?=", eveID)
	send("c1 honest Eve", eveID)

	rows := fetchAll(t, pm, len(faulty)+2)
	seen := map[string]bool{}
	for _, r := range rows {
		var v struct {
			showReport
			Problem string `json:"problem"`
			Reason  string `json:"reason"`
		}
		jsonOutCode(t, pm, &v, "messages", "show", r.ID)
		seen[r.Subject] = true
		if want, ok := problems[r.Subject]; ok {
			if r.Signature == "valid" || v.Signature == "valid" {
				t.Errorf("%q reads valid (list %s, reader %s)", r.Subject, r.Signature, v.Signature)
			}
			if v.Problem != want {
				t.Errorf("%q: problem %q, want %q (%s)", r.Subject, v.Problem, want, v.Reason)
			}
			if v.Reason == "" {
				t.Errorf("%q: no sentence says why", r.Subject)
			}
			continue
		}
		if r.Signature != "valid" || v.Signature != "valid" {
			t.Errorf("control %q: list %s, reader %s (%s)", r.Subject, r.Signature, v.Signature, v.Reason)
		}
	}
	for _, s := range []string{"c1 honest Eve", hidden, faulty[0].subject, faulty[1].subject, faulty[2].subject} {
		if !seen[s] {
			t.Errorf("%q was not fetched (or its Subject changed in the JSON, which keeps raw values)", s)
		}
	}
	list := mustRun(t, pm, "", "messages", "list")
	if strings.ContainsRune(list, '\u202E') || !strings.Contains(list, "<U+202E>") {
		t.Errorf("the list's text output does not show the hidden character as a marker:\n%s", list)
	}
}
