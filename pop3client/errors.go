package pop3client

import (
	"context"
	"errors"
	"fmt"
	"io"

	"securemail/internal/mailnet"
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
	switch {
	case errors.Is(e.Err, context.Canceled):
		return fmt.Sprintf("pop3client: %s with %s was cancelled", e.Step, e.Addr)
	case e.Timeout():
		return fmt.Sprintf("pop3client: timeout: %s did not answer in time during %s; check that the address and port are those of a POP3 server", e.Addr, e.Step)
	case mailnet.IsRefused(e.Err):
		return fmt.Sprintf("pop3client: connection refused by %s: no server is listening there; check the address and port", e.Addr)
	}
	if s, ok := mailnet.CertificateProblem(e.Err, e.Host); ok {
		return "pop3client: " + s
	}
	if s, ok := mailnet.NotTLSProblem(e.Err, e.Addr, e.Step, "POP3"); ok {
		return "pop3client: " + s
	}
	if errors.Is(e.Err, io.EOF) || errors.Is(e.Err, io.ErrUnexpectedEOF) || mailnet.IsReset(e.Err) {
		return fmt.Sprintf("pop3client: %s closed the connection during %s", e.Addr, e.Step)
	}
	return fmt.Sprintf("pop3client: %s with %s failed: %v", e.Step, e.Addr, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConnError) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout or deadline.
func (e *ConnError) Timeout() bool { return mailnet.IsTimeout(e.Err) }

// IsCertificateError reports whether err is a failed verification of the
// server's certificate.
func IsCertificateError(err error) bool { return mailnet.IsCertificateError(err) }
