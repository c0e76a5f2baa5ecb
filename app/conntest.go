package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"

	"securemail/app/profile"
	"securemail/pop3client"
	"securemail/smime/identity"
	"securemail/smtpclient"
)

// Protocol names the server a connection test checks.
type Protocol string

// The two servers of an account.
const (
	POP3 Protocol = "POP3"
	SMTP Protocol = "SMTP"
)

// StepKind is one step of a connection test, in the order they happen
// (TLS comes before the greeting with implicit TLS, after the capabilities
// with STARTTLS).
type StepKind int

// The steps of a connection test.
const (
	StepDNS          StepKind = iota + 1 // the server's name looked up
	StepTCP                              // the TCP connection opened
	StepTLS                              // TLS set up and the server's certificate verified
	StepGreeting                         // the server's greeting read
	StepCapabilities                     // CAPA (POP3) or EHLO (SMTP) answered
	StepLogin                            // the password accepted
	StepMailbox                          // the mailbox's size read (POP3 STAT)
	StepTestMessage                      // a test message accepted (SMTP, when asked)
	StepLogout                           // the session ended cleanly (QUIT)
)

// String names the step as the window and the command line show it.
func (k StepKind) String() string {
	switch k {
	case StepDNS:
		return "name lookup (DNS)"
	case StepTCP:
		return "connection"
	case StepTLS:
		return "TLS, certificate verified"
	case StepGreeting:
		return "greeting"
	case StepCapabilities:
		return "capabilities"
	case StepLogin:
		return "login"
	case StepMailbox:
		return "mailbox size"
	case StepTestMessage:
		return "test message"
	case StepLogout:
		return "logout"
	}
	return fmt.Sprintf("step %d", int(k))
}

// ConnStep is one step of a connection test as it is reported: which
// server, which step, and what it found. Err is nil when the step passed;
// Skipped, when not empty, says why the step was not run.
type ConnStep struct {
	Protocol Protocol
	Kind     StepKind
	Err      error
	Skipped  string

	Addresses    []string             // StepDNS: the addresses the name stands for
	TLS          *tls.ConnectionState // StepTLS: nil on a connection without TLS
	Banner       string               // StepGreeting: the server's greeting
	Capabilities []string             // StepCapabilities: one per line
	MaxSize      int64                // StepCapabilities: SMTP SIZE limit, 0 if none
	User         string               // StepLogin: who logged in
	Mechanism    string               // StepLogin: SMTP's AUTH mechanism
	Messages     int                  // StepMailbox: messages waiting
	Octets       int64                // StepMailbox: their size
	Accepted     []string             // StepTestMessage: recipients accepted
	Reply        string               // StepTestMessage: the server's final reply
	Refused      []Refusal            // StepTestMessage: recipients refused
}

// Refusal is one recipient the server refused, with its reply.
type Refusal struct {
	Recipient string
	Reply     string // "550 5.1.1 text"
}

// ServerCheck is one server to check.
type ServerCheck struct {
	Protocol Protocol
	// Server gives the address, TLS mode, user name ("" checks everything
	// but the login) and the permission to log in without TLS.
	Server   profile.Server
	Password string
	// RootCAs verifies the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// ServerName is the name the certificate must be valid for; "" means
	// the host of Server.Address.
	ServerName string
	// LocalName is SMTP's EHLO name; "" means smtpclient's default.
	LocalName string
	// Timeout bounds each wait; 0 means DefaultConnTimeout.
	Timeout time.Duration
	// From and To, when both are set, make an SMTP check send a short test
	// message (Message).
	From    string
	To      []string
	Message []byte
}

// ErrBadAddress matches (errors.Is) a sender or recipient of the test
// message that cannot be used in SMTP: the mistake is the caller's, not
// the server's.
var ErrBadAddress = smtpclient.ErrBadAddress

// DefaultConnTimeout bounds each wait of a connection test.
const DefaultConnTimeout = 15 * time.Second

// TestConnection checks both servers of an account set-up as fetch and
// send use them: POP3 with its password, SMTP with its own (the POP3
// password when none was given), each verified against the servers' CA
// when one is given. Each step is reported through report, in order, from
// the calling goroutine; the check of a server stops at its first failing
// step. It returns the failures joined, or nil.
func TestConnection(ctx context.Context, s Setup, report func(ConnStep)) error {
	var roots *x509.CertPool
	if len(s.ServerCA) > 0 {
		certs, err := identity.ParseCertificates(s.ServerCA)
		if err != nil {
			return &ServerCAError{Err: err}
		}
		roots = x509.NewCertPool()
		for _, c := range certs {
			roots.AddCert(c)
		}
	}
	smtpPassword := s.SMTPPassword
	if smtpPassword == "" {
		smtpPassword = s.POP3Password
	}
	errPOP3 := CheckServer(ctx, ServerCheck{Protocol: POP3, Server: s.POP3, Password: s.POP3Password, RootCAs: roots}, report)
	if ctx.Err() != nil {
		return errPOP3
	}
	errSMTP := CheckServer(ctx, ServerCheck{Protocol: SMTP, Server: sendServer(s.SMTP), Password: smtpPassword,
		RootCAs: roots, LocalName: sendLocalName}, report)
	return errors.Join(errPOP3, errSMTP)
}

// TestAccount checks the servers of the account set up in this profile,
// with the passwords in the keyring (Settings' Test connection).
func (a *App) TestAccount(ctx context.Context, report func(ConnStep)) error {
	set, err := a.account()
	if err != nil {
		return err
	}
	roots, err := a.serverRoots(set)
	if err != nil {
		return err
	}
	pop3pw, err := a.secret(secretPOP3)
	if err != nil {
		return err
	}
	smtppw, err := a.secret(secretSMTP)
	if err != nil {
		return err
	}
	errPOP3 := CheckServer(ctx, ServerCheck{Protocol: POP3, Server: set.Account.POP3, Password: pop3pw, RootCAs: roots}, report)
	if ctx.Err() != nil {
		return errPOP3
	}
	errSMTP := CheckServer(ctx, ServerCheck{Protocol: SMTP, Server: sendServer(set.Account.SMTP), Password: smtppw,
		RootCAs: roots, LocalName: sendLocalName}, report)
	return errors.Join(errPOP3, errSMTP)
}

// sendLocalName is the EHLO name SecureMail gives when it sends.
const sendLocalName = "securemail.localhost"

// sendServer is the SMTP server as Send uses it: without TLS it sends
// without logging in (the bundled network's relays take mail from the
// test network without AUTH), so the user name is left out.
func sendServer(s profile.Server) profile.Server {
	if s.TLS == string(smtpclient.TLSNone) {
		s.Username = ""
	}
	return s
}

// ServerCAError is a servers' CA file that cannot be read.
type ServerCAError struct{ Err error }

func (e *ServerCAError) Error() string {
	return fmt.Sprintf("app: the servers' CA file cannot be read: %v", e.Err)
}

// Unwrap returns the cause.
func (e *ServerCAError) Unwrap() error { return e.Err }

// CheckServer checks one server step by step — name lookup, connection,
// TLS, greeting, capabilities, login, then the mailbox's size (POP3) or a
// test message (SMTP, when From and To are set), and logout — reporting
// each step through report. It stops at the first failing step and
// returns its error; nothing is fetched or deleted.
func CheckServer(ctx context.Context, c ServerCheck, report func(ConnStep)) error {
	if c.Timeout <= 0 {
		c.Timeout = DefaultConnTimeout
	}
	r := stepReporter{protocol: c.Protocol, report: report}
	host, _, err := net.SplitHostPort(c.Server.Address)
	if err != nil {
		return r.fail(StepDNS, &AddressError{Protocol: c.Protocol, Address: c.Server.Address})
	}
	dctx, cancel := context.WithTimeout(ctx, c.Timeout)
	addrs, err := net.DefaultResolver.LookupHost(dctx, host)
	cancel()
	if err != nil {
		return r.fail(StepDNS, err)
	}
	r.ok(ConnStep{Kind: StepDNS, Addresses: addrs})
	if c.Protocol == POP3 {
		return checkPOP3(ctx, c, r)
	}
	return checkSMTP(ctx, c, r)
}

// AddressError is a server address that is not HOST:PORT.
type AddressError struct {
	Protocol Protocol
	Address  string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("app: the %s server %q is not HOST:PORT", e.Protocol, e.Address)
}

// stepReporter reports the steps of one server.
type stepReporter struct {
	protocol Protocol
	report   func(ConnStep)
}

func (r stepReporter) ok(st ConnStep) {
	st.Protocol = r.protocol
	r.report(st)
}

func (r stepReporter) fail(kind StepKind, err error) error {
	r.report(ConnStep{Protocol: r.protocol, Kind: kind, Err: err})
	return err
}

// dialFailed reports the steps a failed dial passed, then the failing one.
func (r stepReporter) dialFailed(order []StepKind, err error) error {
	failed := FailedStep(err)
	for _, k := range order {
		if k == failed {
			break
		}
		r.ok(ConnStep{Kind: k})
	}
	return r.fail(failed, err)
}

// dialed reports the steps of a successful dial in order.
func (r stepReporter) dialed(order []StepKind, found map[StepKind]ConnStep) {
	for _, k := range order {
		st := found[k]
		st.Kind = k
		r.ok(st)
	}
}

// dialOrder is the order of the dial's steps for a TLS mode.
func dialOrder(mode string) []StepKind {
	switch mode {
	case "implicit":
		return []StepKind{StepTCP, StepTLS, StepGreeting, StepCapabilities}
	}
	return []StepKind{StepTCP, StepGreeting, StepCapabilities, StepTLS}
}

// tlsStep is what the TLS step found.
func tlsStep(st tls.ConnectionState, ok bool) ConnStep {
	if !ok {
		return ConnStep{Skipped: "the connection is not encrypted"}
	}
	return ConnStep{TLS: &st}
}

func checkPOP3(ctx context.Context, c ServerCheck, r stepReporter) error {
	order := dialOrder(c.Server.TLS)
	mode, err := pop3client.ParseTLSMode(c.Server.TLS)
	if err != nil {
		return r.fail(StepTLS, err)
	}
	cl, err := pop3client.Dial(ctx, pop3client.Options{Address: c.Server.Address, TLS: mode, RootCAs: c.RootCAs,
		ServerName: c.ServerName, AllowCleartextLogin: c.Server.AllowCleartextLogin, DialTimeout: c.Timeout, IdleTimeout: c.Timeout})
	if err != nil {
		return r.dialFailed(order, err)
	}
	defer cl.Close()
	caps := cl.Capabilities().String()
	var capLines []string
	if caps != "" {
		capLines = []string{caps}
	}
	r.dialed(order, map[StepKind]ConnStep{
		StepTLS:          tlsStep(cl.TLSState()),
		StepGreeting:     {Banner: cl.Banner()},
		StepCapabilities: {Capabilities: capLines},
	})
	if c.Server.Username == "" {
		r.ok(ConnStep{Kind: StepLogin, Skipped: "no user name"})
		_ = cl.Quit(ctx)
		return nil
	}
	if err := cl.Login(ctx, c.Server.Username, c.Password); err != nil {
		return r.fail(StepLogin, err)
	}
	r.ok(ConnStep{Kind: StepLogin, User: c.Server.Username})
	count, size, err := cl.Stat(ctx)
	if err != nil {
		return r.fail(StepMailbox, err)
	}
	r.ok(ConnStep{Kind: StepMailbox, Messages: count, Octets: size})
	if err := cl.Quit(ctx); err != nil {
		return r.fail(StepLogout, err)
	}
	r.ok(ConnStep{Kind: StepLogout})
	return nil
}

func checkSMTP(ctx context.Context, c ServerCheck, r stepReporter) error {
	order := dialOrder(c.Server.TLS)
	mode, err := smtpclient.ParseTLSMode(c.Server.TLS)
	if err != nil {
		return r.fail(StepTLS, err)
	}
	cl, err := smtpclient.Dial(ctx, smtpclient.Options{Address: c.Server.Address, TLS: mode, RootCAs: c.RootCAs,
		ServerName: c.ServerName, AllowCleartextLogin: c.Server.AllowCleartextLogin, LocalName: c.LocalName,
		DialTimeout: c.Timeout, IdleTimeout: c.Timeout})
	if err != nil {
		return r.dialFailed(order, err)
	}
	defer cl.Close()
	max, _ := cl.MaxSize()
	r.dialed(order, map[StepKind]ConnStep{
		StepTLS:          tlsStep(cl.TLSState()),
		StepGreeting:     {Banner: cl.Banner()},
		StepCapabilities: {Capabilities: cl.Capabilities(), MaxSize: max},
	})
	if c.Server.Username == "" {
		r.ok(ConnStep{Kind: StepLogin, Skipped: "no user name"})
	} else {
		if err := cl.Auth(ctx, c.Server.Username, c.Password); err != nil {
			return r.fail(StepLogin, err)
		}
		r.ok(ConnStep{Kind: StepLogin, User: c.Server.Username, Mechanism: cl.AuthMechanism()})
	}
	if c.From == "" || len(c.To) == 0 {
		r.ok(ConnStep{Kind: StepTestMessage, Skipped: "no sender and recipient given"})
	} else {
		res, err := cl.Send(ctx, smtpclient.Envelope{From: c.From, To: c.To}, bytes.NewReader(c.Message))
		if err != nil {
			return r.fail(StepTestMessage, err)
		}
		st := ConnStep{Kind: StepTestMessage, Accepted: res.Accepted, Reply: res.Reply}
		for _, x := range res.Refused {
			st.Refused = append(st.Refused, Refusal{Recipient: x.Recipient, Reply: x.Err.Reply()})
		}
		if len(res.Refused) > 0 {
			st.Err = res.Refused[0]
			r.ok(st)
			_ = cl.Quit(ctx)
			return st.Err
		}
		r.ok(st)
	}
	if err := cl.Quit(ctx); err != nil {
		return r.fail(StepLogout, err)
	}
	r.ok(ConnStep{Kind: StepLogout})
	return nil
}

// FailedStep is the one classifier of connection failures: it names the
// step of a connection test that err (from pop3client or smtpclient)
// stopped at. A failure it cannot place is a failed connection.
func FailedStep(err error) StepKind {
	var (
		dnsErr *net.DNSError
		pce    *pop3client.ConnError
		pe     *pop3client.Error
		sce    *smtpclient.ConnError
		se     *smtpclient.Error
	)
	switch {
	case errors.As(err, &dnsErr):
		return StepDNS
	case errors.Is(err, pop3client.ErrTLSNotOffered), errors.Is(err, smtpclient.ErrTLSNotOffered),
		pop3client.IsCertificateError(err):
		return StepTLS
	case errors.Is(err, pop3client.ErrCleartextLogin), errors.Is(err, smtpclient.ErrCleartextAuth),
		errors.Is(err, smtpclient.ErrAuthNotOffered):
		return StepLogin
	case errors.As(err, &pe):
		return stepOf(pe.Command)
	case errors.As(err, &se):
		return stepOf(se.Command)
	case errors.As(err, &pce):
		return stepOf(pce.Step)
	case errors.As(err, &sce):
		return stepOf(sce.Step)
	}
	return StepTCP
}

// stepOf maps a client's step or command name to the test's step.
func stepOf(name string) StepKind {
	switch name {
	case "TLS handshake", "STLS", "STARTTLS":
		return StepTLS
	case "greeting":
		return StepGreeting
	case "CAPA", "EHLO", "HELO":
		return StepCapabilities
	case "AUTH", "USER", "PASS":
		return StepLogin
	case "STAT":
		return StepMailbox
	case "MAIL FROM", "RCPT TO", "DATA":
		return StepTestMessage
	case "QUIT":
		return StepLogout
	}
	return StepTCP
}
