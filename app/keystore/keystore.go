// Package keystore keeps SecureMail's secrets — private keys of Digital IDs
// and server passwords — out of the profile folder: in the OS keyring
// (Secret Service on Linux, Credential Manager on Windows, Keychain on macOS)
// or, only when the user opts in, in a file sealed with a passphrase.
package keystore

import (
	"errors"
)

// Store keeps named secrets. Names are short ASCII identifiers chosen by the
// application (e.g. "key/3F2A…", "pop3-password"); they are not secret.
type Store interface {
	Set(name string, secret []byte) error
	Get(name string) ([]byte, error)
	Delete(name string) error
}

// Errors returned by every Store; test with errors.Is.
var (
	// ErrNotFound means no secret of that name is stored.
	ErrNotFound = errors.New("keystore: no such secret")
	// ErrUnavailable means the OS keyring cannot be reached at all.
	ErrUnavailable = errors.New("keystore: no OS keyring is available (the Secret Service, Credential Manager or Keychain did not answer); start your desktop's keyring, or choose a key file protected by a passphrase")
	// ErrWrongPassphrase means a sealed file could not be opened with the passphrase given.
	ErrWrongPassphrase = errors.New("keystore: the passphrase is wrong")
	// ErrCorrupt means a stored secret does not match its checksum or cannot be decoded.
	ErrCorrupt = errors.New("keystore: a stored secret is damaged")
)
