//go:build unix

package testenv

import "syscall"

// The socket calls of bindWithoutListening on Unix.
type sockFD = int

const tcpProto = 0

func closeSock(fd sockFD) error { return syscall.Close(fd) }
