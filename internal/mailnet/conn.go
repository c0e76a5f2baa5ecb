package mailnet

import (
	"context"
	"io"
	"net"
	"sync"
	"time"
)

// Conn wraps a TCP connection (below TLS) so that every Read and Write waits
// at most the idle timeout and never past the deadline of the armed
// context, and so that cancelling that context interrupts a blocked Read
// or Write at once. Between Arm and Disarm, an I/O failure caused by the
// context reads as the context's error. SetDeadline and its kin pass
// through to the wrapped connection, but Read and Write set their own
// deadline each time.
type Conn struct {
	net.Conn
	idle time.Duration

	mu        sync.Mutex
	ctx       context.Context // the call in progress; nil between calls
	hard      time.Time       // ctx's deadline, zero if none
	cancelled bool            // ctx ended while armed
	stop      func() bool     // stops the context.AfterFunc
	tap       io.Writer       // receives the bytes read, while set
}

// NewConn wraps c with the idle timeout idle.
func NewConn(c net.Conn, idle time.Duration) *Conn {
	return &Conn{Conn: c, idle: idle}
}

// Arm ties the connection to ctx until Disarm is called.
func (c *Conn) Arm(ctx context.Context) {
	c.mu.Lock()
	c.ctx = ctx
	c.hard, _ = ctx.Deadline()
	c.cancelled = false
	c.mu.Unlock()
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.ctx == ctx {
			c.cancelled = true
			// A deadline in the past wakes any blocked Read or Write.
			_ = c.Conn.SetDeadline(time.Unix(1, 0))
		}
	})
}

// Disarm ends the tie to the context and returns the context's error if it
// ended while armed.
func (c *Conn) Disarm() error {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	// The context may have ended before its AfterFunc ran (stop above then
	// keeps it from running): it still ended while armed.
	if c.ctx != nil && (c.cancelled || c.ctx.Err() != nil) {
		err = c.ctx.Err()
	}
	c.ctx, c.hard, c.cancelled = nil, time.Time{}, false
	return err
}

// SetTap starts (w != nil) or stops copying the bytes read to w.
func (c *Conn) SetTap(w io.Writer) {
	c.mu.Lock()
	c.tap = w
	c.mu.Unlock()
}

// before sets the deadline for the next read or write; it fails at once if
// the armed context has ended.
func (c *Conn) before(set func(time.Time) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelled {
		return c.ctx.Err()
	}
	if c.ctx != nil && c.ctx.Err() != nil {
		return c.ctx.Err()
	}
	d := time.Now().Add(c.idle)
	if !c.hard.IsZero() && c.hard.Before(d) {
		d = c.hard
	}
	return set(d)
}

// after replaces a network error by the context's error when the context
// is the reason the I/O stopped.
func (c *Conn) after(err error) error {
	if err == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx != nil && (c.cancelled || c.ctx.Err() != nil) {
		return c.ctx.Err()
	}
	return err
}

// Read reads with the idle and call deadlines applied.
func (c *Conn) Read(p []byte) (int, error) {
	if err := c.before(c.Conn.SetReadDeadline); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		tap := c.tap
		c.mu.Unlock()
		if tap != nil {
			_, _ = tap.Write(p[:n])
		}
	}
	return n, c.after(err)
}

// Write writes with the idle and call deadlines applied.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.before(c.Conn.SetWriteDeadline); err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(p)
	return n, c.after(err)
}
