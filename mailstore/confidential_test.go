package mailstore_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"securemail/mailstore"
)

func ids(rows []mailstore.Row) map[string]bool {
	m := map[string]bool{}
	for _, r := range rows {
		m[r.ID] = true
	}
	return m
}

func TestSearchAndConfidentialAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	seal := newSealer(t)
	const secret = "Quetzalcoatlus" // appears only in the plaintext of the encrypted message
	plain, err := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "Card batch", "Mon, 2 Jun 2025 10:00:00 +0200",
		"The tachograph cards for Liège are ready.\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := s.Add(ctx, mailstore.Inbox, seal.seal(alain, marie, "Encrypted batch", "Mon, 2 Jun 2025 11:00:00 +0200",
		"Codename "+secret+" for the enforcement cards.\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A message that looked plain but that opening reveals as encrypted (say an unusual Content-Type): its body
	// must leave the index once the caller says so.
	late, err := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "Late", "Mon, 2 Jun 2025 12:00:00 +0200",
		"Ornithomimus\n"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurity(ctx, late, mailstore.Security{Signature: mailstore.SigNone, Encrypted: true}); err != nil {
		t.Fatal(err)
	}

	if r, err := s.Search(ctx, "liege tachograph", mailstore.SearchOptions{}); err != nil || !ids(r.Rows)[plain] || len(r.Rows) != 1 {
		t.Errorf("search of a plain body (accents folded): %+v %v", r, err)
	}
	if r, _ := s.Search(ctx, "batch", mailstore.SearchOptions{}); len(r.Rows) != 2 {
		t.Errorf("the subject of an encrypted message is searchable: %+v", r.Rows)
	}
	if r, _ := s.Search(ctx, secret, mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Errorf("a word only in an encrypted body was found without Decrypt: %+v", r.Rows)
	}
	if r, _ := s.Search(ctx, "ornithomimus", mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Errorf("the body of a message marked encrypted is still indexed: %+v", r.Rows)
	}
	r, err := s.Search(ctx, "quetzal enforcement", mailstore.SearchOptions{Decrypt: seal.open})
	if err != nil || len(r.Rows) != 1 || r.Rows[0].ID != enc || r.Decrypted != 1 || r.Failed != 1 {
		// "late" is not really sealed: Decrypt fails on it and the failure is counted
		t.Errorf("search with Decrypt: %+v %v", r, err)
	}
	if r, _ := s.Search(ctx, "quetzal", mailstore.SearchOptions{Decrypt: seal.open, MaxDecrypt: 1}); r.Skipped != 1 {
		t.Errorf("MaxDecrypt 1 of 2 encrypted messages must report 1 skipped: %+v", r)
	}
	if r, _ := s.Search(ctx, `"AND NEAR( *`, mailstore.SearchOptions{}); len(r.Rows) != 0 {
		t.Errorf("FTS syntax in a query must be harmless: %+v", r)
	}
	s.Close()

	// Nothing in the mail folder — index, WAL, shared memory, message and metadata files — holds the secret.
	scan := func() {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == late+".eml" {
				return err // the late message was stored in clear by its sender: only the index matters for it
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, w := range []string{secret, "quetzalcoatlus", "Ornithomimus", "ornithomimus"} {
				if bytes.Contains(b, []byte(w)) {
					t.Errorf("%s contains the confidential word %q", p, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	scan()
	// Also while the store is open, with its WAL file live, and after a rebuild.
	s2, _ := open(t, dir, nil)
	if err := s2.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.db-wal")); err != nil {
		t.Fatalf("the test wants a live WAL file: %v", err)
	}
	scan()
}
