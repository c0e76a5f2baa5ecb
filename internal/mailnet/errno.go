package mailnet

import (
	"errors"
	"syscall"
)

// IsRefused reports whether err says that nothing listens at the address
// dialled: ECONNREFUSED, or on Windows WSAECONNREFUSED, which Go does not
// match to syscall.ECONNREFUSED.
func IsRefused(err error) bool {
	var e syscall.Errno
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &e) && osRefused(e)
}

// IsReset reports whether err says that the peer closed or dropped the
// connection under us: ECONNRESET or EPIPE, or on Windows WSAECONNRESET and
// WSAECONNABORTED.
func IsReset(err error) bool {
	var e syscall.Errno
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.As(err, &e) && osReset(e)
}
