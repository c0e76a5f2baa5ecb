//go:build windows

package testenv

import "syscall"

// The socket calls of bindWithoutListening on Windows (Winsock, which the
// net package has started).
type sockFD = syscall.Handle

const tcpProto = syscall.IPPROTO_TCP

func closeSock(fd sockFD) error { return syscall.Closesocket(fd) }
