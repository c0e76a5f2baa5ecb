package mailstore_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemail/mailstore"
)

// TestProtectedSubject: once opened, a signed message's protected Subject
// (RFC 9788) is what the list shows; an encrypted message's is never
// written (confidential at rest): the list keeps its outer "[...]".
func TestProtectedSubject(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	signed, err := s.Add(ctx, mailstore.Inbox, mail(marie, alain, "Pay invoice 9", "Mon, 2 Jun 2025 10:00:00 +0200", "x\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := s.Add(ctx, mailstore.Inbox, newSealer(t).seal(alain, marie, "[...]", "Thu, 5 Jun 2025 09:00:00 +0000", "secret"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, signed, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Subject: "Card file 7"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, enc, mailstore.Security{Signed: true, Signature: mailstore.SigValid, Encrypted: true, Subject: "Stegosaurus"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range listAll(t, s)["Inbox"] {
		got[r.ID] = r.Subject
	}
	if got[signed] != "Card file 7" || got[enc] != "[...]" {
		t.Fatalf("subjects listed: signed %q (want the protected one), encrypted %q (want [...])", got[signed], got[enc])
	}
	s.Close()
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(strings.ToLower(string(b)), "stegosaurus") {
			t.Errorf("%s holds an encrypted message's protected Subject", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
