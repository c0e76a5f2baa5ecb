package smtpclient

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"securemail/internal/mailnet"
)

// EnhancedCode is an RFC 3463 status code such as 5.1.1; all zero when the
// server sent none.
type EnhancedCode [3]int

// String returns the code as "class.subject.detail", or "" if absent.
func (c EnhancedCode) String() string {
	if c == (EnhancedCode{}) {
		return ""
	}
	return strconv.Itoa(c[0]) + "." + strconv.Itoa(c[1]) + "." + strconv.Itoa(c[2])
}

// Error is a reply in which the server refused a command. The connection
// remains usable after one (Send resets the transaction).
type Error struct {
	Command      string       // the refused command: "AUTH", "MAIL FROM", "RCPT TO", "DATA", "STARTTLS", "EHLO", …
	Address      string       // the sender or recipient for MAIL FROM and RCPT TO
	Code         int          // the reply code, e.g. 550
	EnhancedCode EnhancedCode // e.g. 5.1.1, if the server sent one
	Message      string       // the server's text, lines joined by spaces
}

// Temporary reports whether the refusal is temporary (a 4xx reply): trying
// again later may succeed.
func (e *Error) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// Reply returns the server's reply as it would appear on the wire, on one
// line: "550 5.1.1 text".
func (e *Error) Reply() string {
	s := strconv.Itoa(e.Code)
	if ec := e.EnhancedCode.String(); ec != "" {
		s += " " + ec
	}
	if e.Message != "" {
		s += " " + e.Message
	}
	return s
}

// Error returns one sentence: what was refused, the server's words, and
// what to do.
func (e *Error) Error() string {
	advice := "this is permanent: correct it before sending again"
	if e.Temporary() {
		advice = "this is temporary: try again later"
	}
	switch e.Command {
	case "AUTH":
		if e.Temporary() {
			return fmt.Sprintf("smtpclient: authentication failed for now: the server answered %q; try again later", e.Reply())
		}
		return fmt.Sprintf("smtpclient: authentication failed: the server answered %q; check the user name and password", e.Reply())
	case "MAIL FROM":
		return fmt.Sprintf("smtpclient: the server refused the sender <%s>: %q; %s", e.Address, e.Reply(), advice)
	case "RCPT TO":
		return fmt.Sprintf("smtpclient: the server refused the recipient <%s>: %q; %s", e.Address, e.Reply(), advice)
	case "DATA":
		return fmt.Sprintf("smtpclient: the server refused the message: %q; %s", e.Reply(), advice)
	}
	return fmt.Sprintf("smtpclient: the server refused %s: %q; %s", e.Command, e.Reply(), advice)
}

// RecipientError says why one recipient was refused while the message went
// to the others.
type RecipientError struct {
	Recipient string
	Err       *Error
}

// Error returns the refusal as one sentence.
func (e RecipientError) Error() string { return e.Err.Error() }

// Unwrap returns the server's refusal.
func (e RecipientError) Unwrap() error { return e.Err }

// Temporary reports whether the recipient was refused only for now.
func (e RecipientError) Temporary() bool { return e.Err.Temporary() }

// Sentinel errors, for errors.Is. The errors returned carry a longer
// sentence that names the server, the sizes or the addresses involved.
var (
	// ErrCleartextAuth: a password for a connection without TLS, without
	// Options.AllowCleartextLogin.
	ErrCleartextAuth = errors.New("smtpclient: refusing to send the password over a connection without TLS; use starttls or implicit TLS, or allow a cleartext login explicitly")
	// ErrTLSNotOffered: TLS mode starttls, but the server has no STARTTLS.
	ErrTLSNotOffered = errors.New("smtpclient: the server does not offer STARTTLS, so the connection cannot be encrypted")
	// ErrAuthNotOffered: credentials given, but the server offers neither
	// AUTH PLAIN nor AUTH LOGIN.
	ErrAuthNotOffered = errors.New("smtpclient: the server offers no AUTH PLAIN or LOGIN, so the password cannot be sent")
	// ErrTooLarge: the message exceeds the server's SIZE limit; nothing
	// was sent.
	ErrTooLarge = errors.New("smtpclient: the message is larger than the server accepts")
	// Err8BitMIME: the message has 8-bit bytes and the server does not
	// offer 8BITMIME.
	Err8BitMIME = errors.New("smtpclient: the message needs 8BITMIME, which the server does not offer")
	// ErrSMTPUTF8: an address or the header has UTF-8 and the server does
	// not offer SMTPUTF8.
	ErrSMTPUTF8 = errors.New("smtpclient: the message needs SMTPUTF8, which the server does not offer")
	// ErrBadMessage: the message cannot be carried by SMTP as it is (a line
	// longer than 998 octets, a NUL byte).
	ErrBadMessage = errors.New("smtpclient: the message cannot be sent by SMTP as it is")
	// ErrBadAddress: an address or argument holds CR, LF or another
	// character that cannot appear in an SMTP command.
	ErrBadAddress = errors.New("smtpclient: invalid address")
	// ErrAllRefused: every recipient was refused; nothing was sent.
	ErrAllRefused = errors.New("smtpclient: the server refused every recipient")
	// ErrClosed: the client was closed or broken by an earlier failure.
	ErrClosed = errors.New("smtpclient: the connection is closed")
)

// detailError is a sentence that says more than the sentinel it wraps.
type detailError struct {
	msg string
	err error
}

func (e *detailError) Error() string { return e.msg }
func (e *detailError) Unwrap() error { return e.err }

// detailf returns an error reading format (prefixed by the package name)
// that errors.Is matches against sentinel.
func detailf(sentinel error, format string, args ...any) error {
	return &detailError{msg: "smtpclient: " + fmt.Sprintf(format, args...), err: sentinel}
}

// detailCause is detailf with a cause that errors.As can reach as well.
func detailCause(sentinel error, cause *Error, format string, args ...any) error {
	return &detailError{msg: "smtpclient: " + fmt.Sprintf(format, args...), err: joined{sentinel, cause}}
}

// joined lets errors.Is and errors.As see both a sentinel and a cause.
type joined struct{ a, b error }

func (j joined) Error() string   { return j.a.Error() }
func (j joined) Unwrap() []error { return []error{j.a, j.b} }

// ConnError is a failure of the connection itself: it could not be opened,
// the TLS handshake failed, the server stopped answering, or it hung up.
// The client cannot be used after one.
type ConnError struct {
	Step string // what the client was doing: "connect", "TLS handshake", "greeting", "DATA", …
	Addr string // host:port
	Host string // the name the certificate was checked against
	Err  error  // the underlying error (context, net, x509 or io errors)
}

// Error says in one sentence what happened and what to do.
func (e *ConnError) Error() string {
	switch {
	case errors.Is(e.Err, context.Canceled):
		return fmt.Sprintf("smtpclient: %s with %s was cancelled", e.Step, e.Addr)
	case e.Timeout():
		return fmt.Sprintf("smtpclient: timeout: %s did not answer in time during %s; check that the address and port are those of an SMTP server and that it is not overloaded", e.Addr, e.Step)
	case mailnet.IsRefused(e.Err):
		return fmt.Sprintf("smtpclient: connection refused by %s: no server is listening there; check the address and port", e.Addr)
	}
	if s, ok := mailnet.CertificateProblem(e.Err, e.Host); ok {
		return "smtpclient: " + s
	}
	if s, ok := mailnet.NotTLSProblem(e.Err, e.Addr, e.Step, "SMTP"); ok {
		return "smtpclient: " + s
	}
	var alert tls.AlertError
	switch {
	case errors.As(e.Err, &alert):
		return fmt.Sprintf("smtpclient: the TLS handshake with %s failed: the server sent the alert %q", e.Addr, alert.Error())
	case errors.Is(e.Err, io.EOF), errors.Is(e.Err, io.ErrUnexpectedEOF), mailnet.IsReset(e.Err):
		return fmt.Sprintf("smtpclient: %s closed the connection during %s", e.Addr, e.Step)
	}
	return fmt.Sprintf("smtpclient: %s with %s failed: %v", e.Step, e.Addr, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConnError) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout or a deadline.
func (e *ConnError) Timeout() bool { return mailnet.IsTimeout(e.Err) }

// IsCertificateError reports whether err is a failed verification of the
// server's certificate.
func IsCertificateError(err error) bool { return mailnet.IsCertificateError(err) }

// checkArg refuses a value that would break or extend an SMTP command line.
func checkArg(what, s string) error {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f {
			return detailf(ErrBadAddress, "the %s %q holds a control character (such as CR or LF), which cannot appear in an SMTP command", what, s)
		}
	}
	return nil
}

// checkAddress validates an envelope address (a mailbox without angle
// brackets). The null sender "" is allowed only where empty is true.
func checkAddress(what, addr string, empty bool) error {
	if addr == "" {
		if empty {
			return nil
		}
		return detailf(ErrBadAddress, "the %s address is empty", what)
	}
	if err := checkArg(what+" address", addr); err != nil {
		return err
	}
	if strings.ContainsAny(addr, "<> ") {
		return detailf(ErrBadAddress, "the %s address %q must be a bare address, without spaces or angle brackets", what, addr)
	}
	if len(addr) > 254 {
		return detailf(ErrBadAddress, "the %s address %q is longer than the 254 characters SMTP allows", what, truncate(addr, 40))
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return detailf(ErrBadAddress, "the %s address %q is not of the form name@domain", what, addr)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
