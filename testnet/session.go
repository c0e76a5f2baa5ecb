package testnet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"securemail/internal/mailheader"
	"securemail/testaaddr"
	"securemail/testnet/evlog"
	"securemail/testnet/queue"
)

// role is what an SMTP listener is for.
type role int

const (
	roleSubmit  role = iota // national server: testers submit mail (AUTH required)
	roleInbound             // national server: the relays deliver mail for the domain
	roleRelay               // relay: national servers hand over mail
)

// SMTP replies of the network. Every refusal says what to do.
var (
	errOutsideTESTA = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Mail from or to addresses outside eu-admin.net is refused: TESTA is a private network"}
	errNotOwnSender = &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "The envelope sender must be your own address (the one you logged in with)"}
	errOnlyRelays = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Only the TESTA relays may deliver here; testers submit on the submission port with a login"}
	errOnlyNational = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relay access denied: only registered national mail servers may use this relay"}
	errNoSuchUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such mailbox here; check the address"}
	errNoRoute = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 2},
		Message: "No TESTA mail server serves this domain; check the country part of the address"}
	errNotOurDomain = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "This server accepts mail only for its own domain"}
	errStorage = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "The message could not be stored; please try again later"}
	// errBareNewline is Postfix's smtpd_forbid_bare_newline reply: a CR or LF alone makes programs disagree on
	// where a header line ends, which hides header fields from some and shows them to others (SMTP smuggling,
	// and docs/SECURITY.md, "Who sent it").
	errBareNewline = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 5, 2},
		Message: "bare CR or LF in message text; use CRLF line endings"}
)

// hasBareNewline reports whether msg holds a CR not followed by LF or an LF not preceded by CR.
func hasBareNewline(msg []byte) bool {
	for i := 0; i < len(msg); {
		j := bytes.IndexAny(msg[i:], "\r\n")
		if j < 0 {
			return false
		}
		j += i
		if msg[j] == '\n' || j+1 >= len(msg) || msg[j+1] != '\n' {
			return true
		}
		i = j + 2
	}
	return false
}

// session is one SMTP connection to a node.
type session struct {
	node *node
	role role
	conn *smtp.Conn
	user string // authenticated tester (submission)
	from string
	env  string // ENVID
	to   []string
}

func (s *session) peer() string {
	if n := peerNode(s.conn.TLSConnectionState()); n != "" {
		return n
	}
	if s.user != "" {
		return s.user
	}
	return s.conn.Conn().RemoteAddr().String()
}

func (s *session) Reset()        { s.from, s.env, s.to = "", "", nil }
func (s *session) Logout() error { return nil }

func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(addr[i+1:])
}

func (s *session) reject(err error, from string, to []string) error {
	s.node.log(evlog.Event{Event: evlog.Rejected, From: from, To: to, Peer: s.peer(), Result: err.Error()})
	return err
}

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	s.Reset()
	switch s.role {
	case roleSubmit:
		if s.user == "" {
			return s.reject(smtp.ErrAuthRequired, from, nil)
		}
		if !testaaddr.Equal(from, s.user) {
			return s.reject(errNotOwnSender, from, nil)
		}
	case roleInbound:
		if n := peerNode(s.conn.TLSConnectionState()); !s.node.net.isRelay(n) {
			return s.reject(errOnlyRelays, from, nil)
		}
	case roleRelay:
		if n := peerNode(s.conn.TLSConnectionState()); !s.node.net.isNational(n) {
			return s.reject(errOnlyNational, from, nil)
		}
	}
	if from != "" && !testaaddr.IsTESTADomain(domainOf(from)) {
		return s.reject(errOutsideTESTA, from, nil)
	}
	s.from = from
	if s.role != roleSubmit && opts != nil {
		s.env = opts.EnvelopeID
	}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	d := domainOf(to)
	if !testaaddr.IsTESTADomain(d) {
		return s.reject(errOutsideTESTA, s.from, []string{to})
	}
	n := s.node
	switch s.role {
	case roleInbound:
		if d != n.domain {
			return s.reject(errNotOurDomain, s.from, []string{to})
		}
		if !n.hasUser(to) {
			return s.reject(errNoSuchUser, s.from, []string{to})
		}
	case roleSubmit:
		if d == n.domain && !n.hasUser(to) {
			return s.reject(errNoSuchUser, s.from, []string{to})
		}
		if n.net.nationalFor(d) == nil {
			return s.reject(errNoRoute, s.from, []string{to})
		}
	case roleRelay:
		if n.net.nationalFor(d) == nil {
			return s.reject(errNoRoute, s.from, []string{to})
		}
	}
	s.to = append(s.to, to)
	return nil
}

// messageID returns the Message-ID field of a message, or "".
func messageID(msg []byte) string {
	return mailheader.Parse(msg).Get("Message-Id")
}

func (s *session) Data(r io.Reader) error {
	msg, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp turns a too-large message into 552
	}
	n := s.node
	mid := messageID(msg)
	ev := evlog.Event{MessageID: mid, From: s.from, To: s.to, Peer: s.peer()}
	if hasBareNewline(msg) {
		n.log(with(ev, evlog.Rejected, "bare CR or LF in the message text"))
		return errBareNewline
	}
	n.log(with(ev, evlog.Received, fmt.Sprintf("%d bytes", len(msg))))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if s.role == roleRelay {
		virus, err := n.scanner.scan(ctx, msg)
		if err != nil {
			n.log(with(ev, evlog.Scanned, "scan failed: "+err.Error()))
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "The virus scanner is unavailable; please try again later"}
		}
		if virus != "" {
			n.log(with(ev, evlog.Rejected, "virus found: "+virus))
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
				Message: "Message refused: it contains a virus (" + virus + "); remove the infected attachment"}
		}
		n.log(with(ev, evlog.Scanned, "clean"))
	}
	if s.role == roleInbound {
		var failed error
		for _, to := range s.to {
			dup, err := n.mail.Deliver(strings.ToLower(to), s.env, bytes.NewReader(msg))
			switch {
			case err != nil:
				failed = err
				n.log(evlog.Event{Event: evlog.Deferred, MessageID: mid, From: s.from, To: []string{to}, Peer: s.peer(), Result: err.Error()})
			case dup:
				n.log(evlog.Event{Event: evlog.Delivered, MessageID: mid, From: s.from, To: []string{to}, Peer: s.peer(), Result: "duplicate of envelope " + s.env + " ignored"})
			default:
				n.log(evlog.Event{Event: evlog.Delivered, MessageID: mid, From: s.from, To: []string{to}, Peer: s.peer(), Result: "mailbox"})
			}
		}
		if failed != nil {
			return errStorage
		}
		return nil
	}
	_, err = n.queue.Enqueue(ctx, queue.Envelope{From: s.from, To: s.to, EnvID: s.env, MessageID: mid, Peer: s.peer()}, bytes.NewReader(msg))
	if err != nil {
		n.log(with(ev, evlog.Deferred, "not queued: "+err.Error()))
		return errStorage
	}
	return nil
}

func with(e evlog.Event, kind, result string) evlog.Event {
	e.Event, e.Result = kind, result
	return e
}

// submitSession adds SMTP AUTH PLAIN to the submission listener.
type submitSession struct{ *session }

func (s submitSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s submitSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if identity != "" && !testaaddr.Equal(identity, user) {
			return smtp.ErrAuthFailed
		}
		n := s.node
		if !n.checkPassword(user, pass) {
			n.log(evlog.Event{Event: evlog.Auth, Peer: s.conn.Conn().RemoteAddr().String(), From: user, Result: "login failed"})
			select {
			case <-time.After(n.net.cfg.AuthFailureDelay.Duration):
			case <-n.net.done:
			}
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}
