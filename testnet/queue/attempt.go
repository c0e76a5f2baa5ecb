package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// temporary is implemented by errors that know whether they are worth a
// retry, such as smtpclient's *Error.
type temporary interface{ Temporary() bool }

// IsTemporary reports whether err should be retried. Errors that do not say
// are temporary: a message is never failed on an error of unknown kind
// before its lifetime ends.
func IsTemporary(err error) bool {
	var t temporary
	if errors.As(err, &t) {
		return t.Temporary()
	}
	return true
}

type permanentError struct{ err error }

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() error   { return e.err }
func (e *permanentError) Temporary() bool { return false }

// Permanent marks err as not worth a retry.
func Permanent(err error) error { return &permanentError{err} }

// attempt runs one delivery attempt of message id. It is called by the
// message's timer.
func (q *Queue) attempt(id string) {
	q.mu.Lock()
	e := q.msgs[id]
	if q.closed || e == nil || e.running {
		q.mu.Unlock()
		return
	}
	e.running = true
	q.wg.Add(1)
	m := e.meta
	m.Rcpts = append([]Recipient(nil), m.Rcpts...)
	loc := e.loc
	q.mu.Unlock()
	defer q.wg.Done()

	select {
	case q.sem <- struct{}{}:
	case <-q.ctx.Done():
		q.finishAttempt(id, nil, loc, false)
		return
	}
	defer func() { <-q.sem }()

	remove, loc := q.run(&m, loc)
	q.finishAttempt(id, &m, loc, remove)
}

// finishAttempt stores the updated meta (and where the body now lies) in
// memory and schedules the next attempt or forgets the message.
func (q *Queue) finishAttempt(id string, m *Meta, loc *jloc, remove bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.msgs[id]
	if e == nil {
		return
	}
	e.running = false
	e.loc = loc
	if m != nil {
		e.meta = *m
	}
	if remove {
		delete(q.msgs, id)
		return
	}
	if q.closed {
		return
	}
	q.scheduleLocked(id, e, e.meta.NextAttempt.Sub(q.o.Clock.Now()))
}

// run performs the attempt on m, whose body is at loc in the journal (or in
// its own file when loc is nil), persisting each change, and returns
// whether the message is finished (and removed) and where its body lies
// now. On a storage error the message stays queued and is tried again at
// the next interval.
func (q *Queue) run(m *Meta, loc *jloc) (remove bool, at *jloc) {
	before := stateOf(m)
	now := q.o.Clock.Now()
	expires := m.Arrived.Add(q.o.Lifetime)
	var todo []int
	for i, r := range m.Rcpts {
		if r.Status == Pending || r.Status == Deferred {
			todo = append(todo, i)
		}
	}
	if len(todo) > 0 && !now.Before(expires) {
		// The lifetime is over: fail what is left without another try.
		for _, i := range todo {
			r := &m.Rcpts[i]
			r.Status, r.At = Failed, now
			if r.LastError == "" {
				r.LastError = "not delivered within the queue lifetime"
			}
			r.LastError = "lifetime of " + q.o.Lifetime.String() + " exceeded; last error: " + r.LastError
		}
		q.o.Observe(Event{Kind: "failed", Meta: *m, To: addrsAt(m.Rcpts, todo), Result: "queue lifetime exceeded"})
		todo = nil
	} else if len(todo) > 0 {
		ctx, cancel := context.WithTimeout(q.ctx, q.o.AttemptTimeout)
		errs := q.deliver(ctx, m, todo, loc)
		cancel()
		m.Attempts++
		m.LastAttempt = now
		for k, i := range todo {
			r := &m.Rcpts[i]
			err := errs[k]
			switch {
			case err == nil:
				r.Status, r.At, r.LastError = Delivered, now, ""
				q.o.Observe(Event{Kind: "delivered", Meta: *m, To: []string{r.To}, Result: "accepted"})
			case IsTemporary(err):
				r.Status, r.LastError = Deferred, err.Error()
				q.o.Observe(Event{Kind: "deferred", Meta: *m, To: []string{r.To}, Result: err.Error()})
			default:
				r.Status, r.At, r.LastError = Failed, now, err.Error()
				q.o.Observe(Event{Kind: "failed", Meta: *m, To: []string{r.To}, Result: err.Error()})
			}
		}
	}
	m.NextAttempt = now.Add(q.o.RetryInterval)
	if m.NextAttempt.After(expires) && now.Before(expires) {
		m.NextAttempt = expires
	}

	// Notices. A null sender never gets one (RFC 5321 §4.5.5).
	var deferred, failed []int
	for i, r := range m.Rcpts {
		switch {
		case r.Status == Deferred || r.Status == Pending:
			deferred = append(deferred, i)
		case r.Status == Failed && !r.Notified:
			failed = append(failed, i)
		}
	}
	if m.From == "" {
		for _, i := range failed {
			m.Rcpts[i].Notified = true
		}
		failed = nil
	}
	if len(failed) > 0 {
		if err := q.notify(m, "failed", failed, loc); err == nil {
			for _, i := range failed {
				m.Rcpts[i].Notified = true
			}
		}
	}
	if len(deferred) > 0 && !m.DelayNotified && m.From != "" && now.Sub(m.Arrived) >= q.o.DelayAfter {
		if err := q.notify(m, "delayed", deferred, loc); err == nil {
			m.DelayNotified = true
		}
	}

	finished := true
	for _, r := range m.Rcpts {
		if r.Status == Pending || r.Status == Deferred || (r.Status == Failed && !r.Notified) {
			finished = false
		}
	}
	if finished {
		if err := q.finish(m, loc); err == nil {
			return true, nil
		}
	}
	// Only state changes are made durable at once; the attempt counters
	// and the next attempt time are written at Close (after a crash the
	// message is simply tried again at once). A message whose state
	// changes for the first time leaves the journal for its own files.
	if stateOf(m) != before {
		if loc != nil {
			if err := q.moveOut(m, loc); err != nil {
				return false, loc
			}
			return false, nil
		}
		if err := writeJSON(q.o.Dir, m.ID+metaExt, m); err == nil {
			_ = syncDir(q.o.Dir)
		}
	}
	return false, loc
}

// moveOut copies a message from the journal to its own body and meta
// files, durably, and then releases its journal record.
func (q *Queue) moveOut(m *Meta, loc *jloc) error {
	body, err := q.j.open(*loc)
	if err != nil {
		return err
	}
	_, err = createDurable(q.o.Dir, m.ID+msgExt, func(w io.Writer) (int64, error) { return io.Copy(w, body) })
	body.Close()
	if err != nil {
		return err
	}
	if err := writeJSON(q.o.Dir, m.ID+metaExt, m); err != nil {
		os.Remove(filepath.Join(q.o.Dir, m.ID+msgExt))
		return err
	}
	if err := syncDir(q.o.Dir); err != nil {
		return err
	}
	q.j.release(loc.seg)
	return nil
}

// openBody returns a reader of a message's body.
func (q *Queue) openBody(id string, loc *jloc) (io.ReadCloser, error) {
	if loc != nil {
		return q.j.open(*loc)
	}
	f, err := os.Open(filepath.Join(q.o.Dir, id+msgExt))
	if err != nil {
		return nil, fmt.Errorf("queue: the message file is unreadable: %w", err)
	}
	return f, nil
}

func addrsAt(rs []Recipient, idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = rs[i].To
	}
	return out
}

// deliver calls the Target for the recipients at idx and returns one error
// per recipient.
func (q *Queue) deliver(ctx context.Context, m *Meta, idx []int, loc *jloc) []error {
	f, err := q.openBody(m.ID, loc)
	errs := make([]error, len(idx))
	if err != nil {
		for k := range errs {
			errs[k] = err
		}
		return errs
	}
	defer f.Close()
	got := q.o.Target.Deliver(ctx, Delivery{ID: m.ID, EnvID: m.EnvID, From: m.From, To: addrsAt(m.Rcpts, idx), Body: f, Size: m.Size})
	for k := range errs {
		if k < len(got) {
			errs[k] = got[k]
		} else {
			errs[k] = errors.New("queue: the target gave no result for this recipient")
		}
	}
	return errs
}

func (q *Queue) notify(m *Meta, kind string, idx []int, loc *jloc) error {
	if q.o.Notifier == nil {
		return nil
	}
	f, err := q.openBody(m.ID, loc)
	if err != nil {
		return err
	}
	defer f.Close()
	rs := make([]Recipient, len(idx))
	for k, i := range idx {
		rs[k] = m.Rcpts[i]
	}
	n := Notice{Kind: kind, Meta: *m, Rcpts: rs, RetryUntil: m.Arrived.Add(q.o.Lifetime), Body: f}
	ctx, cancel := context.WithTimeout(q.ctx, q.o.AttemptTimeout)
	defer cancel()
	if err := q.o.Notifier.Notify(ctx, n); err != nil {
		q.o.Observe(Event{Kind: "dsn-failed", Meta: *m, To: addrsAt(m.Rcpts, idx), Result: err.Error()})
		return err
	}
	q.o.Observe(Event{Kind: "dsn-sent", Meta: *m, To: addrsAt(m.Rcpts, idx), Result: kind})
	return nil
}

// finish writes the message's tombstone — the durable record that every
// recipient is done — and then removes its files. A crash after the
// tombstone and before the removal is repaired by the next Open.
func (q *Queue) finish(m *Meta, loc *jloc) error {
	at := q.o.Clock.Now()
	ts := tombstone{ID: m.ID, EnvID: m.EnvID, Rcpts: rcptAddrs(m.Rcpts), At: at}
	b, err := json.Marshal(ts)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	// The tombstone is appended to done.log in one write and not fsynced:
	// if a crash loses it (and the removal below), the message is
	// delivered again after the restart, and the next hop recognises the
	// envelope id and drops the copy. This saves a file creation and two
	// fsyncs per message per hop.
	if _, err := q.done.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("queue: recording a finished message: %w", err)
	}
	q.mu.Lock()
	q.stones[m.ID] = at
	q.mu.Unlock()
	if loc != nil {
		q.j.release(loc.seg)
	} else {
		q.removeFiles(m.ID)
	}
	return nil
}

func (q *Queue) removeFiles(id string) {
	os.Remove(filepath.Join(q.o.Dir, id+metaExt))
	os.Remove(filepath.Join(q.o.Dir, id+msgExt))
}

// stateOf summarises what must survive a crash: each recipient's status
// and notification, and whether the delay notice went out.
func stateOf(m *Meta) string {
	var b strings.Builder
	for _, r := range m.Rcpts {
		fmt.Fprintf(&b, "%s/%v;", r.Status, r.Notified)
	}
	fmt.Fprintf(&b, "%v", m.DelayNotified)
	return b.String()
}
