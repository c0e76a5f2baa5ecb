package mailstore_test

import (
	"context"
	"testing"

	"securemail/mailstore"
)

// TestProtectedSubject: once opened, a message's protected Subject (RFC
// 9788) is what the list shows and what search finds — for an encrypted
// message, whose outer Subject is "[...]", and for a signed one whose outer
// Subject a relay rewrote (search finds the reader's Subject, not the
// outer one, and still the body) — also after the index is rebuilt from
// the files; an encrypted body stays out of the index.
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
	check := func(when string) {
		t.Helper()
		got := map[string]string{}
		for _, r := range listAll(t, s)["Inbox"] {
			got[r.ID] = r.Subject
		}
		if got[signed] != "Card file 7" || got[enc] != "Stegosaurus sighted" {
			t.Errorf("%s: subjects listed: %q and %q, want the protected ones", when, got[signed], got[enc])
		}
		for word, want := range map[string]string{"stegosaurus": enc, "card": signed, "x": signed, "invoice": "", "diplodocus": ""} {
			r, err := s.Search(ctx, word, mailstore.SearchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case want == "" && len(r.Rows) != 0:
				t.Errorf("%s: search for %q finds %+v, want nothing (the outer Subject a relay rewrote, an encrypted body)", when, word, r.Rows)
			case want != "" && (len(r.Rows) != 1 || r.Rows[0].ID != want):
				t.Errorf("%s: search for %q finds %+v, want %s", when, word, r.Rows, want)
			}
		}
	}
	check("once opened")
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("after Rebuild")
}
