//go:build !windows

package app

import "syscall"

// errDiskFull is how this system reports a full disk.
var errDiskFull error = syscall.ENOSPC
