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
	"time"

	"securemail/tests/testenv"
)

// The journal's risky moments: each test below puts the queue in one of
// them and checks what a user of the network would check — every
// acknowledged message is delivered, exactly once.

// countTarget accepts every recipient and counts acceptances per
// (envelope id, recipient).
type countTarget struct {
	mu  sync.Mutex
	got map[string]int
}

func (c *countTarget) Deliver(_ context.Context, d Delivery) []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.got == nil {
		c.got = map[string]int{}
	}
	for _, to := range d.To {
		c.got[d.EnvID+" "+to]++
	}
	return make([]error, len(d.To))
}

func (c *countTarget) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.got {
		out[k] = v
	}
	return out
}

// drain waits until q holds no message.
func drain(t *testing.T, q *Queue) {
	t.Helper()
	testenv.Eventually(t, time.Minute, func() error {
		if n := len(q.List()); n > 0 {
			return fmt.Errorf("the queue still holds %d messages", n)
		}
		return nil
	})
}

func enqueueN(t *testing.T, q *Queue, prefix string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"r@y"}, EnvID: fmt.Sprint(prefix, i)}, strings.NewReader(msg)); err != nil {
			t.Fatal(err)
		}
	}
}

// blockTarget never answers before the attempt is cancelled.
type blockTarget struct{}

func (blockTarget) Deliver(ctx context.Context, d Delivery) []error {
	<-ctx.Done()
	errs := make([]error, len(d.To))
	for i := range errs {
		errs[i] = ctx.Err()
	}
	return errs
}

// TestReopenDeliversLeftMessagesOnce: a queue reopened (not held) over
// many messages left in the journal starts delivering them while it is
// still scheduling the others; each is delivered once (run with -race:
// scheduling and the first attempts share the queue's state).
func TestReopenDeliversLeftMessagesOnce(t *testing.T) {
	dir := t.TempDir()
	// Attempts that never end: at Close most messages are still in the
	// journal, never attempted; the few running are deferred.
	q, err := Open(Options{Dir: dir, Target: blockTarget{}, RetryInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	enqueueN(t, q, "e", n)
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	tg := &countTarget{}
	q2 := open(t, dir, tg, nil, SystemClock{})
	drain(t, q2)
	got := tg.counts()
	for i := 0; i < n; i++ {
		if c := got[fmt.Sprint("e", i, " r@y")]; c != 1 {
			t.Errorf("e%d delivered %d times after the reopen, want once", i, c)
		}
	}
}

// TestTornTailThenNewAppendsThenRestart: after a crash left half a record
// at the end of a segment, the records appended by the next run are not
// lost at the run after it (they do not land behind the garbage).
func TestTornTailThenNewAppendsThenRestart(t *testing.T) {
	dir := t.TempDir()
	held := func() *Queue {
		q, err := Open(Options{Dir: dir, Target: holdTarget{}, RetryInterval: time.Hour, Held: true})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	q := held()
	enqueueN(t, q, "a", 3)
	seg := filepath.Join(dir, segName(q.j.seg))
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	// The crash: a fourth record cut in half (never acknowledged).
	rec := b[2*len(b)/3:]
	f, err := os.OpenFile(seg, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(rec[:len(rec)/2])
	f.Close()

	q = held()
	if got := len(q.List()); got != 3 {
		t.Fatalf("%d messages after the torn tail, want 3", got)
	}
	enqueueN(t, q, "b", 3)
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	tg := &countTarget{}
	q = open(t, dir, tg, nil, SystemClock{})
	q.Kick()
	drain(t, q)
	got := tg.counts()
	for _, p := range []string{"a", "b"} {
		for i := 0; i < 3; i++ {
			if c := got[fmt.Sprint(p, i, " r@y")]; c != 1 {
				t.Errorf("%s%d delivered %d times, want once", p, i, c)
			}
		}
	}
}

// orderTarget finishes a message's recipients in different orders: z@y
// is deferred at its first attempt, a@y at its second, everyone else is
// accepted at once.
type orderTarget struct {
	countTarget
	mu    sync.Mutex
	tries map[string]int
}

func (o *orderTarget) Deliver(ctx context.Context, d Delivery) []error {
	o.mu.Lock()
	if o.tries == nil {
		o.tries = map[string]int{}
	}
	errs := make([]error, len(d.To))
	var ok []string
	for i, to := range d.To {
		k := d.EnvID + " " + to
		o.tries[k]++
		switch {
		case to == "z@y" && o.tries[k] == 1, to == "a@y" && o.tries[k] == 2:
			errs[i] = errors.New("451 try later")
		default:
			ok = append(ok, to)
		}
	}
	o.mu.Unlock()
	d.To = ok
	o.countTarget.Deliver(ctx, d)
	return errs
}

// TestConcurrentEnqueuesDuringMoveOutsAndSegmentRemoval: messages are
// enqueued from several goroutines while earlier ones are copied out of
// the journal (their recipients finishing in different orders), delivered
// from the journal or from their own files, and segments are rotated and
// removed under them; the queue is closed and reopened in the middle
// (two rounds on one directory, in one process). Every recipient gets
// its message exactly once and no segment is left behind.
func TestConcurrentEnqueuesDuringMoveOutsAndSegmentRemoval(t *testing.T) {
	dir := t.TempDir()
	tg := &orderTarget{}
	const workers, per = 6, 60
	for round := 0; round < 2; round++ {
		q, err := Open(Options{Dir: dir, Target: tg, RetryInterval: 2 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		q.j.mu.Lock()
		q.j.max = 2048 // a new segment every few records
		q.j.mu.Unlock()
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < per; i++ {
					to := []string{"a@y", "z@y", "m@y"}[:1+i%3]
					env := Envelope{From: "s@x", To: to, EnvID: fmt.Sprintf("r%d-w%d-%d", round, w, i)}
					if _, err := q.Enqueue(context.Background(), env, strings.NewReader(msg+strings.Repeat("y", i))); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if round == 0 {
			// Close with messages still queued (copied out or not).
			if err := q.Close(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		drain(t, q)
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}
	}
	q := open(t, dir, tg, nil, SystemClock{})
	drain(t, q)
	got := tg.counts()
	for round := 0; round < 2; round++ {
		for w := 0; w < workers; w++ {
			for i := 0; i < per; i++ {
				for _, to := range []string{"a@y", "z@y", "m@y"}[:1+i%3] {
					k := fmt.Sprintf("r%d-w%d-%d %s", round, w, i, to)
					if got[k] != 1 {
						t.Errorf("%s delivered %d times, want once", k, got[k])
					}
				}
			}
		}
	}
	q.Close()
	if segs, _ := segments(dir); len(segs) != 0 {
		t.Errorf("segments %v left behind with every message delivered", segs)
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.HasSuffix(e, msgExt) || strings.HasSuffix(e, metaExt) {
			t.Errorf("%s left behind with every message delivered", e)
		}
	}
}

// slowTarget accepts after a moment, or gives up when the queue cancels
// the attempt.
type slowTarget struct{ countTarget }

func (s *slowTarget) Deliver(ctx context.Context, d Delivery) []error {
	select {
	case <-ctx.Done():
		errs := make([]error, len(d.To))
		for i := range errs {
			errs[i] = ctx.Err()
		}
		return errs
	case <-time.After(time.Duration(len(d.EnvID)%3) * time.Millisecond):
	}
	return s.countTarget.Deliver(ctx, d)
}

// TestCloseDuringAttempts: closing the queue while attempts are in flight
// (state changes, move-outs and tombstones racing with Close) loses and
// doubles nothing: after a reopen every message is delivered exactly once.
func TestCloseDuringAttempts(t *testing.T) {
	for iter := 0; iter < 15; iter++ {
		dir := t.TempDir()
		tg := &slowTarget{}
		q, err := Open(Options{Dir: dir, Target: tg, RetryInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		const n = 40
		for i := 0; i < n; i++ {
			env := Envelope{From: "a@x", To: []string{"p@y", "q@y"}, EnvID: fmt.Sprint("e", strings.Repeat("x", i%3), i)}
			if _, err := q.Enqueue(context.Background(), env, strings.NewReader(msg)); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}
		q2, err := Open(Options{Dir: dir, Target: tg, RetryInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		drain(t, q2)
		q2.Close()
		got := tg.counts()
		for i := 0; i < n; i++ {
			for _, to := range []string{"p@y", "q@y"} {
				k := fmt.Sprint("e", strings.Repeat("x", i%3), i, " ", to)
				if got[k] != 1 {
					t.Fatalf("iteration %d: %s delivered %d times, want once", iter, k, got[k])
				}
			}
		}
	}
}
