package queue

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fakeTarget is an unreliable next hop: fail decides per recipient.
type fakeTarget struct {
	mu       sync.Mutex
	fail     func(to string, attempt int) error
	attempts []time.Time
	got      map[string][]string // recipient -> bodies
	clock    Clock
}

func (f *fakeTarget) Deliver(_ context.Context, d Delivery) []error {
	body, _ := io.ReadAll(d.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.got == nil {
		f.got = map[string][]string{}
	}
	f.attempts = append(f.attempts, f.clock.Now())
	errs := make([]error, len(d.To))
	for i, to := range d.To {
		if f.fail != nil {
			errs[i] = f.fail(to, len(f.attempts))
		}
		if errs[i] == nil {
			f.got[to] = append(f.got[to], string(body))
		}
	}
	return errs
}

func (f *fakeTarget) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.attempts)
}

type recNotifier struct {
	mu      sync.Mutex
	notices []Notice
	headers []string
	at      []time.Time
	clock   Clock
}

func (r *recNotifier) Notify(_ context.Context, n Notice) error {
	b, _ := io.ReadAll(n.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, n)
	r.headers = append(r.headers, string(b))
	r.at = append(r.at, r.clock.Now())
	return nil
}

func (r *recNotifier) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, n := range r.notices {
		out = append(out, n.Kind)
	}
	return out
}

const msg = "From: a@tcn.b.eu-admin.net\r\nSubject: hi\r\n\r\nbody\r\n"

func open(t *testing.T, dir string, tg Target, n Notifier, clk Clock) *Queue {
	t.Helper()
	q, err := Open(Options{Dir: dir, Target: tg, Notifier: n, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func TestEnqueueIsDurableBeforeReturn(t *testing.T) {
	clk := NewFakeClock(t0)
	tg := &fakeTarget{clock: clk}
	dir := t.TempDir()
	q := open(t, dir, tg, nil, clk)
	rc, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"b@y"}}, strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	// On disk when Enqueue returns: the journal holds the record, read
	// here as a restart would read it.
	var onDisk []byte
	segs, _ := segments(dir)
	for _, seg := range segs {
		readSegment(filepath.Join(dir, segName(seg)), seg, func(m Meta, loc jloc) {
			if m.ID == rc.ID {
				b, _ := os.ReadFile(filepath.Join(dir, segName(seg)))
				onDisk = b[loc.off : loc.off+loc.size]
			}
		})
	}
	if string(onDisk) != msg {
		t.Fatalf("journal record after Enqueue = %q, want the message", onDisk)
	}
	ms, err := ReadDir(dir)
	if err != nil || len(ms) != 1 || ms[0].Rcpts[0].Status != Pending {
		t.Fatalf("ReadDir = %+v, %v", ms, err)
	}
	clk.Advance(0)
	if got := tg.got["b@y"]; len(got) != 1 || got[0] != msg {
		t.Fatalf("delivered %q, want the message once, bytes intact", got)
	}
	if ms, _ := ReadDir(dir); len(ms) != 0 {
		t.Fatalf("queue not empty after delivery: %+v", ms)
	}
}

func TestRetryScheduleDelayNoticeAndFailure(t *testing.T) {
	clk := NewFakeClock(t0)
	tg := &fakeTarget{clock: clk, fail: func(string, int) error { return errors.New("421 try later") }}
	nt := &recNotifier{clock: clk}
	q := open(t, t.TempDir(), tg, nt, clk)
	if _, err := q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"b@y"}}, strings.NewReader(msg)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(0)
	if tg.count() != 1 {
		t.Fatalf("attempts at arrival = %d, want 1", tg.count())
	}
	clk.Advance(time.Hour)
	// At 0, 2m, …, 60m: 31 attempts, each exactly 2 minutes apart.
	if tg.count() != 31 {
		t.Fatalf("attempts in the first hour = %d, want 31", tg.count())
	}
	for i := 1; i < len(tg.attempts); i++ {
		if d := tg.attempts[i].Sub(tg.attempts[i-1]); d != 2*time.Minute {
			t.Fatalf("attempt %d came %v after the previous one, want 2m", i, d)
		}
	}
	clk.Advance(3*time.Hour - time.Minute)
	if len(nt.kinds()) != 0 {
		t.Fatalf("notices before 4 hours: %v", nt.kinds())
	}
	clk.Advance(time.Minute)
	if k := nt.kinds(); len(k) != 1 || k[0] != "delayed" || !nt.at[0].Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("after 4 hours notices = %v at %v, want one delayed notice at 4h", k, nt.at)
	}
	if !nt.notices[0].RetryUntil.Equal(t0.Add(5*24*time.Hour)) || !strings.Contains(nt.headers[0], "Subject: hi") {
		t.Fatalf("delay notice retry-until %v, body %q", nt.notices[0].RetryUntil, nt.headers[0])
	}
	clk.Advance(5*24*time.Hour - 4*time.Hour - time.Minute)
	if k := nt.kinds(); len(k) != 1 {
		t.Fatalf("notices just before 5 days = %v, want only the delay notice", k)
	}
	clk.Advance(time.Minute)
	k := nt.kinds()
	if len(k) != 2 || k[1] != "failed" || !nt.at[1].Equal(t0.Add(5*24*time.Hour)) {
		t.Fatalf("notices after 5 days = %v at %v, want delayed then failed at 5 days", k, nt.at)
	}
	if r := nt.notices[1].Rcpts[0]; r.Status != Failed || !strings.Contains(r.LastError, "421 try later") {
		t.Fatalf("failed recipient = %+v", r)
	}
	if want := 5 * 24 * 30; tg.count() != want { // 0, 2m, …, 5d-2m; none at 5d
		t.Fatalf("attempts over 5 days = %d, want %d", tg.count(), want)
	}
	if len(q.List()) != 0 || clk.Pending() != 0 {
		t.Fatalf("message still queued after failure: %+v", q.List())
	}
}

func TestPermanentFailureNotifiesAtOnceAndNullSenderNever(t *testing.T) {
	clk := NewFakeClock(t0)
	tg := &fakeTarget{clock: clk, fail: func(to string, _ int) error {
		if to == "bad@y" {
			return Permanent(errors.New("550 no such user"))
		}
		return nil
	}}
	nt := &recNotifier{clock: clk}
	q := open(t, t.TempDir(), tg, nt, clk)
	q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"good@y", "bad@y"}}, strings.NewReader(msg))
	q.Enqueue(context.Background(), Envelope{From: "", To: []string{"bad@y"}}, strings.NewReader(msg))
	clk.Advance(0)
	if k := nt.kinds(); len(k) != 1 || k[0] != "failed" || nt.notices[0].Rcpts[0].To != "bad@y" || len(nt.notices[0].Rcpts) != 1 {
		t.Fatalf("notices = %+v, want one failure notice for bad@y only", nt.notices)
	}
	if len(tg.got["good@y"]) != 1 || len(q.List()) != 0 {
		t.Fatalf("good@y got %d, queue %+v", len(tg.got["good@y"]), q.List())
	}
	if tg.count() != 2 {
		t.Fatalf("attempts = %d, want 2 (no retry after a permanent failure)", tg.count())
	}
}

func TestRestartDeliversOnceAndKeepsPerRecipientStatus(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	tg := &fakeTarget{clock: clk, fail: func(to string, _ int) error {
		if to == "later@y" {
			return errors.New("451 busy")
		}
		return nil
	}}
	q, err := Open(Options{Dir: dir, Target: tg, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"now@y", "later@y"}, EnvID: "E1"}, strings.NewReader(msg))
	clk.Advance(0)
	q.Close()
	// Restart with a target that now accepts everyone.
	tg2 := &fakeTarget{clock: clk}
	q2 := open(t, dir, tg2, nil, clk)
	if ms := q2.List(); len(ms) != 1 || ms[0].Rcpts[0].Status != Delivered || ms[0].Rcpts[1].Status != Deferred {
		t.Fatalf("reloaded queue = %+v", ms)
	}
	clk.Advance(2 * time.Minute)
	if len(tg2.got["later@y"]) != 1 || len(tg2.got["now@y"]) != 0 {
		t.Fatalf("after restart delivered %v, want only later@y", tg2.got)
	}
	// The same envelope offered again (a sender's retransmission) is not queued twice.
	rc, err := q2.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"now@y", "later@y"}, EnvID: "E1"}, strings.NewReader(msg))
	if err != nil || rc.ID != "" || len(rc.Duplicates) != 2 {
		t.Fatalf("retransmission: %+v, %v; want both recipients recognised as duplicates", rc, err)
	}
	q2.Close()
	q3 := open(t, dir, &fakeTarget{clock: clk}, nil, clk)
	if !q3.Seen("E1", "NOW@y") {
		t.Fatal("the finished envelope is forgotten after a restart")
	}
}

func TestOpenDropsUnacknowledgedFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "0123abcd.msg"), []byte(msg), 0o600)
	os.WriteFile(filepath.Join(dir, "tmp-123"), []byte("half"), 0o600)
	clk := NewFakeClock(t0)
	tg := &fakeTarget{clock: clk}
	open(t, dir, tg, nil, clk)
	clk.Advance(time.Hour)
	if tg.count() != 0 {
		t.Fatal("a message without meta file (never acknowledged) was delivered")
	}
	for _, n := range []string{"0123abcd.msg", "tmp-123"} {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s not removed", n)
		}
	}
}

func TestScaledClock(t *testing.T) {
	c := NewScaledClock(1000)
	fired := make(chan time.Time, 1)
	start := time.Now()
	c.AfterFunc(10*time.Second, func() { fired <- time.Now() })
	select {
	case at := <-fired:
		if d := at.Sub(start); d > 5*time.Second {
			t.Fatalf("10 s at speed 1000 took %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a 10 s timer at speed 1000 did not fire within 5 s")
	}
	if d := c.Now().Sub(start); d < 10*time.Second {
		t.Fatalf("scaled time advanced %v, want at least 10 s", d)
	}
}

func TestHeldUntilRelease(t *testing.T) {
	clk := NewFakeClock(t0)
	dir := t.TempDir()
	tg := &fakeTarget{clock: clk}
	q := open(t, dir, tg, nil, clk)
	q.Enqueue(context.Background(), Envelope{From: "a@x", To: []string{"b@y"}}, strings.NewReader(msg))
	q.Close()
	q2, err := Open(Options{Dir: dir, Target: tg, Clock: clk, Held: true})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	clk.Advance(time.Hour)
	if tg.count() != 0 {
		t.Fatal("a held queue delivered before Release")
	}
	q2.Release()
	clk.Advance(0)
	if len(tg.got["b@y"]) != 1 {
		t.Fatalf("after Release delivered %v", tg.got)
	}
}
