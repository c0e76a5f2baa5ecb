// Package smtpclient is SecureMail's SMTP submission client, built on
// emersion/go-smtp's client: STARTTLS (RFC 3207, port 587) or implicit TLS
// (RFC 8314, port 465), AUTH PLAIN or LOGIN only after TLS (unless a
// cleartext login is allowed explicitly), the server's
// SIZE limit checked before anything is sent, 8BITMIME and SMTPUTF8 when
// the message needs them, DSN parameters (RFC 3461) when advertised, and a
// result per recipient.
//
// Every call takes a context: its deadline bounds the call and cancelling
// it interrupts the connection at once. Options.IdleTimeout bounds every
// wait for the server.
//
// Errors: a refusal by the server is an *Error (Code, EnhancedCode,
// Message; Temporary for 4xx), reachable with errors.As; a failed
// connection, handshake, timeout or hang-up is a *ConnError, after which the
// client is unusable; the sentinels (ErrTLSNotOffered, ErrTooLarge, …) are
// returned before anything is sent and match with errors.Is. Each error
// reads as one sentence saying what happened and what to do.
package smtpclient

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"securemail/internal/mailnet"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Client is one SMTP session, for sending several messages on one
// connection. It is not safe for concurrent use.
type Client struct {
	opts   Options
	raw    guardConn
	c      *smtp.Client
	banner Reply
	caps   []string
	tls    *tls.ConnectionState
	authed bool
	mech   string // the SASL mechanism that succeeded
	broken error  // set once the connection is unusable
}

// Send connects as opts says, authenticates when opts.Username is set,
// sends one message and quits. See Client.Send for the result.
func Send(ctx context.Context, opts Options, env Envelope, msg io.Reader) (*Result, error) {
	if err := env.check(); err != nil {
		return nil, err
	}
	c, err := Dial(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	res, err := c.Send(ctx, env, msg)
	if c.broken == nil {
		// A failing QUIT changes nothing about the message's fate.
		_ = c.Quit(ctx)
	}
	return res, err
}

// Dial connects, reads the greeting, says EHLO, sets up TLS as opts.TLS says
// (EHLO again after STARTTLS), and authenticates when opts.Username is set.
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
	c := &Client{opts: o, raw: newGuardConn(tcp, o.IdleTimeout)}
	if err := c.open(dctx); err != nil {
		_ = tcp.Close()
		return nil, err
	}
	if o.Username != "" {
		if err := c.Auth(ctx, o.Username, o.Password); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// open runs the greeting, EHLO and TLS set-up.
func (c *Client) open(ctx context.Context) (err error) {
	c.raw.Arm(ctx)
	defer func() {
		if cerr := c.raw.Disarm(); cerr != nil && err != nil {
			var ce *ConnError
			if errors.As(err, &ce) {
				ce.Err = cerr
			}
		}
	}()
	o := c.opts
	log := &replyLog{}
	switch o.TLS {
	case TLSImplicit:
		tc := tls.Client(c.raw, o.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return c.connErr("TLS handshake", err)
		}
		c.c = smtp.NewClient(tc)
	case TLSNone:
		c.c = smtp.NewClient(c.raw)
	default:
		// QUIRK: go-smtp offers STARTTLS only inside NewClientStartTLS,
		// which greets and says EHLO as "localhost" before STARTTLS.
		// The plain part of the conversation is read below TLS.
		c.raw.SetTap(log)
		sc, err := smtp.NewClientStartTLS(c.raw, o.tlsConfig())
		c.raw.SetTap(nil)
		if err != nil {
			return c.startTLSErr(log, err)
		}
		c.c = sc
		c.banner, _ = log.First()
		log = &replyLog{}
	}
	// Deadlines come from guardConn; go-smtp's own are ignored.
	c.c.CommandTimeout, c.c.SubmissionTimeout = time.Hour, time.Hour
	c.c.DebugWriter = log
	err = c.c.Hello(o.LocalName)
	c.c.DebugWriter = nil
	if o.TLS != TLSStartTLS {
		c.banner, _ = log.First()
	}
	if err != nil {
		return c.helloErr(log, err)
	}
	if last, ok := log.Last(); ok {
		c.caps = capabilities(last)
	}
	if st, ok := c.c.TLSConnectionState(); ok {
		c.tls = &st
	}
	return nil
}

// startTLSErr explains a failure of greeting, EHLO or STARTTLS before TLS.
func (c *Client) startTLSErr(log *replyLog, err error) error {
	replies := log.All()
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		cmd := "STARTTLS"
		switch {
		case len(replies) == 0 || replies[0].Code != 220:
			cmd = "greeting"
		case len(replies) < 3:
			cmd = "EHLO"
		}
		return fromSMTP(cmd, "", se)
	}
	// go-smtp's own "server doesn't support STARTTLS" is a plain error:
	// recognise the case from the EHLO (or HELO) reply itself.
	if last, ok := log.Last(); ok && last.Code == 250 && len(replies) >= 2 && !isIOError(err) && !hasCap(capabilities(last), "STARTTLS") {
		return detailf(ErrTLSNotOffered, "%s does not offer STARTTLS, so the connection cannot be encrypted; use implicit TLS if this is an implicit-TLS port, or ask the server's administrator to enable STARTTLS", c.opts.Address)
	}
	step := "greeting"
	switch len(replies) {
	case 1:
		step = "EHLO"
	case 2:
		step = "STARTTLS"
	}
	return c.connErr(step, err)
}

// helloErr explains a failure of the greeting or EHLO (after TLS, if any).
func (c *Client) helloErr(log *replyLog, err error) error {
	first, greeted := log.First()
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		if c.opts.TLS != TLSStartTLS && (!greeted || first.Code != 220) {
			return fromSMTP("greeting", "", se)
		}
		return fromSMTP("EHLO", "", se)
	}
	switch {
	case c.opts.TLS == TLSStartTLS:
		if st, ok := c.c.TLSConnectionState(); !ok || !st.HandshakeComplete {
			return c.connErr("TLS handshake", err)
		}
	case !greeted:
		return c.connErr("greeting", err)
	}
	return c.connErr("EHLO", err)
}

// Banner returns the server's greeting, e.g. "220 mail.example ESMTP".
func (c *Client) Banner() string { return c.banner.String() }

// Capabilities returns the EHLO extension lines as the server sent them
// (after TLS, if any), e.g. "SIZE 10240000", "AUTH PLAIN LOGIN".
func (c *Client) Capabilities() []string { return append([]string(nil), c.caps...) }

// Extension reports whether the server advertised an extension and its
// parameters, from the EHLO reply shown by Capabilities.
func (c *Client) Extension(name string) (bool, string) {
	for _, line := range c.caps {
		kw, params, _ := strings.Cut(line, " ")
		if strings.EqualFold(kw, name) {
			return true, params
		}
	}
	return false, ""
}

// MaxSize returns the server's SIZE limit in octets; ok is false when the
// server declared none (0 with ok means no limit).
func (c *Client) MaxSize() (size int64, ok bool) {
	has, v := c.Extension("SIZE")
	if !has || v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// TLSState returns the TLS connection state; ok is false without TLS.
func (c *Client) TLSState() (tls.ConnectionState, bool) {
	if c.tls == nil {
		return tls.ConnectionState{}, false
	}
	return *c.tls, true
}

// Authenticated reports whether Auth (or Dial with a Username) succeeded.
func (c *Client) Authenticated() bool { return c.authed }

// AuthMechanism names the SASL mechanism that authenticated ("PLAIN" or
// "LOGIN"), or "" before authentication.
func (c *Client) AuthMechanism() string { return c.mech }

// Auth authenticates with AUTH PLAIN, or LOGIN when the server offers only
// that. Without TLS it refuses unless Options.AllowCleartextLogin.
func (c *Client) Auth(ctx context.Context, username, password string) (err error) {
	if err := c.usable(); err != nil {
		return err
	}
	if c.tls == nil && !c.opts.AllowCleartextLogin {
		return ErrCleartextAuth
	}
	if strings.ContainsRune(username, 0) || strings.ContainsRune(password, 0) {
		return detailf(ErrBadAddress, "the user name or password holds a NUL character, which AUTH PLAIN cannot carry")
	}
	var mech sasl.Client
	var name string
	switch {
	case hasAuth(c.caps, sasl.Plain):
		mech, name = sasl.NewPlainClient("", username, password), sasl.Plain
	case hasAuth(c.caps, sasl.Login):
		mech, name = sasl.NewLoginClient(username, password), sasl.Login
	default:
		offered := "none"
		if ok, v := c.Extension("AUTH"); ok {
			offered = v
		}
		return detailf(ErrAuthNotOffered, "%s offers no AUTH PLAIN or LOGIN (it offers: %s), so the password cannot be sent", c.opts.Address, offered)
	}
	c.raw.Arm(ctx)
	defer func() { err = c.end("AUTH", err) }()
	if err := c.c.Auth(mech); err != nil {
		return c.classify("AUTH", "", err)
	}
	c.authed, c.mech = true, name
	return nil
}

// Send sends one message: MAIL FROM, a RCPT TO per recipient, DATA. It
// returns an error when nothing was sent (with the Result saying which
// recipients were refused, if it got that far); a message accepted for at
// least one recipient is sent, and Result.Refused lists the others.
//
// Before MAIL FROM, Send refuses a message larger than the server's SIZE, a
// message that needs 8BITMIME or SMTPUTF8 the server does not offer, and a
// line over 998 octets. msg must have CRLF line ends (bare LF is sent as
// CRLF); it is read once, or twice if it is an io.Seeker.
func (c *Client) Send(ctx context.Context, env Envelope, msg io.Reader) (res *Result, err error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if err := env.check(); err != nil {
		return nil, err
	}
	info, body, err := prepare(msg)
	if err != nil {
		return nil, err
	}
	if err := info.check(); err != nil {
		return nil, err
	}
	res = &Result{
		EightBit: info.eightBody || info.eightHeader,
		UTF8:     info.eightHeader || env.needsUTF8(),
	}
	if max, ok := c.MaxSize(); ok {
		res.MaxSize = max
	}

	c.raw.Arm(ctx)
	defer func() { err = c.end("the transaction", err) }()

	// The checks use the EHLO reply read in Dial (go-smtp's Extension
	// would say EHLO again after a reset and hide its failure).
	if ok, _ := c.Extension("SMTPUTF8"); res.UTF8 && !ok {
		what := "an address"
		if info.eightHeader {
			what = "the message header"
		}
		return nil, detailf(ErrSMTPUTF8, "%s has non-ASCII characters, which need SMTPUTF8, and %s does not offer it; use ASCII addresses and MIME-encoded header words", what, c.opts.Address)
	}
	if ok, _ := c.Extension("8BITMIME"); res.EightBit && !ok {
		return nil, detailf(Err8BitMIME, "the message has 8-bit text, which needs 8BITMIME, and %s does not offer it; encode the text as quoted-printable or base64", c.opts.Address)
	}
	if max, ok := c.MaxSize(); ok && max > 0 && info.size > max {
		return nil, detailf(ErrTooLarge, "the message is %s (%d octets) but %s accepts at most %s (%d octets); nothing was sent: make it smaller, e.g. leave out an attachment", humanSize(info.size), info.size, c.opts.Address, humanSize(max), max)
	}
	dsn := false
	if env.DSN != nil {
		dsn, _ = c.Extension("DSN")
	}
	res.DSN = dsn

	if err := c.c.Mail(env.From, env.mailOptions(info.size, res.UTF8, dsn)); err != nil {
		return nil, c.abort(c.classify("MAIL FROM", env.From, err))
	}
	rcptOpts := env.rcptOptions(dsn)
	for _, to := range env.To {
		err := c.c.Rcpt(to, rcptOpts)
		var se *smtp.SMTPError
		switch {
		case err == nil:
			res.Accepted = append(res.Accepted, to)
		case errors.As(err, &se):
			res.Refused = append(res.Refused, RecipientError{Recipient: to, Err: fromSMTP("RCPT TO", to, se)})
		default:
			return res, c.classify("RCPT TO", to, err)
		}
	}
	if len(res.Accepted) == 0 {
		return res, c.abort(allRefused(res.Refused))
	}
	w, err := c.c.Data()
	if err != nil {
		return c.notSent(res), c.abort(c.classify("DATA", "", err))
	}
	if _, err := io.Copy(w, body); err != nil {
		return c.notSent(res), c.classify("DATA", "", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return c.notSent(res), c.classify("DATA", "", err)
	}
	res.Reply = resp.StatusText
	return res, nil
}

// notSent turns the accepted recipients of a failed DATA into refusals:
// the message went to nobody.
func (c *Client) notSent(res *Result) *Result {
	res.Accepted = nil
	return res
}

// allRefused builds the error for a message every recipient refused. It is
// temporary (errors.As to *Error) only if every refusal was.
func allRefused(refused []RecipientError) error {
	var parts []string
	first := refused[0].Err
	for _, r := range refused {
		parts = append(parts, fmt.Sprintf("<%s> (%s)", r.Recipient, r.Err.Reply()))
		if !r.Err.Temporary() {
			first = r.Err
		}
	}
	advice := "correct the addresses before sending again"
	if first.Temporary() {
		advice = "this is temporary: try again later"
	}
	return detailCause(ErrAllRefused, first, "the server refused every recipient, so nothing was sent: %s; %s", strings.Join(parts, ", "), advice)
}

// Quit ends the session politely and closes the connection.
func (c *Client) Quit(ctx context.Context) (err error) {
	if err := c.usable(); err != nil {
		c.Close()
		return err
	}
	c.raw.Arm(ctx)
	err = c.c.Quit()
	if derr := c.raw.Disarm(); derr != nil && err != nil {
		err = derr
	}
	c.Close()
	if err != nil {
		return c.classify("QUIT", "", err)
	}
	return nil
}

// Close closes the connection without QUIT. It is safe to call twice.
func (c *Client) Close() error {
	if c.broken == nil {
		c.broken = ErrClosed
	}
	// Do not let a TLS close_notify wait on a server that stopped reading.
	_ = c.raw.Conn.SetDeadline(time.Now().Add(time.Second))
	if c.c != nil {
		return c.c.Close()
	}
	return c.raw.Conn.Close()
}

// usable returns the reason the client cannot be used, if any.
func (c *Client) usable() error {
	if c.broken != nil {
		if errors.Is(c.broken, ErrClosed) {
			return ErrClosed
		}
		return fmt.Errorf("smtpclient: the connection is unusable after an earlier failure: %w", c.broken)
	}
	return nil
}

// end disarms the context and, if the call ended with a failure of the
// connection, closes the client.
func (c *Client) end(step string, err error) error {
	if cerr := c.raw.Disarm(); cerr != nil && err != nil {
		var ce *ConnError
		if errors.As(err, &ce) {
			ce.Err = cerr
		} else {
			err = c.connErr(step, cerr)
		}
	}
	var ce *ConnError
	if errors.As(err, &ce) {
		c.broken = err
		c.Close()
		c.broken = err
	}
	return err
}

// abort resets the transaction after a refusal so that the client can send
// the next message; a failing RSET breaks the connection.
func (c *Client) abort(err error) error {
	var ce *ConnError
	if errors.As(err, &ce) {
		return err
	}
	if rerr := c.c.Reset(); rerr != nil {
		var se *smtp.SMTPError
		if !errors.As(rerr, &se) {
			return c.connErr("RSET", rerr)
		}
	}
	return err
}

// classify turns an error from go-smtp into an *Error (a refusal) or a
// *ConnError (the connection failed).
func (c *Client) classify(cmd, addr string, err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return fromSMTP(cmd, addr, se)
	}
	return c.connErr(cmd, err)
}

func (c *Client) connErr(step string, err error) error {
	return &ConnError{Step: step, Addr: c.opts.Address, Host: c.opts.ServerName, Err: err}
}

// fromSMTP converts go-smtp's reply error.
func fromSMTP(cmd, addr string, se *smtp.SMTPError) *Error {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(se.Message, "\n", " ")), " ")
	return &Error{Command: cmd, Address: addr, Code: se.Code, EnhancedCode: EnhancedCode(se.EnhancedCode), Message: msg}
}

// isIOError reports whether err comes from the connection rather than from
// go-smtp's own checks.
func isIOError(err error) bool {
	var ne net.Error
	var pe textproto.ProtocolError
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &pe) ||
		mailnet.IsReset(err)
}

// hasCap reports whether the extension keyword is among the EHLO lines.
func hasCap(caps []string, name string) bool {
	for _, line := range caps {
		kw, _, _ := strings.Cut(line, " ")
		if strings.EqualFold(kw, name) {
			return true
		}
	}
	return false
}

// hasAuth reports whether AUTH lists the mechanism.
func hasAuth(caps []string, mech string) bool {
	for _, line := range caps {
		kw, params, _ := strings.Cut(line, " ")
		if !strings.EqualFold(kw, "AUTH") {
			continue
		}
		for _, m := range strings.Fields(params) {
			if strings.EqualFold(m, mech) {
				return true
			}
		}
	}
	return false
}
