package pop3client

import (
	"context"
	"net"
	"sync"
	"time"
)

// deadlineConn wraps the TCP connection (below TLS) so that every read and
// write waits at most the idle timeout and never past the current call's
// context deadline, and so that cancelling that context interrupts a
// blocked read or write at once.
type deadlineConn struct {
	net.Conn
	idle time.Duration

	mu        sync.Mutex
	ctx       context.Context // the call in progress; nil between calls
	hard      time.Time       // ctx's deadline, zero if none
	cancelled bool            // ctx ended while armed
	stop      func() bool     // stops the context.AfterFunc
}

// arm ties the connection to ctx until disarm is called.
func (c *deadlineConn) arm(ctx context.Context) {
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

// disarm ends the tie to the context and returns its error if it ended
// while armed.
func (c *deadlineConn) disarm() error {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if c.cancelled && c.ctx != nil {
		err = c.ctx.Err()
	}
	c.ctx, c.hard, c.cancelled = nil, time.Time{}, false
	return err
}

// ctxErr returns the armed context's error if it ended.
func (c *deadlineConn) ctxErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx != nil && (c.cancelled || c.ctx.Err() != nil) {
		return c.ctx.Err()
	}
	return nil
}

// before sets the deadline for the next read or write; it fails if the
// context has already ended.
func (c *deadlineConn) before(set func(time.Time) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelled {
		return c.ctx.Err()
	}
	d := time.Now().Add(c.idle)
	if !c.hard.IsZero() && c.hard.Before(d) {
		d = c.hard
	}
	return set(d)
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.before(c.Conn.SetReadDeadline); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if err != nil {
		if cerr := c.ctxErr(); cerr != nil {
			err = cerr
		}
	}
	return n, err
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.before(c.Conn.SetWriteDeadline); err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(p)
	if err != nil {
		if cerr := c.ctxErr(); cerr != nil {
			err = cerr
		}
	}
	return n, err
}
