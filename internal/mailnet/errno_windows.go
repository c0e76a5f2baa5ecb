package mailnet

import "syscall"

// Winsock's numbers (winerror.h), which syscall.Errno carries on Windows.
const (
	wsaeConnAborted syscall.Errno = 10053
	wsaeConnReset   syscall.Errno = 10054
	wsaeConnRefused syscall.Errno = 10061
)

func osRefused(e syscall.Errno) bool { return e == wsaeConnRefused }

func osReset(e syscall.Errno) bool { return e == wsaeConnReset || e == wsaeConnAborted }
