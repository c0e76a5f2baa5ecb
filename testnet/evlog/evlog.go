// Package evlog is the evidence log of the bundled TESTA network: one JSON
// object per line for every step a message takes (received, scanned,
// queued, attempt, delivered, deferred, dsn-sent, rejected), so that a
// tester can prove how a message was routed.
package evlog

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Event kinds.
const (
	Received  = "received"
	Scanned   = "scanned"
	Queued    = "queued"
	Attempt   = "attempt"
	Delivered = "delivered"
	Deferred  = "deferred"
	Failed    = "failed"
	DSNSent   = "dsn-sent"
	Rejected  = "rejected"
	Auth      = "auth"
)

// Event is one line of the log.
type Event struct {
	Time      time.Time `json:"time"`
	Node      string    `json:"node"`
	Event     string    `json:"event"`
	QueueID   string    `json:"queue_id,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	From      string    `json:"from,omitempty"`
	To        []string  `json:"to,omitempty"`
	Peer      string    `json:"peer,omitempty"`
	Result    string    `json:"result,omitempty"`
}

// Log appends events to a file. It is safe for concurrent use.
type Log struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	now func() time.Time
}

// Open opens (creating it) the log at path. now gives event times (the
// network's clock); nil means time.Now.
func Open(path string, now func() time.Time) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("evlog: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Log{f: f, w: bufio.NewWriter(f), now: now}, nil
}

// Write appends e, filling in its time when zero. Lines are written whole
// and flushed at once so that `testnet log --follow` sees them; the log is
// evidence, not state, so it is not fsynced.
func (l *Log) Write(e Event) {
	if l == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(append(b, '\n'))
	l.w.Flush()
}

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
	return l.f.Close()
}

// Read calls fn for every event in r, skipping lines that are not events
// (for instance a line cut short by a crash).
func Read(r io.Reader, fn func(Event) error) error {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var e Event
			if json.Unmarshal(line, &e) == nil && e.Event != "" {
				if ferr := fn(e); ferr != nil {
					return ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("evlog: %w", err)
		}
	}
}

// Follow prints the events of the file at path as they are appended, until
// ctx ends. It polls every interval.
func Follow(ctx context.Context, path string, interval time.Duration, fn func(Event) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("evlog: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var partial []byte
	for {
		line, err := br.ReadBytes('\n')
		partial = append(partial, line...)
		if err == nil {
			var e Event
			if json.Unmarshal(partial, &e) == nil && e.Event != "" {
				if ferr := fn(e); ferr != nil {
					return ferr
				}
			}
			partial = partial[:0]
			continue
		}
		if !errors.Is(err, io.EOF) {
			return fmt.Errorf("evlog: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}

// The first three columns of Format, in characters, each followed by a
// space: the time, the node and the event. A reader showing the lines in
// a fixed-width font puts its column headers above them at these widths.
const (
	TimeWidth  = len(timeLayout)
	NodeWidth  = 8
	EventWidth = 9
)

// timeLayout is how Format writes an event's time.
const timeLayout = "2006-01-02 15:04:05"

// Format renders an event as one readable line.
func Format(e Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-*s %-*s", e.Time.Format(timeLayout), NodeWidth, e.Node, EventWidth, e.Event)
	if e.QueueID != "" {
		fmt.Fprintf(&b, " id=%s", e.QueueID)
	}
	if e.MessageID != "" {
		fmt.Fprintf(&b, " msgid=%s", e.MessageID)
	}
	if e.From != "" || len(e.To) > 0 {
		fmt.Fprintf(&b, " <%s> -> %s", e.From, strings.Join(e.To, ","))
	}
	if e.Peer != "" {
		fmt.Fprintf(&b, " peer=%s", e.Peer)
	}
	if e.Result != "" {
		fmt.Fprintf(&b, " : %s", e.Result)
	}
	return b.String()
}
