package queue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// flakyHop hands messages to the next queue, but defers b@y at the first
// attempt of each message: the recipients of one message finish in
// different orders, so messages leave the journal for their own files
// while new ones are appended.
type flakyHop struct {
	next  *Queue
	mu    sync.Mutex
	tries map[string]int
}

func (h *flakyHop) Deliver(ctx context.Context, d Delivery) []error {
	h.mu.Lock()
	if h.tries == nil {
		h.tries = map[string]int{}
	}
	h.tries[d.ID]++
	first := h.tries[d.ID] == 1
	h.mu.Unlock()
	errs := make([]error, len(d.To))
	var to []string
	var idx []int
	for i, r := range d.To {
		if r == "b@y" && first {
			errs[i] = errors.New("451 try later")
			continue
		}
		to, idx = append(to, r), append(idx, i)
	}
	if len(to) == 0 {
		return errs
	}
	_, err := h.next.Enqueue(ctx, Envelope{From: d.From, To: to, EnvID: d.EnvID}, d.Body)
	for _, i := range idx {
		errs[i] = err
	}
	return errs
}

// openHostilePair opens two chained queues with small journal segments
// (rotated and removed all the time), a downstream that copies every
// message out at once, and an upstream whose recipients finish in
// different orders.
func openHostilePair(dir string) (up, down *Queue, err error) {
	down, err = Open(Options{Dir: filepath.Join(dir, "down"), Target: holdTarget{}, RetryInterval: time.Hour})
	if err != nil {
		return nil, nil, err
	}
	up, err = Open(Options{Dir: filepath.Join(dir, "up"), Target: &flakyHop{next: down}, RetryInterval: 5 * time.Millisecond})
	if err != nil {
		return nil, nil, err
	}
	for _, q := range []*Queue{up, down} {
		q.j.mu.Lock()
		q.j.max = 4096
		q.j.mu.Unlock()
	}
	return up, down, nil
}

// hostileChild enqueues from four goroutines until it is killed, printing
// "ack ENVID" after each acknowledged Enqueue.
func hostileChild(dir string) {
	up, _, err := openHostilePair(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	for w := 0; w < 4; w++ {
		go func() {
			for i := 0; ; i++ {
				env := fmt.Sprintf("w%d-%d", w, i)
				body := msg + strings.Repeat("z", rand.IntN(3000))
				if _, err := up.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"b@y", "c@y"}, EnvID: env}, strings.NewReader(body)); err != nil {
					fmt.Println("error", err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Println("ack", env)
				mu.Unlock()
			}
		}()
	}
	select {}
}

// TestSIGKILLDuringMoveOutsAndRotations: as the SIGKILL test above, with
// concurrent Enqueues, small segments rotated and removed all the time,
// messages copied out of the journal on both queues and recipients
// finishing in different orders; every acknowledged (message, recipient)
// is downstream exactly once after the restart.
func TestSIGKILLDuringMoveOutsAndRotations(t *testing.T) {
	dir := t.TempDir()
	acked := runAndKillChild(t, "QUEUE_HOSTILE_CHILD="+dir, 100+rand.IntN(700))

	up, down, err := openHostilePair(dir)
	if err != nil {
		t.Fatalf("reopening after SIGKILL: %v", err)
	}
	defer down.Close()
	defer up.Close()
	drain(t, up)
	count := map[string]int{}
	for _, m := range down.List() {
		for _, r := range m.Rcpts {
			count[m.EnvID+" "+r.To]++
		}
	}
	for env := range acked {
		for _, to := range []string{"b@y", "c@y"} {
			if n := count[env+" "+to]; n != 1 {
				t.Errorf("%s to %s arrived %d times downstream, want exactly once", env, to, n)
			}
		}
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("%s arrived %d times", k, n)
		}
	}
	t.Logf("killed after %d acknowledgements; %d deliveries downstream", len(acked), len(count))
}
