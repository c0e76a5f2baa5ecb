package pop3client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// Response codes (RFC 2449 §8, RFC 3206) a server may put in brackets after
// -ERR.
const (
	CodeAuth       = "AUTH"        // the credentials were wrong
	CodeInUse      = "IN-USE"      // the mailbox is locked by another session
	CodeLoginDelay = "LOGIN-DELAY" // logged in too recently
	CodeSysTemp    = "SYS/TEMP"    // a temporary server problem
	CodeSysPerm    = "SYS/PERM"    // a permanent server problem
)

// Error is a -ERR reply from the server. The connection remains usable.
type Error struct {
	Command string // the verb that was refused, e.g. "PASS" (never its arguments)
	Code    string // the RESP-CODE without brackets, e.g. "AUTH"; "" if none
	Text    string // the server's text after the code
}

// Error returns one sentence with the server's own words.
func (e *Error) Error() string {
	text := e.Text
	if e.Code != "" {
		text = "[" + e.Code + "] " + text
	}
	if e.Command == "AUTH" || e.Command == "PASS" || e.Command == "USER" {
		return fmt.Sprintf("pop3client: authentication failed: the server answered %q; check the user name and password", text)
	}
	return fmt.Sprintf("pop3client: the server refused %s: %q", e.Command, text)
}

// Temporary reports whether trying again later may succeed.
func (e *Error) Temporary() bool {
	switch e.Code {
	case CodeInUse, CodeLoginDelay, CodeSysTemp:
		return true
	}
	return false
}

// Sentinel errors, for errors.Is.
var (
	// ErrTLSNotOffered: TLS mode starttls, but the server has no STLS.
	ErrTLSNotOffered = errors.New("pop3client: the server does not offer STLS, so the connection cannot be encrypted")
	// ErrCleartextLogin: Login on a connection without TLS was not allowed.
	ErrCleartextLogin = errors.New("pop3client: refusing to send the password over a connection without TLS; use TLS or allow cleartext login for this account explicitly")
	// ErrClosed: the client was closed or broken by an earlier failure.
	ErrClosed = errors.New("pop3client: the connection is closed")
	// ErrBusy: a message reader returned by Retr is still open.
	ErrBusy = errors.New("pop3client: a message is still being read; close its reader first")
	// ErrProtocol: the server said something POP3 does not allow.
	ErrProtocol = errors.New("pop3client: the server broke the POP3 protocol")
)

// ConnError is a failure of the connection itself: it could not be opened,
// the TLS handshake failed, the server stopped answering, or it hung up. The
// client cannot be used after one.
type ConnError struct {
	Step string // what the client was doing: "connect", "TLS handshake", "RETR", …
	Addr string // host:port
	Host string // the name the certificate was checked against
	Err  error  // the underlying error (context, net, x509 or io errors)
}

// Error says in one sentence what happened and what to do.
func (e *ConnError) Error() string {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		netTimeout net.Error
	)
	switch {
	case errors.Is(e.Err, context.Canceled):
		return fmt.Sprintf("pop3client: %s with %s was cancelled", e.Step, e.Addr)
	case errors.Is(e.Err, context.DeadlineExceeded), errors.Is(e.Err, os.ErrDeadlineExceeded),
		errors.As(e.Err, &netTimeout) && netTimeout.Timeout():
		return fmt.Sprintf("pop3client: timeout: %s did not answer in time during %s; check that the address and port are those of a POP3 server", e.Addr, e.Step)
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return fmt.Sprintf("pop3client: connection refused by %s: no server is listening there; check the address and port", e.Addr)
	case errors.As(e.Err, &hostname):
		return fmt.Sprintf("pop3client: the server's certificate is not valid for %s (%v); connect using a name the certificate lists", e.Host, hostname.Error())
	case errors.As(e.Err, &unknownCA):
		return fmt.Sprintf("pop3client: the server's certificate is not trusted for %s: it was issued by %q, which is not among the trusted CAs; give the CA certificate that issued it", e.Host, issuerName(unknownCA.Cert))
	case errors.As(e.Err, &invalid):
		return fmt.Sprintf("pop3client: the server's certificate is not trusted for %s: %v", e.Host, invalid.Error())
	case errors.As(e.Err, &verifyErr):
		return fmt.Sprintf("pop3client: the server's certificate is not trusted for %s: %v", e.Host, verifyErr.Err)
	case errors.As(e.Err, &recordErr):
		return fmt.Sprintf("pop3client: %s did not answer with TLS during %s; is it a plain POP3 port (use starttls) rather than an implicit-TLS one?", e.Addr, e.Step)
	case errors.Is(e.Err, io.EOF), errors.Is(e.Err, io.ErrUnexpectedEOF), errors.Is(e.Err, syscall.ECONNRESET):
		return fmt.Sprintf("pop3client: %s closed the connection during %s", e.Addr, e.Step)
	}
	return fmt.Sprintf("pop3client: %s with %s failed: %v", e.Step, e.Addr, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConnError) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout or deadline.
func (e *ConnError) Timeout() bool {
	var ne net.Error
	return errors.Is(e.Err, context.DeadlineExceeded) || errors.Is(e.Err, os.ErrDeadlineExceeded) ||
		(errors.As(e.Err, &ne) && ne.Timeout())
}

// IsCertificateError reports whether err is a failed verification of the
// server's certificate.
func IsCertificateError(err error) bool {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verifyErr)
}

func issuerName(c *x509.Certificate) string {
	if c == nil {
		return "an unknown issuer"
	}
	return c.Issuer.String()
}
