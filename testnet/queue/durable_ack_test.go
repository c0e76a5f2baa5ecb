package queue

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRetransmissionWaitsForTheOriginal: a retransmission of a message
// whose first copy is still being written (its fdatasync running) is not
// acknowledged as a duplicate before that copy is durable; when the first
// write fails, the retransmission is queued itself.
func TestRetransmissionWaitsForTheOriginal(t *testing.T) {
	dir := t.TempDir()
	q, entered, proceed := queueWithFailingFirstSync(t, dir)
	defer q.Close()
	q.j.mu.Unlock()
	env := Envelope{From: "a@x", To: []string{"r@y"}, EnvID: "E1"}
	first, second := make(chan error, 1), make(chan error, 1)
	go func() { _, err := q.Enqueue(context.Background(), env, strings.NewReader(msg)); first <- err }()
	<-entered
	go func() { _, err := q.Enqueue(context.Background(), env, strings.NewReader(msg)); second <- err }()
	select {
	case err := <-second:
		if err == nil {
			close(proceed)
			t.Fatal("the retransmission was acknowledged while the first copy was not yet on disk")
		}
	case <-time.After(300 * time.Millisecond):
		// Still waiting for the first copy, as it should.
	}
	close(proceed)
	if err := <-first; err == nil {
		t.Fatal("the first copy's failed fdatasync was not reported")
	}
	select {
	case err := <-second:
		if err != nil {
			t.Fatalf("the retransmission after the first copy failed: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the retransmission is still waiting after the first copy failed")
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q2, err := Open(Options{Dir: dir, Target: holdTarget{}, RetryInterval: time.Hour, Held: true})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	if ms := q2.List(); len(ms) != 1 || ms[0].EnvID != "E1" {
		t.Fatalf("after a restart the queue holds %+v, want the acknowledged retransmission E1", ms)
	}
}

// queueWithFailingFirstSync opens a held queue in dir whose first journal
// fdatasync blocks, signalling entered, until proceed is closed, and then
// fails with an injected I/O error; later fdatasyncs are real. It returns
// with the journal's lock held, so the caller can look at it before
// unlocking.
func queueWithFailingFirstSync(t *testing.T, dir string) (q *Queue, entered, proceed chan struct{}) {
	t.Helper()
	q, err := Open(Options{Dir: dir, Target: holdTarget{}, RetryInterval: time.Hour, Held: true})
	if err != nil {
		t.Fatal(err)
	}
	entered, proceed = make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	q.j.mu.Lock()
	q.j.sync = func(f *os.File) error {
		if calls.Add(1) == 1 {
			close(entered)
			<-proceed
			return errors.New("injected I/O error")
		}
		return fdatasync(f)
	}
	return q, entered, proceed
}
