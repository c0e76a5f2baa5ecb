package testenv

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestUntilReturnsOnTheEvent: Until returns as soon as another goroutine
// makes the condition true, long before its guard.
func TestUntilReturnsOnTheEvent(t *testing.T) {
	var done atomic.Bool
	set := make(chan struct{})
	go func() { <-set; done.Store(true) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	calls := 0
	err := Until(ctx, func() error {
		calls++
		if calls == 3 {
			close(set)
		}
		if !done.Load() {
			return errors.New("not yet")
		}
		return nil
	})
	if err != nil || ctx.Err() != nil {
		t.Fatalf("Until = %v (ctx %v); want nil before the guard", err, ctx.Err())
	}
}

// TestUntilSaysWhatWasNotSo: at the guard, the error is the condition's
// last answer; a GiveUp answer ends the wait at once.
func TestUntilSaysWhatWasNotSo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := Until(ctx, func() error { return errors.New("the mailbox holds 0 of 2 messages") })
	if err == nil || !strings.Contains(err.Error(), "0 of 2 messages") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Until at the guard = %v; want the condition's words and the deadline", err)
	}
	ended := errors.New("the server exited")
	calls := 0
	err = Until(context.Background(), func() error { calls++; return GiveUp(ended) })
	if !errors.Is(err, ended) || calls != 1 {
		t.Fatalf("Until after GiveUp = %v after %d calls; want the error after one", err, calls)
	}
}
