package app

import (
	"errors"

	"securemail/internal/durable"
	"securemail/mailstore"
)

// WriteProblem words a failed file write for the user — the window's error
// dialogs and the command line's stderr — from its typed error: a file
// another program holds, a folder SecureMail may not write in, a full disk
// ([durable.Problem]). ok is false when err is no failed write, or when the
// mail store already made it a sentence (a [*mailstore.StorageError]'s text
// is shown as it is).
func WriteProblem(err error) (sentence string, ok bool) {
	var se *mailstore.StorageError
	if errors.As(err, &se) {
		return "", false
	}
	return durable.Problem(err)
}
