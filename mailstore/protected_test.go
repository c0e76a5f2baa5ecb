package mailstore_test

import (
	"context"
	"testing"

	"securemail/mailstore"
)

// TestProtectedSubject: once opened, a message's protected Subject (RFC
// 9788) is what the list shows; for an encrypted message, whose outer
// Subject is "[...]", it is also what search finds, and its body stays out
// of the index.
func TestProtectedSubject(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t, t.TempDir(), nil)
	signed, err := s.Add(ctx, mailstore.Inbox, mail(marie, alain, "Pay invoice 9", "Mon, 2 Jun 2025 10:00:00 +0200", "x\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := s.Add(ctx, mailstore.Inbox, newSealer(t).seal(alain, marie, "[...]", "Thu, 5 Jun 2025 09:00:00 +0000", "Diplodocus"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, signed, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Subject: "Card file 7"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, enc, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Encrypted: true, Subject: "Stegosaurus sighted"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range listAll(t, s)["Inbox"] {
		got[r.ID] = r.Subject
	}
	if got[signed] != "Card file 7" || got[enc] != "Stegosaurus sighted" {
		t.Fatalf("subjects listed: %q and %q, want the protected ones", got[signed], got[enc])
	}
	if r, err := s.Search(ctx, "stegosaurus", mailstore.SearchOptions{}); err != nil || len(r.Rows) != 1 || r.Rows[0].ID != enc {
		t.Errorf("search for the protected Subject: %+v %v", r, err)
	}
	if r, _ := s.Search(ctx, "diplodocus", mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Errorf("the encrypted body is searchable: %+v", r.Rows)
	}
}
