package smtpclient

import (
	"net"
	"time"

	"securemail/internal/mailnet"
)

// guardConn wraps the TCP connection (below TLS). go-smtp sets its own
// deadlines per command and clears them while the message body is written;
// guardConn replaces them: mailnet.Conn bounds every Read and Write by the
// idle timeout and the deadline of the call in progress, and cancelling
// that call's context interrupts a blocked Read or Write at once.
type guardConn struct {
	*mailnet.Conn
}

func newGuardConn(tcp net.Conn, idle time.Duration) guardConn {
	return guardConn{mailnet.NewConn(tcp, idle)}
}

// SetDeadline ignores go-smtp's per-command deadlines: Read and Write set
// their own from the idle timeout and the call's context.
func (guardConn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline is ignored for the same reason as SetDeadline.
func (guardConn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline is ignored for the same reason as SetDeadline.
func (guardConn) SetWriteDeadline(time.Time) error { return nil }
