package envelope

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error from Decrypt and RecipientIDs wraps exactly
// one of them, with the detail in the message; so do Encrypt's refusals of
// a cipher or a recipient key it cannot use.
var (
	// ErrNotRecipient means that none of the keys given to Decrypt belongs
	// to a recipient of the message.
	ErrNotRecipient = errors.New("this message is encrypted but none of your Digital IDs can open it")

	// ErrUnsupported means that the message uses an algorithm or a CMS
	// feature this package does not implement.
	ErrUnsupported = errors.New("the message is encrypted with an algorithm SecureMail does not support")

	// ErrCorrupt means that the message is damaged or does not open with
	// the key: truncated or altered ciphertext, bad padding, an
	// authentication tag mismatch, or a wrong private key.
	ErrCorrupt = errors.New("the encrypted message is damaged or was altered and cannot be opened")
)

// errf wraps sentinel with a detail, prefixed with the package name:
// "envelope: <detail>: <sentinel>".
func errf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("envelope: %s: %w", fmt.Sprintf(format, args...), sentinel)
}
