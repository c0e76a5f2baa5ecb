//go:build !windows

package mailnet

import "syscall"

// Elsewhere syscall's own constants match the POSIX numbers already.

func osRefused(syscall.Errno) bool { return false }

func osReset(syscall.Errno) bool { return false }
