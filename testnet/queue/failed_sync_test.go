package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// TestFailedSyncAcknowledgesNothingOfItsSegment: when an fdatasync of a
// segment fails, no record of that segment not already durable is
// acknowledged, even if the segment is rotated (and fsynced again, which
// then reports nothing) meanwhile; records in the next segment are.
func TestFailedSyncAcknowledgesNothingOfItsSegment(t *testing.T) {
	dir := t.TempDir()
	q, entered, proceed := queueWithFailingFirstSync(t, dir)
	defer q.Close()
	firstSeg := q.j.seg
	q.j.mu.Unlock()
	enq := func(env string) chan error {
		ch := make(chan error, 1)
		go func() {
			_, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"r@y"}, EnvID: env}, strings.NewReader(msg))
			ch <- err
		}()
		return ch
	}
	a := enq("A") // runs the failing fdatasync
	<-entered
	w := enq("W") // waits for the next fdatasync of the same segment
	testenv.Eventually(t, time.Minute, func() error {
		q.j.mu.Lock()
		defer q.j.mu.Unlock()
		if q.j.written != 2 {
			return fmt.Errorf("%d records written to the journal, want 2", q.j.written)
		}
		return nil
	})
	q.j.mu.Lock()
	q.j.max = 1 // the next append starts a new segment
	q.j.mu.Unlock()
	c := enq("C")
	// Give C the chance to rotate while A's fdatasync is running (the test
	// holds whether it did or not: only C's acknowledgement is checked).
	chance, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	_ = testenv.Until(chance, func() error {
		q.j.mu.Lock()
		defer q.j.mu.Unlock()
		if q.j.seg == firstSeg {
			return errors.New("C has not rotated the segment")
		}
		return nil
	})
	cancel()
	close(proceed)
	if err := <-a; err == nil {
		t.Error("A: its failed fdatasync was not reported")
	}
	if err := <-w; err == nil {
		t.Error("W was acknowledged although the fdatasync of its segment failed")
	}
	if err := <-c; err != nil {
		t.Fatalf("C, in the next segment, failed: %v", err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q2, err := Open(Options{Dir: dir, Target: holdTarget{}, RetryInterval: time.Hour, Held: true})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	found := false
	for _, m := range q2.List() {
		found = found || m.EnvID == "C"
	}
	if !found {
		t.Errorf("the acknowledged C is gone after a restart: %+v", q2.List())
	}
}
