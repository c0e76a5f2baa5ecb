package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Until checks cond until it returns nil, which it returns; cond's error
// says what is not so yet. It looks again soon at first (1 ms), then less
// often (every 50 ms, or as long as a check takes). When ctx ends first, the error names cond's
// last answer. It is the one way this repository's tests wait for
// something another goroutine or process brings about: on the event, with
// ctx only as a guard against a hang.
func Until(ctx context.Context, cond func() error) error {
	pause := time.Millisecond
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			err := cond()
			if err == nil {
				return nil
			}
			if g, ok := err.(giveUp); ok {
				return g.err
			}
			return fmt.Errorf("%w (still so when giving up: %w)", err, ctx.Err())
		case <-t.C:
		}
		began := time.Now()
		err := cond()
		if err == nil {
			return nil
		}
		if g, ok := err.(giveUp); ok {
			return g.err
		}
		t.Reset(max(pause, time.Since(began))) // a costly check runs at most half the time
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// GiveUp wraps an error of cond after which waiting longer is pointless
// (the process waited for has ended): Until returns it at once.
func GiveUp(err error) error { return giveUp{err} }

type giveUp struct{ err error }

func (g giveUp) Error() string { return g.err.Error() }
func (g giveUp) Unwrap() error { return g.err }

// Eventually is Until for a test: it fails the test with cond's last error
// when cond has not returned nil within guard. Give guard generously (tens
// of seconds): it only stops a test that would otherwise hang, and a
// loaded CI machine must never reach it.
func Eventually(t testing.TB, guard time.Duration, cond func() error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := Until(ctx, cond); err != nil {
		t.Fatalf("after %v: %v", guard, err)
	}
}
