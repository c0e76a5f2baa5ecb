package queue

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestExpiredTombstoneDoesNotReviveAJournalRecord: a message delivered
// long ago whose journal record is still in a segment (kept by a message
// never attempted before the network stopped) is not delivered again, nor
// reported as undeliverable, when the network is restarted more than its
// lifetime later and the tombstone has expired.
func TestExpiredTombstoneDoesNotReviveAJournalRecord(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	tg := &fakeTarget{clock: clk}
	q, err := Open(Options{Dir: dir, Target: tg, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"done@y"}, EnvID: "A"}, strings.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(0) // A delivered and finished
	if len(tg.got["done@y"]) != 1 {
		t.Fatalf("A delivered %d times, want once", len(tg.got["done@y"]))
	}
	// B lands in the same segment and is never attempted before Close.
	if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"later@y"}, EnvID: "B"}, strings.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}

	clk.Advance(q.o.Lifetime + 48*time.Hour) // the network stays stopped
	tg2 := &fakeTarget{clock: clk}
	n := &recNotifier{clock: clk}
	q2 := open(t, dir, tg2, n, clk)
	clk.Advance(0)
	if got := tg2.got["done@y"]; len(got) != 0 {
		t.Errorf("A, delivered before the stop, was delivered again %d times", len(got))
	}
	for _, nt := range n.notices {
		if nt.Meta.EnvID == "A" {
			t.Errorf("a %s notice was sent for A, which was delivered", nt.Kind)
		}
	}
	if ms := q2.List(); len(ms) != 0 {
		t.Errorf("queue after the restart: %+v, want empty (B failed past its lifetime)", ms)
	}
	// Restarting once more does not bring A back either.
	q2.Close()
	tg3 := &fakeTarget{clock: clk}
	q3 := open(t, dir, tg3, &recNotifier{clock: clk}, clk)
	clk.Advance(0)
	if len(tg3.got["done@y"]) != 0 || len(q3.List()) != 0 {
		t.Errorf("after a second restart: deliveries %v, queue %+v", tg3.got, q3.List())
	}
}
