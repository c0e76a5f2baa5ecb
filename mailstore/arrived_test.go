package mailstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"securemail/mailstore"
)

// The arrival time a fetch records is what signatures are judged at, for
// ever: it survives a move, a flag change, a rebuild of the index and the
// loss of the index file; a message composed here has none.
func TestArrivalTimeKept(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := open(t, dir, nil)
	arrived := time.Date(2026, 3, 2, 10, 4, 5, 678_000_000, time.UTC)
	fetched, err := s.Add(ctx, mailstore.Inbox, mail(alain, marie, "fetched", "Mon, 2 Mar 2026 10:02:00 +0000", "x"),
		mailstore.AddOptions{Source: &mailstore.Source{Account: "m", UIDL: "1"}, Arrived: arrived})
	if err != nil {
		t.Fatal(err)
	}
	local, err := s.Add(ctx, mailstore.Sent, mail(marie, alain, "sent", "Mon, 2 Mar 2026 10:02:00 +0000", "y"), mailstore.AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(stage string, s *mailstore.Store) {
		t.Helper()
		m, err := s.Get(ctx, fetched)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Arrived.Equal(arrived) {
			t.Errorf("%s: arrived %v, want %v", stage, m.Arrived, arrived)
		}
		l, err := s.Get(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		if !l.Arrived.IsZero() {
			t.Errorf("%s: a message composed here has an arrival time %v", stage, l.Arrived)
		}
	}
	check("after Add", s)
	if err := s.CreateFolder(ctx, "Kept"); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(ctx, []string{fetched}, "Kept"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFlags(ctx, []string{fetched}, mailstore.Seen, 0); err != nil {
		t.Fatal(err)
	}
	check("after a move and a flag change", s)
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("after Rebuild", s)
	s.Close()
	if err := os.Remove(filepath.Join(dir, "index.db")); err != nil {
		t.Fatal(err)
	}
	s2, _ := open(t, dir, nil)
	defer s2.Close()
	check("after the index was lost", s2)
}
