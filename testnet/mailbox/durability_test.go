package mailbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"securemail/internal/durable"
	"securemail/tests/testenv"
)

// scriptedSync replaces a store's folder fsync: call i (from 1) blocks
// until release[i] is closed when there is one, and fails when fail[i].
type scriptedSync struct {
	mu      sync.Mutex
	calls   int
	entered map[int]chan struct{}
	release map[int]chan struct{}
	fail    map[int]bool
}

func (s *scriptedSync) sync(dir string) error {
	s.mu.Lock()
	s.calls++
	n := s.calls
	en, rel := s.entered[n], s.release[n]
	s.mu.Unlock()
	if en != nil {
		close(en)
	}
	if rel != nil {
		<-rel
	}
	if s.fail[n] {
		return errors.New("injected I/O error")
	}
	return durable.SyncDir(dir)
}

// pendingRenames is how many renames into user's new/ were counted by
// its folder syncer.
func pendingRenames(s *Store, user string) uint64 {
	d := s.syncer(filepath.Join(s.dir, strings.ToLower(user), "new"))
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.renamed
}

// TestFailedFolderSyncFailsEveryDeliveryItCovered: when the shared folder
// fsync fails, every delivery whose rename it was to make durable fails
// (not only the one that ran it), and a retry of each leaves the message
// in the mailbox once.
func TestFailedFolderSyncFailsEveryDeliveryItCovered(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := &scriptedSync{
		entered: map[int]chan struct{}{1: make(chan struct{})},
		release: map[int]chan struct{}{1: make(chan struct{})},
		fail:    map[int]bool{2: true},
	}
	s.syncDir = sc.sync
	const u = "marie"
	deliver := func(body string) chan error {
		ch := make(chan error, 1)
		go func() { _, err := s.Deliver(u, "", strings.NewReader(body)); ch <- err }()
		return ch
	}
	a := deliver("Subject: a\r\n\r\na\r\n") // its fsync (call 1) is held
	<-sc.entered[1]
	b := deliver("Subject: b\r\n\r\nb\r\n")
	c := deliver("Subject: c\r\n\r\nc\r\n")
	testenv.Eventually(t, time.Minute, func() error {
		if n := pendingRenames(s, u); n != 3 {
			return fmt.Errorf("%d renames wait for the folder fsync, want 3", n)
		}
		return nil
	})
	close(sc.release[1]) // A's fsync succeeds; the next one, covering B and C, fails
	if err := <-a; err != nil {
		t.Fatalf("A: %v", err)
	}
	errB, errC := <-b, <-c
	if errB == nil || errC == nil {
		t.Errorf("B: %v, C: %v; want both to fail (the folder fsync covering both renames failed)", errB, errC)
	}
	// The sender retries what failed.
	if errB != nil {
		if _, err := s.Deliver(u, "", strings.NewReader("Subject: b\r\n\r\nb\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	if errC != nil {
		if _, err := s.Deliver(u, "", strings.NewReader("Subject: c\r\n\r\nc\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	ms, _ := s.List(u)
	count := map[string]int{}
	for _, m := range ms {
		b, _ := s.Bytes(u, m.UID)
		count[string(b)]++
	}
	if len(ms) != 3 || len(count) != 3 {
		t.Errorf("mailbox after the retries: %v, want a, b and c once each", count)
	}
}

// TestRetransmissionNotAcknowledgedBeforeTheFolderSync: a second delivery
// with the same key, arriving while the first one's message file is
// renamed but its folder fsync is still running, is not reported as a
// duplicate before that fsync; if the fsync fails, the second delivery
// stores the message itself.
func TestRetransmissionNotAcknowledgedBeforeTheFolderSync(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := &scriptedSync{
		entered: map[int]chan struct{}{1: make(chan struct{})},
		release: map[int]chan struct{}{1: make(chan struct{})},
		fail:    map[int]bool{1: true},
	}
	s.syncDir = sc.sync
	const u, body = "marie", "Subject: k\r\n\r\nk\r\n"
	type result struct {
		dup bool
		err error
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() { dup, err := s.Deliver(u, "env-k", strings.NewReader(body)); first <- result{dup, err} }()
	<-sc.entered[1]
	go func() { dup, err := s.Deliver(u, "env-k", strings.NewReader(body)); second <- result{dup, err} }()
	select {
	case r := <-second:
		if r.err == nil {
			close(sc.release[1])
			t.Fatalf("the retransmission was acknowledged (duplicate=%v) before the first copy's folder fsync finished", r.dup)
		}
	case <-time.After(300 * time.Millisecond):
		// Waiting for the first copy, as it should.
	}
	close(sc.release[1])
	if r := <-first; r.err == nil {
		t.Fatal("the first delivery's failed folder fsync was not reported")
	}
	if r := <-second; r.err != nil {
		t.Fatalf("the retransmission failed: %v", r.err)
	}
	if ms, _ := s.List(u); len(ms) != 1 {
		t.Fatalf("%d messages in the mailbox, want the retransmitted one once", len(ms))
	}
}

// TestTornSeenLogLine: a line of seen.log cut short by a crash does not
// swallow the next record appended after the restart: a retransmission
// of that next delivery is still recognised, even after the user deleted
// the message.
func TestTornSeenLogLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seen.log"), []byte("marie/00112233445566778899aabbccddeeff\nmarie/0011"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const u, body = "marie", "Subject: x\r\n\r\nx\r\n"
	if _, err := s.Deliver(u, "env-x", strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	ms, _ := s.List(u)
	if err := s.Delete(u, []string{ms[0].UID}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dup, err := s.Deliver(u, "env-x", strings.NewReader(body))
	if err != nil || !dup {
		t.Fatalf("retransmission after a restart: duplicate=%v, %v; want it recognised", dup, err)
	}
	if ms, _ := s.List(u); len(ms) != 0 {
		t.Fatalf("the deleted message came back: %d messages", len(ms))
	}
}
