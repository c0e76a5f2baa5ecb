package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/mailstore"
	"securemail/smime"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// TestMessagesShowProtectedHeader: a message signed with its header
// protected (RFC 9788) whose outer Subject a relay rewrote is shown with
// the signed Subject, a warning about the rewritten one, and in --json the
// protected_subject and header_differences.
func TestMessagesShowProtectedHeader(t *testing.T) {
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: "Eve.Kask@tcn.b.eu-admin.net"})
	if err != nil {
		t.Fatal(err)
	}
	id := &identity.Identity{PrivateKey: is.PrivateKey, Certificate: is.Certificate, Chain: is.Chain}
	msg := "From: Eve.Kask@tcn.b.eu-admin.net\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: Card file 7\r\n" +
		"Date: Sun, 1 Mar 2026 10:02:00 +0000\r\n\r\nThe card file.\r\n"
	signed, err := smime.SignMessage([]byte(msg), id, smime.SignOptions{Protect: smime.ProtectClear, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(signed, []byte("Subject: Card file 7\r\nDate"), []byte("Subject: Pay invoice 9\r\nDate"), 1)
	profile := t.TempDir()
	st, err := mailstore.Open(context.Background(), filepath.Join(profile, "mail"), mailstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mid, err := st.Add(context.Background(), mailstore.Inbox, forged, mailstore.AddOptions{})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	_, out, stderr := runInProfile(t, profile, "messages", "show", mid)
	for _, want := range []string{"Subject: Card file 7", "Careful: the unprotected Subject differs from the signed one."} {
		if !strings.Contains(out, want) {
			t.Errorf("messages show does not print %q:\n%s%s", want, out, stderr)
		}
	}
	_, out, stderr = runInProfile(t, profile, "messages", "show", mid, "--json")
	var v struct {
		Subject           string                   `json:"subject"`
		ProtectedSubject  string                   `json:"protected_subject"`
		HeaderProtection  string                   `json:"header_protection"`
		HeaderDifferences []smime.HeaderDifference `json:"header_differences"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("messages show --json: %v, %s%s", err, out, stderr)
	}
	want := smime.HeaderDifference{Field: "Subject", Signed: "Card file 7", Unprotected: "Pay invoice 9"}
	if v.Subject != "Card file 7" || v.ProtectedSubject != "Card file 7" || v.HeaderProtection != "clear" ||
		len(v.HeaderDifferences) != 1 || v.HeaderDifferences[0] != want {
		t.Errorf("--json: %+v", v)
	}
}
