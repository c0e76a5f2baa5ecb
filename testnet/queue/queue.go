// Package queue is the durable store-and-forward queue of the bundled TESTA
// network's relays and national servers.
//
// A message is acknowledged (Enqueue returns) only once its body and its
// metadata are fsynced and renamed into the queue directory and the
// directory itself is fsynced. Delivery is attempted at once and then every
// RetryInterval (2 minutes) until Lifetime (5 days) has passed; after
// DelayAfter (4 hours) undelivered the originator is warned once, and after
// Lifetime the remaining recipients fail and the originator gets a
// non-delivery report. Status is kept per recipient.
//
// # Delivery guarantees
//
// The queue on its own is at-least-once: a recipient is recorded as
// delivered (in the message's meta file, or in its tombstone when the whole
// message is finished) only after the Target accepted it, so a crash between
// the Target's acceptance and that record makes the queue deliver again
// after the restart. It never loses a message it acknowledged.
//
// Exactly-once is obtained end to end with envelope ids (RFC 3461 ENVID):
// every message carries an EnvID assigned where it entered the network and
// passed unchanged along every hop. A receiving queue remembers every
// (EnvID, recipient) pair it accepted, durably — in the meta files while the
// message is queued and in tombstones for Lifetime after it is finished —
// and Enqueue drops recipients it has already accepted. A redelivery caused
// by a crash is therefore acknowledged again but not queued twice. Mailbox
// delivery applies the same rule (see Seen).
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
	"sync"
	"time"
)

// Status is the delivery state of one recipient.
type Status string

// Recipient states.
const (
	Pending   Status = "pending"   // not yet attempted
	Deferred  Status = "deferred"  // temporary failure; will retry
	Delivered Status = "delivered" // accepted by the next hop
	Failed    Status = "failed"    // permanent failure or lifetime exceeded
)

// Recipient is one envelope recipient and its state.
type Recipient struct {
	To        string    `json:"to"`
	Status    Status    `json:"status"`
	LastError string    `json:"last_error,omitempty"`
	At        time.Time `json:"at,omitempty"`       // when delivered or failed
	Notified  bool      `json:"notified,omitempty"` // failure reported to the originator
}

// Meta is what the queue knows about a message besides its bytes.
type Meta struct {
	ID            string      `json:"id"`
	EnvID         string      `json:"envid"`
	From          string      `json:"from"`
	Rcpts         []Recipient `json:"rcpts"`
	MessageID     string      `json:"message_id,omitempty"`
	Peer          string      `json:"peer,omitempty"` // who handed it to us
	Size          int64       `json:"size"`
	Arrived       time.Time   `json:"arrived"`
	Attempts      int         `json:"attempts"`
	LastAttempt   time.Time   `json:"last_attempt,omitempty"`
	NextAttempt   time.Time   `json:"next_attempt"`
	DelayNotified bool        `json:"delay_notified,omitempty"`
}

// Envelope is what Enqueue is given besides the message bytes.
type Envelope struct {
	From      string
	To        []string
	EnvID     string // "" means the new queue id
	MessageID string
	Peer      string
}

// Delivery is one attempt handed to a Target.
type Delivery struct {
	ID    string
	EnvID string
	From  string
	To    []string
	Body  io.Reader
	Size  int64
}

// Target delivers messages for the queue: to a relay, a national server or
// a mailbox. Deliver returns one error per recipient of d.To (nil when that
// recipient was accepted). Errors are temporary unless they have a
// Temporary() bool method returning false (see Permanent).
type Target interface {
	Deliver(ctx context.Context, d Delivery) []error
}

// Notice asks the Notifier to tell the originator about a delay or failure.
type Notice struct {
	Kind       string // "delayed" or "failed"
	Meta       Meta
	Rcpts      []Recipient // the recipients concerned
	RetryUntil time.Time   // for delayed notices
	Body       io.Reader   // the original message, for its headers
}

// Notifier sends delivery status notifications; in the network it builds
// an RFC 3464 report and enqueues it. The queue never notifies for messages
// with a null sender.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// Event is reported to Options.Observe for the evidence log.
type Event struct {
	Kind   string // queued, delivered, deferred, failed, dsn-sent, duplicate
	Meta   Meta
	To     []string
	Result string
}

// Options configures a Queue. Zero fields take the seed's values.
type Options struct {
	Dir            string
	Target         Target
	Notifier       Notifier      // nil: no notifications
	Clock          Clock         // nil: SystemClock
	RetryInterval  time.Duration // 2 minutes
	Lifetime       time.Duration // 5 days
	DelayAfter     time.Duration // 4 hours
	MaxConcurrent  int           // deliveries at once; 16
	AttemptTimeout time.Duration // per attempt; 2 minutes
	Observe        func(Event)   // nil: no events
	// Held makes Open load the messages left by a previous run without
	// scheduling them until Release is called (so that a node can start
	// its listeners first).
	Held bool
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = 2 * time.Minute
	}
	if o.Lifetime <= 0 {
		o.Lifetime = 5 * 24 * time.Hour
	}
	if o.DelayAfter <= 0 {
		o.DelayAfter = 4 * time.Hour
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 16
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 2 * time.Minute
	}
	if o.Observe == nil {
		o.Observe = func(Event) {}
	}
	return o
}

// Queue is an open queue directory.
type Queue struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	msgs   map[string]*entry
	seen   map[string]map[string]bool // EnvID -> recipient (lower case) -> accepted
	// pending holds the (EnvID, recipient) pairs of Enqueues still
	// writing, each with a channel closed when that write is settled.
	pending map[string]chan struct{}
	stones  map[string]time.Time // tombstone id -> time, for expiry
	done    *os.File             // done.log, appended to
	j       *journal             // where new messages are written
}

type entry struct {
	meta    Meta
	loc     *jloc // in the journal; nil when in its own files
	timer   Timer
	running bool
}

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("queue: the queue is closed")

// Open opens (creating it if needed) the queue directory, reloads every
// message left by a previous run and schedules its next attempt.
func Open(o Options) (*Queue, error) {
	o = o.withDefaults()
	if o.Dir == "" || o.Target == nil {
		return nil, errors.New("queue: a directory and a target are required")
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{
		o: o, ctx: ctx, cancel: cancel,
		sem:     make(chan struct{}, o.MaxConcurrent),
		msgs:    map[string]*entry{},
		seen:    map[string]map[string]bool{},
		pending: map[string]chan struct{}{},
		stones:  map[string]time.Time{},
	}
	if err := q.load(); err != nil {
		cancel()
		if q.done != nil {
			q.done.Close()
		}
		if q.j != nil {
			q.j.close()
		}
		return nil, err
	}
	return q, nil
}

func (q *Queue) load() error {
	now := q.o.Clock.Now()
	donePath := filepath.Join(q.o.Dir, doneLog)
	stones, err := readTombstones(donePath)
	if err != nil {
		return err
	}
	// Expired tombstones still say which messages are finished until the
	// journal has been read: a finished message's record can outlive its
	// tombstone's lifetime in a segment kept by another message.
	expired := map[string]bool{}
	for _, ts := range stones {
		q.stones[ts.ID] = ts.At
		if now.Sub(ts.At) > q.o.Lifetime+24*time.Hour {
			expired[ts.ID] = true
			continue
		}
		q.markSeen(ts.EnvID, ts.Rcpts)
	}
	entries, err := os.ReadDir(q.o.Dir)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(q.o.Dir, name)
		if strings.HasPrefix(name, tmpPrefix) || strings.HasPrefix(name, oldTmpPrefix) {
			os.Remove(p)
			continue
		}
		id, ok := strings.CutSuffix(name, metaExt)
		if !ok || !validID(id) {
			continue
		}
		if _, finished := q.stones[id]; finished {
			q.removeFiles(id)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		var m Meta
		if err := json.Unmarshal(b, &m); err != nil || m.ID != id {
			// Only a first meta file can be incomplete (later versions are
			// renamed into place): the process died before acknowledging
			// the message, so it was never accepted.
			q.removeFiles(id)
			continue
		}
		if _, err := os.Stat(filepath.Join(q.o.Dir, id+msgExt)); err != nil {
			return fmt.Errorf("queue: the message file of %s is missing; move %s away to start the queue", id, p)
		}
		var rcpts []string
		for _, r := range m.Rcpts {
			rcpts = append(rcpts, r.To)
		}
		q.markSeen(m.EnvID, rcpts)
		q.msgs[id] = &entry{meta: m}
	}
	// Message files without meta were never acknowledged.
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), msgExt)
		if ok && validID(id) && q.msgs[id] == nil {
			os.Remove(filepath.Join(q.o.Dir, e.Name()))
		}
	}
	// Messages still in the journal (those with their own files, copied
	// out when their state changed, are loaded above).
	segs, err := segments(q.o.Dir)
	if err != nil {
		return err
	}
	live, last := map[int]int{}, 0
	recorded := map[string]bool{} // finished messages with a record in a kept segment
	for _, seg := range segs {
		last = seg
		var finished []string
		err := readSegment(filepath.Join(q.o.Dir, segName(seg)), seg, func(m Meta, loc jloc) {
			if _, done := q.stones[m.ID]; done {
				finished = append(finished, m.ID)
				return
			}
			if q.msgs[m.ID] != nil {
				return
			}
			q.markSeen(m.EnvID, rcptAddrs(m.Rcpts))
			q.msgs[m.ID] = &entry{meta: m, loc: &loc}
			live[seg]++
		})
		if err != nil {
			return err
		}
		if live[seg] == 0 {
			os.Remove(filepath.Join(q.o.Dir, segName(seg)))
			continue
		}
		for _, id := range finished {
			recorded[id] = true
		}
	}
	if err := q.compactTombstones(stones, expired, recorded); err != nil {
		return err
	}
	if q.j, err = openJournal(q.o.Dir, live, last); err != nil {
		return err
	}
	if !q.o.Held {
		// The first timers fire while the others are being set: their
		// attempts take q.mu too.
		q.mu.Lock()
		q.scheduleAll(now)
		q.mu.Unlock()
	}
	return nil
}

// compactTombstones drops from done.log the expired tombstones of messages
// with no record left in the journal, and opens it for appending.
func (q *Queue) compactTombstones(stones []tombstone, expired, recorded map[string]bool) error {
	donePath := filepath.Join(q.o.Dir, doneLog)
	var keep []tombstone
	for _, ts := range stones {
		if expired[ts.ID] && !recorded[ts.ID] {
			delete(q.stones, ts.ID)
			continue
		}
		keep = append(keep, ts)
	}
	if len(keep) < len(stones) {
		if _, err := writeDurable(q.o.Dir, doneLog, func(w io.Writer) (int64, error) {
			var n int64
			for _, ts := range keep {
				b, _ := json.Marshal(ts)
				k, err := w.Write(append(b, '\n'))
				n += int64(k)
				if err != nil {
					return n, err
				}
			}
			return n, nil
		}); err != nil {
			return err
		}
	}
	if err := dropTornLine(donePath); err != nil {
		return err
	}
	f, err := os.OpenFile(donePath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	q.done = f
	return nil
}

func (q *Queue) scheduleAll(now time.Time) {
	for id, e := range q.msgs {
		if e.timer == nil && !e.running {
			q.scheduleLocked(id, e, e.meta.NextAttempt.Sub(now))
		}
	}
}

// Release schedules the messages loaded by an Open with Options.Held.
func (q *Queue) Release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.scheduleAll(q.o.Clock.Now())
	}
}

func (q *Queue) markSeen(envID string, rcpts []string) {
	if envID == "" {
		return
	}
	s := q.seen[envID]
	if s == nil {
		s = map[string]bool{}
		q.seen[envID] = s
	}
	for _, r := range rcpts {
		s[strings.ToLower(r)] = true
	}
}

// Receipt tells the caller of Enqueue what was queued.
type Receipt struct {
	ID string
	// Duplicates are recipients already accepted earlier under the same
	// EnvID; they were not queued again.
	Duplicates []string
}

// Enqueue stores a message durably and schedules its first attempt at once.
// When it returns nil the message survives a crash and may be acknowledged.
func (q *Queue) Enqueue(ctx context.Context, env Envelope, body io.Reader) (Receipt, error) {
	if len(env.To) == 0 {
		return Receipt{}, errors.New("queue: a message needs at least one recipient")
	}
	now := q.o.Clock.Now()
	id := newID(time.Now())
	m := Meta{ID: id, EnvID: env.EnvID, From: env.From, MessageID: env.MessageID, Peer: env.Peer, Arrived: now, NextAttempt: now}
	if m.EnvID == "" {
		m.EnvID = id
	}
	var rc Receipt
	q.mu.Lock()
	// A retransmission of a message whose first copy is still being
	// written waits for that write: it is a duplicate only once the first
	// copy is durable, and must be queued itself if that write fails.
	for {
		if q.closed {
			q.mu.Unlock()
			return Receipt{}, ErrClosed
		}
		var wait chan struct{}
		for _, to := range env.To {
			if ch := q.pending[pairKey(m.EnvID, to)]; ch != nil {
				wait = ch
				break
			}
		}
		if wait == nil {
			break
		}
		q.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return Receipt{}, fmt.Errorf("queue: %w", ctx.Err())
		}
		q.mu.Lock()
	}
	seen := q.seen[m.EnvID]
	dedup := map[string]bool{}
	for _, to := range env.To {
		k := strings.ToLower(to)
		if seen[k] || dedup[k] {
			rc.Duplicates = append(rc.Duplicates, to)
			continue
		}
		dedup[k] = true
		m.Rcpts = append(m.Rcpts, Recipient{To: to, Status: Pending})
	}
	if len(m.Rcpts) == 0 {
		q.mu.Unlock()
		q.o.Observe(Event{Kind: "duplicate", Meta: m, To: rc.Duplicates, Result: "already accepted under envelope id " + m.EnvID})
		if _, err := io.Copy(io.Discard, body); err != nil {
			return rc, fmt.Errorf("queue: %w", err)
		}
		return rc, nil
	}
	// Reserve the pairs now so a concurrent retransmission is not queued
	// twice (it waits for this write); they are released if writing
	// fails.
	q.markSeen(m.EnvID, rcptAddrs(m.Rcpts))
	written := make(chan struct{})
	for _, r := range m.Rcpts {
		q.pending[pairKey(m.EnvID, r.To)] = written
	}
	q.mu.Unlock()
	settle := func() { // with q.mu held
		for _, r := range m.Rcpts {
			delete(q.pending, pairKey(m.EnvID, r.To))
		}
		close(written)
	}
	release := func() {
		q.mu.Lock()
		for _, r := range m.Rcpts {
			delete(q.seen[m.EnvID], strings.ToLower(r.To))
		}
		settle()
		q.mu.Unlock()
	}
	if err := ctx.Err(); err != nil {
		release()
		return Receipt{}, fmt.Errorf("queue: %w", err)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		release()
		return Receipt{}, fmt.Errorf("queue: reading the message: %w", err)
	}
	m.Size = int64(len(data))
	mb, err := json.Marshal(m)
	if err != nil {
		release()
		return Receipt{}, fmt.Errorf("queue: %w", err)
	}
	// Durable when append returns: the record is fdatasynced, with those
	// of concurrent Enqueues (see journal.go).
	loc, err := q.j.append(mb, data)
	if err != nil {
		release()
		return Receipt{}, err
	}
	n := m.Size
	rc.ID = id
	q.o.Observe(Event{Kind: "queued", Meta: m, To: rcptAddrs(m.Rcpts), Result: fmt.Sprintf("%d bytes", n)})
	q.mu.Lock()
	defer q.mu.Unlock()
	settle()
	if q.closed {
		return rc, nil // on disk; the next run delivers it
	}
	e := &entry{meta: m, loc: &loc}
	q.msgs[id] = e
	q.scheduleLocked(id, e, 0)
	return rc, nil
}

// pairKey names an (EnvID, recipient) pair in Queue.pending.
func pairKey(envID, rcpt string) string { return envID + "\x00" + strings.ToLower(rcpt) }

func rcptAddrs(rs []Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.To
	}
	return out
}

func (q *Queue) scheduleLocked(id string, e *entry, d time.Duration) {
	if d < 0 {
		d = 0
	}
	e.timer = q.o.Clock.AfterFunc(d, func() { q.attempt(id) })
}

// Seen reports whether (envID, rcpt) was accepted by this queue, either
// still queued or finished within Lifetime.
func (q *Queue) Seen(envID, rcpt string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.seen[envID][strings.ToLower(rcpt)]
}

// List returns the queued messages' metadata.
func (q *Queue) List() []Meta {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Meta, 0, len(q.msgs))
	for _, e := range q.msgs {
		m := e.meta
		m.Rcpts = append([]Recipient(nil), m.Rcpts...)
		out = append(out, m)
	}
	return out
}

// Kick makes every queued message due now (used when an outage ends).
func (q *Queue) Kick() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	for id, e := range q.msgs {
		if e.running {
			continue
		}
		if e.timer != nil && !e.timer.Stop() {
			continue // already firing
		}
		q.scheduleLocked(id, e, 0)
	}
}

// Close stops the queue: no new attempts start, attempts in flight are
// cancelled and awaited. Every message stays on disk for the next Open.
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	for _, e := range q.msgs {
		if e.timer != nil {
			e.timer.Stop()
		}
	}
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
	// Record the attempt counters and next attempt times.
	q.mu.Lock()
	defer q.mu.Unlock()
	var errs []error
	wrote := false
	for _, e := range q.msgs {
		if e.loc != nil {
			continue // not attempted yet: the journal record is its state
		}
		if err := writeJSON(q.o.Dir, e.meta.ID+metaExt, e.meta); err != nil {
			errs = append(errs, err)
		}
		wrote = true
	}
	if wrote {
		if err := syncDir(q.o.Dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := q.j.close(); err != nil {
		errs = append(errs, err)
	}
	if err := q.done.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
