//go:build windows

package app

import "golang.org/x/sys/windows"

// errDiskFull is how this system reports a full disk.
var errDiskFull error = windows.ERROR_DISK_FULL
