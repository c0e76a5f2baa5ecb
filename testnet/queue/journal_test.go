package queue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestJournalGroupCommitAndRestart: concurrent Enqueues share fdatasyncs
// and every acknowledged message is there after a restart, intact.
func TestJournalGroupCommitAndRestart(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	q, err := Open(Options{Dir: dir, Target: &fakeTarget{clock: clk}, Clock: clk, Held: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{fmt.Sprintf("r%d@y", i)}, EnvID: fmt.Sprint("e", i)},
				strings.NewReader(msg+strings.Repeat("x", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if q.j.syncs > n || q.j.syncs == 0 {
		t.Errorf("%d fdatasyncs for %d messages", q.j.syncs, n)
	}
	t.Logf("%d fdatasyncs for %d concurrent messages", q.j.syncs, n)
	q.Close()

	tg := &fakeTarget{clock: clk}
	q2 := open(t, dir, tg, nil, clk)
	if got := len(q2.List()); got != n {
		t.Fatalf("%d messages after the restart, want %d", got, n)
	}
	clk.Advance(0)
	for i := 0; i < n; i++ {
		if got := tg.got[fmt.Sprintf("r%d@y", i)]; len(got) != 1 || got[0] != msg+strings.Repeat("x", i) {
			t.Fatalf("r%d@y received %q, want its message once", i, got)
		}
	}
	if !q2.Seen("e7", "r7@y") {
		t.Error("the envelope ids of journal records are not remembered after a restart")
	}
}

// TestJournalTornTailIgnored: a record cut short by a crash (never
// acknowledged) and anything after it are ignored; the records before it
// are delivered.
func TestJournalTornTailIgnored(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	q := open(t, dir, &fakeTarget{clock: clk, fail: func(string, int) error { return errors.New("down") }}, nil, clk)
	for i := 0; i < 2; i++ {
		if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{fmt.Sprintf("r%d@y", i)}}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
	}
	seg := filepath.Join(dir, segName(q.j.seg))
	b, _ := os.ReadFile(seg)
	q.Close()
	// Keep the first record whole and half of the second.
	first := 0
	readSegment(seg, 0, func(m Meta, loc jloc) {
		if first == 0 {
			first = int(loc.off + loc.size)
		}
	})
	if first == 0 || first >= len(b) {
		t.Fatalf("journal layout unexpected (first record ends at %d of %d)", first, len(b))
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.HasSuffix(e, ".json") || strings.HasSuffix(e, ".msg") {
			t.Fatalf("a message left the journal without a state change: %s", e)
		}
	}
	os.WriteFile(seg, b[:first+(len(b)-first)/2], 0o600)

	tg := &fakeTarget{clock: clk}
	q2 := open(t, dir, tg, nil, clk)
	clk.Advance(0)
	if tg.count() != 1 || len(tg.got["r0@y"]) != 1 {
		t.Fatalf("after a torn tail: %d deliveries (%v), want r0@y's message only", tg.count(), tg.got)
	}
	q2.Close()
}

// TestJournalMoveOutAndSegmentRemoval: a deferred message is copied to its
// own files, survives a restart without being doubled by its journal
// record, and segments whose messages are all gone are removed.
func TestJournalMoveOutAndSegmentRemoval(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	failing := true
	var mu sync.Mutex
	tg := &fakeTarget{clock: clk, fail: func(to string, _ int) error {
		mu.Lock()
		defer mu.Unlock()
		if failing && to == "slow@y" {
			return errors.New("451 try later")
		}
		return nil
	}}
	q := open(t, dir, tg, nil, clk)
	q.j.max = 1 // every message starts a new segment
	for _, to := range []string{"slow@y", "fast@y", "fast2@y"} {
		if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{to}}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(0)
	ms := q.List()
	if len(ms) != 1 || ms[0].Rcpts[0].To != "slow@y" || ms[0].Rcpts[0].Status != Deferred {
		t.Fatalf("queue after the first attempts: %+v", ms)
	}
	if _, err := os.Stat(filepath.Join(dir, ms[0].ID+msgExt)); err != nil {
		t.Errorf("the deferred message has no file of its own: %v", err)
	}
	q.Close()
	if segs, _ := segments(dir); len(segs) != 0 {
		t.Errorf("segments %v left, want none (every message delivered or copied out)", segs)
	}

	mu.Lock()
	failing = false
	mu.Unlock()
	tg2 := &fakeTarget{clock: clk}
	q2 := open(t, dir, tg2, nil, clk)
	if ms := q2.List(); len(ms) != 1 || ms[0].Rcpts[0].Status != Deferred {
		t.Fatalf("after the restart: %+v, want the deferred message once", ms)
	}
	clk.Advance(q2.o.RetryInterval)
	if len(tg2.got["slow@y"]) != 1 || len(q2.List()) != 0 {
		t.Fatalf("retry after the restart delivered %v, queue %+v", tg2.got, q2.List())
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
