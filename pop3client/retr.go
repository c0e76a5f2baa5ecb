package pop3client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Message is the body of a RETR or TOP reply being read from the
// connection. Its bytes are the message exactly as the server sends it,
// without the byte-stuffing dots and the final ".CRLF". Close it before the
// next command; Close reads and drops whatever was not read.
type Message struct {
	c    *Client
	verb string
	dot  *dotReader
	err  error
	done bool
}

// Read implements io.Reader. A connection that breaks before the end of
// the message gives a *ConnError (wrapping io.ErrUnexpectedEOF if the
// server hung up).
func (m *Message) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.dot.Read(p)
	if err != nil && err != io.EOF {
		m.err = m.c.connErr(m.verb, fmt.Errorf("after %d octets of the message: %w", m.dot.n, err))
		return n, m.err
	}
	return n, err
}

// Size returns the octets read so far.
func (m *Message) Size() int64 { return m.dot.n }

// Close drains the rest of the message and frees the connection for the
// next command. It returns the read error, if any.
func (m *Message) Close() error {
	if m.done {
		return m.err
	}
	m.done = true
	if m.err == nil {
		if err := m.dot.drain(); err != nil {
			m.err = m.c.connErr(m.verb, fmt.Errorf("after %d octets of the message: %w", m.dot.n, err))
		}
	}
	m.c.open = nil
	m.err = m.c.end(m.verb, m.err)
	return m.err
}

// Retr starts retrieving message n and returns its body as a stream. The
// context bounds the whole retrieval, until Close.
func (c *Client) Retr(ctx context.Context, n int) (*Message, error) {
	if err := checkNum(n); err != nil {
		return nil, err
	}
	return c.multi(ctx, "RETR", "RETR "+strconv.Itoa(n))
}

// RetrTo copies message n to w and returns the octets written.
func (c *Client) RetrTo(ctx context.Context, n int, w io.Writer) (int64, error) {
	m, err := c.Retr(ctx, n)
	if err != nil {
		return 0, err
	}
	written, err := io.Copy(w, m)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return written, err
}

// RetrBytes returns message n.
func (c *Client) RetrBytes(ctx context.Context, n int) ([]byte, error) {
	var buf bytes.Buffer
	_, err := c.RetrTo(ctx, n, &buf)
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Top returns the header of message n, the blank line and the first lines
// lines of its body (RFC 1939 TOP).
func (c *Client) Top(ctx context.Context, n, lines int) ([]byte, error) {
	if err := checkNum(n); err != nil {
		return nil, err
	}
	if lines < 0 {
		return nil, fmt.Errorf("pop3client: TOP needs a line count of 0 or more, not %d", lines)
	}
	m, err := c.multi(ctx, "TOP", "TOP "+strconv.Itoa(n)+" "+strconv.Itoa(lines))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	_, err = io.Copy(&buf, m)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// multi sends a command whose +OK is followed by a dot-terminated body.
func (c *Client) multi(ctx context.Context, verb, line string) (*Message, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	if err := c.send(line); err != nil {
		return nil, c.end(verb, c.connErr(verb, err))
	}
	if _, err := c.status(verb); err != nil {
		return nil, c.end(verb, err)
	}
	m := &Message{c: c, verb: verb, dot: newDotReader(c.br)}
	c.open = m
	return m, nil
}

// RetrMany retrieves the messages nums in order and calls fn with each
// one's body (valid only during the call; fn need not read all of it). When
// the server advertises PIPELINING (RFC 2449 §6.6) the RETR commands are
// sent ahead in a window, so the server streams messages back to back;
// otherwise they are sent one at a time. A -ERR for one message stops the
// run and returns that *Error; so does an error from fn. The context
// bounds the whole run.
func (c *Client) RetrMany(ctx context.Context, nums []int, fn func(n int, r io.Reader) error) error {
	for _, n := range nums {
		if err := checkNum(n); err != nil {
			return err
		}
	}
	window := 1
	if c.caps.Has("PIPELINING") {
		window = c.opts.PipelineWindow
	}
	if err := c.begin(ctx); err != nil {
		return err
	}
	sent, done := 0, 0
	var firstErr error
	// sendUpTo queues RETRs until window commands are outstanding, in one
	// write. A small window refill (half the window) keeps writes rare.
	sendUpTo := func() error {
		if firstErr != nil {
			return nil
		}
		for sent < len(nums) && sent-done < window {
			c.bw.WriteString("RETR ")
			c.bw.WriteString(strconv.Itoa(nums[sent]))
			c.bw.WriteString("\r\n")
			sent++
		}
		return c.bw.Flush()
	}
	if err := sendUpTo(); err != nil {
		return c.end("RETR", c.connErr("RETR", err))
	}
	for done < sent {
		n := nums[done]
		_, err := c.status("RETR")
		var perr *Error
		switch {
		case errors.As(err, &perr):
			if firstErr == nil {
				perr.Text = fmt.Sprintf("message %d: %s", n, perr.Text)
				firstErr = perr
			}
		case err != nil:
			return c.end("RETR", err)
		default:
			dot := newDotReader(c.br)
			m := &Message{c: c, verb: "RETR", dot: dot}
			var ferr error
			if firstErr == nil {
				ferr = fn(n, m)
			}
			if m.err != nil {
				return c.end("RETR", m.err)
			}
			if err := dot.drain(); err != nil {
				return c.end("RETR", c.connErr("RETR", fmt.Errorf("after %d octets of message %d: %w", dot.n, n, err)))
			}
			if ferr != nil && firstErr == nil {
				firstErr = ferr
			}
		}
		done++
		if window > 1 && sent-done <= window/2 || window == 1 {
			if err := sendUpTo(); err != nil {
				return c.end("RETR", c.connErr("RETR", err))
			}
		}
	}
	return c.end("RETR", firstErr)
}
