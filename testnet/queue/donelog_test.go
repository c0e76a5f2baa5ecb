package queue

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTornTombstoneLineDoesNotSwallowTheNext: a done.log line cut short
// by a crash does not swallow the tombstone appended after the restart:
// the finished message is still recognised at the run after, and a
// retransmission of it is dropped.
func TestTornTombstoneLineDoesNotSwallowTheNext(t *testing.T) {
	dir := t.TempDir()
	run := func(envID string) {
		q, err := Open(Options{Dir: dir, Target: &countTarget{}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"r@y"}, EnvID: envID}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
		drain(t, q)
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}
	}
	run("E1")
	f, err := os.OpenFile(filepath.Join(dir, doneLog), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"0123","envid":"E0","rc`) // the crash
	f.Close()
	run("E2")

	tg := &countTarget{}
	q, err := Open(Options{Dir: dir, Target: tg, RetryInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for _, e := range []string{"E1", "E2"} {
		if !q.Seen(e, "r@y") {
			t.Errorf("%s, delivered before the restart, is not remembered", e)
		}
	}
	rc, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"r@y"}, EnvID: "E2"}, strings.NewReader(msg))
	if err != nil || len(rc.Duplicates) != 1 {
		t.Errorf("retransmission of E2: %+v, %v; want it recognised as a duplicate", rc, err)
	}
}
