//go:build !windows

package keystore

// ownerOnly does nothing beyond the file's mode 0600, which on Unix systems
// already makes it readable by its owner only.
func ownerOnly(string) error { return nil }
