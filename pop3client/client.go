// Package pop3client is SecureMail's POP3 client: RFC 1939 with CAPA
// (RFC 2449), STLS (RFC 2595), implicit TLS (RFC 8314), AUTH PLAIN
// (RFC 5034) and PIPELINING for fetching many messages in one stream.
//
// A message comes back byte for byte as the server stores it: line ends are
// kept and only the byte-stuffing dot is removed, so signatures over the raw
// message still verify. Every call takes a context; its deadline bounds the
// call and cancelling it interrupts the connection. The password is never
// sent without TLS unless Options.AllowCleartextLogin says so.
//
// Errors: a -ERR reply is an *Error (with the RESP-CODE, e.g. [AUTH] or
// [IN-USE]); a failed connection, handshake, timeout or hang-up is a
// *ConnError, after which the client is unusable; ErrTLSNotOffered and
// ErrCleartextLogin are returned before anything secret is sent.
package pop3client

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"securemail/internal/mailnet"
)

// Capabilities are the server's CAPA reply: upper-case tag → arguments.
type Capabilities map[string][]string

// Has reports whether the capability tag (e.g. "PIPELINING") is present.
func (c Capabilities) Has(tag string) bool {
	_, ok := c[strings.ToUpper(tag)]
	return ok
}

// SASL reports whether the SASL capability lists mechanism.
func (c Capabilities) SASL(mechanism string) bool {
	for _, m := range c["SASL"] {
		if strings.EqualFold(m, mechanism) {
			return true
		}
	}
	return false
}

// String lists the capabilities as the server sent them, sorted.
func (c Capabilities) String() string {
	out := make([]string, 0, len(c))
	for tag, args := range c {
		out = append(out, strings.TrimSpace(tag+" "+strings.Join(args, " ")))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// Client is one POP3 session. It is not safe for concurrent use: POP3 is a
// single conversation, so calls are made one after another.
type Client struct {
	opts   Options
	raw    *mailnet.Conn // TCP, under TLS if any
	conn   net.Conn      // raw or the TLS connection over it
	br     *bufio.Reader
	bw     *bufio.Writer
	banner string
	caps   Capabilities
	capaOK bool // the server answered CAPA
	tls    *tls.ConnectionState
	authed bool
	broken error // set once the connection is unusable
	open   *Message
}

// Dial connects, reads the greeting, asks for the capabilities and sets up
// TLS as opts.TLS says (STLS is followed by CAPA again, as RFC 2595 asks).
func Dial(ctx context.Context, opts Options) (*Client, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, o.DialTimeout)
	defer cancel()
	var d net.Dialer
	tcp, err := d.DialContext(dctx, "tcp", o.Address)
	if err != nil {
		return nil, &ConnError{Step: "connect", Addr: o.Address, Host: o.ServerName, Err: err}
	}
	c := &Client{opts: o, raw: mailnet.NewConn(tcp, o.IdleTimeout)}
	c.conn = c.raw
	if o.TLS == TLSImplicit {
		if err := c.handshake(dctx); err != nil {
			c.conn.Close()
			return nil, err
		}
	}
	c.setBuffers()
	if err := c.greeting(dctx); err != nil {
		c.conn.Close()
		return nil, err
	}
	if err := c.Capa(dctx); err != nil && c.broken != nil {
		c.conn.Close()
		return nil, err
	}
	if o.TLS == TLSStartTLS {
		if err := c.startTLS(dctx); err != nil {
			c.conn.Close()
			return nil, err
		}
	}
	return c, nil
}

func (c *Client) setBuffers() {
	c.br = bufio.NewReaderSize(c.conn, c.opts.BufferSize)
	c.bw = bufio.NewWriterSize(c.conn, 4096)
}

// handshake runs the TLS client handshake over the current connection.
func (c *Client) handshake(ctx context.Context) error {
	tc := tls.Client(c.raw, c.opts.tlsConfig())
	c.raw.Arm(ctx)
	err := tc.HandshakeContext(ctx)
	if cerr := c.raw.Disarm(); cerr != nil && err != nil {
		err = cerr
	}
	if err != nil {
		return &ConnError{Step: "TLS handshake", Addr: c.opts.Address, Host: c.opts.ServerName, Err: err}
	}
	st := tc.ConnectionState()
	c.tls = &st
	c.conn = tc
	return nil
}

func (c *Client) greeting(ctx context.Context) error {
	c.raw.Arm(ctx)
	line, err := readLine(c.br)
	if cerr := c.raw.Disarm(); cerr != nil && err != nil {
		err = cerr
	}
	if err != nil {
		return c.connErr("greeting", err)
	}
	ok, code, text, err := parseStatus(line)
	if err != nil {
		return c.connErr("greeting", err)
	}
	if !ok {
		return &Error{Command: "greeting", Code: code, Text: text}
	}
	c.banner = text
	return nil
}

// startTLS sends STLS and upgrades the connection.
func (c *Client) startTLS(ctx context.Context) error {
	if c.capaOK && !c.caps.Has("STLS") {
		return ErrTLSNotOffered
	}
	if _, err := c.cmd(ctx, "STLS", "STLS"); err != nil {
		var perr *Error
		if errors.As(err, &perr) {
			return fmt.Errorf("%w (it answered %q)", ErrTLSNotOffered, perr.Text)
		}
		return err
	}
	// Anything buffered after the +OK was sent before TLS and could have
	// been injected by an attacker (CVE-2011-0411 class): refuse.
	if c.br.Buffered() > 0 {
		c.fail(fmt.Errorf("%w: data arrived after the STLS reply, before TLS", ErrProtocol))
		return &ConnError{Step: "STLS", Addr: c.opts.Address, Err: c.broken}
	}
	if err := c.handshake(ctx); err != nil {
		c.fail(err)
		return err
	}
	c.setBuffers()
	// RFC 2595 §4: forget what was learnt before TLS and ask again.
	c.caps, c.capaOK = nil, false
	if err := c.Capa(ctx); err != nil && c.broken != nil {
		return err
	}
	return nil
}

// Banner returns the text of the server's greeting.
func (c *Client) Banner() string { return c.banner }

// Capabilities returns the last CAPA reply (empty if the server has none).
func (c *Client) Capabilities() Capabilities { return c.caps }

// TLSState returns the TLS connection state, if the connection uses TLS.
func (c *Client) TLSState() (tls.ConnectionState, bool) {
	if c.tls == nil {
		return tls.ConnectionState{}, false
	}
	return *c.tls, true
}

// Capa asks for the capabilities (RFC 2449). A server without CAPA answers
// -ERR; then the capabilities are empty and the *Error is returned.
func (c *Client) Capa(ctx context.Context) error {
	lines, err := c.cmdLines(ctx, "CAPA", "CAPA", 1000)
	if err != nil {
		c.caps, c.capaOK = Capabilities{}, false
		return err
	}
	caps := Capabilities{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		caps[strings.ToUpper(f[0])] = f[1:]
	}
	c.caps, c.capaOK = caps, true
	return nil
}

// checkArg refuses arguments that would break the command line.
func checkArg(s string) error {
	if strings.ContainsAny(s, "\r\n\x00") {
		return fmt.Errorf("pop3client: an argument contains a line break or NUL, which POP3 cannot carry")
	}
	return nil
}

// fail marks the client unusable.
func (c *Client) fail(err error) {
	if c.broken == nil {
		c.broken = err
		c.conn.Close()
	}
}

// connErr wraps a transport failure during step and breaks the client.
func (c *Client) connErr(step string, err error) error {
	var ce *ConnError
	if errors.As(err, &ce) {
		c.fail(err)
		return err
	}
	ce = &ConnError{Step: step, Addr: c.opts.Address, Host: c.opts.ServerName, Err: err}
	c.fail(ce)
	return ce
}

// begin checks that a command may be sent and ties the connection to ctx.
func (c *Client) begin(ctx context.Context) error {
	if c.broken != nil {
		return fmt.Errorf("%w: %w", ErrClosed, c.broken)
	}
	if c.open != nil {
		return ErrBusy
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.raw.Arm(ctx)
	return nil
}

// end unties the connection from ctx; if ctx ended, the conversation is in
// an unknown state and the client is broken.
func (c *Client) end(step string, err error) error {
	if cerr := c.raw.Disarm(); cerr != nil {
		return c.connErr(step, cerr)
	}
	return err
}

// send writes one command line. verb names it in errors (PASS hides the
// password).
func (c *Client) send(line string) error {
	if _, err := c.bw.WriteString(line); err != nil {
		return err
	}
	if _, err := c.bw.WriteString("\r\n"); err != nil {
		return err
	}
	return c.bw.Flush()
}

// status reads a status line; -ERR becomes *Error for verb.
func (c *Client) status(verb string) (string, error) {
	line, err := readLine(c.br)
	if err != nil {
		return "", c.connErr(verb, err)
	}
	ok, code, text, err := parseStatus(line)
	if err != nil {
		return "", c.connErr(verb, err)
	}
	if !ok {
		return "", &Error{Command: verb, Code: code, Text: text}
	}
	return text, nil
}

// cmd sends a single-line command and returns the +OK text.
func (c *Client) cmd(ctx context.Context, verb, line string) (string, error) {
	if err := c.begin(ctx); err != nil {
		return "", err
	}
	if err := c.send(line); err != nil {
		return "", c.end(verb, c.connErr(verb, err))
	}
	text, err := c.status(verb)
	return text, c.end(verb, err)
}

// cmdLines sends a command with a multi-line answer and returns its lines.
func (c *Client) cmdLines(ctx context.Context, verb, line string, maxLines int) ([]string, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	if err := c.send(line); err != nil {
		return nil, c.end(verb, c.connErr(verb, err))
	}
	if _, err := c.status(verb); err != nil {
		return nil, c.end(verb, err)
	}
	lines, err := readDotLines(c.br, maxLines)
	if err != nil {
		err = c.connErr(verb, err)
	}
	return lines, c.end(verb, err)
}

// Close closes the connection without QUIT: messages marked deleted stay.
func (c *Client) Close() error {
	if c.broken == nil {
		c.broken = ErrClosed
	}
	return c.conn.Close()
}

// Quit ends the session (messages marked deleted are removed now) and
// closes the connection.
func (c *Client) Quit(ctx context.Context) error {
	if c.open != nil {
		_ = c.open.Close()
	}
	_, err := c.cmd(ctx, "QUIT", "QUIT")
	if c.broken == nil {
		c.broken = ErrClosed
	}
	c.conn.Close()
	return err
}
