// Package pop3server is the POP3 server (RFC 1939, RFC 2449 CAPA, RFC 2595
// STLS, RFC 5034 SASL PLAIN) of the bundled network's national mail
// servers. Like go-smtp, the server defines the interfaces its consumer
// implements: a Backend that checks logins and hands out Mailboxes.
package pop3server

import (
	"context"
	"errors"
	"io"
	"net"
)

// MessageInfo is one message of a mailbox as the session sees it.
type MessageInfo struct {
	// UID is the message's unique id for UIDL: 1 to 70 characters in
	// 0x21..0x7E, never reused for another message of the mailbox.
	UID  string
	Size int64 // exact size in octets, CR LF line endings
}

// Mailbox is a maildrop opened for one session. The server guarantees that
// at most one session holds a given user's mailbox at a time.
type Mailbox interface {
	// Messages lists the maildrop at the start of the session.
	Messages() ([]MessageInfo, error)
	// Open returns a message's bytes (CR LF line endings).
	Open(uid string) (io.ReadCloser, error)
	// Delete removes messages; it is called once, at QUIT (UPDATE state).
	Delete(uids []string) error
	// Close releases the mailbox at the end of the session.
	Close() error
}

// Backend checks credentials and opens mailboxes.
type Backend interface {
	// Login returns the mailbox of user, or ErrAuthFailed.
	Login(ctx context.Context, user, password string, remote net.Addr) (Mailbox, error)
}

// ErrAuthFailed is returned by a Backend for a wrong user name or password.
var ErrAuthFailed = errors.New("pop3server: invalid user name or password")
