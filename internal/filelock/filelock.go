// Package filelock holds an exclusive lock on a file for as long as a
// process wants it — one running SecureMail per profile. The operating
// system releases the lock when the process ends, even when it is killed,
// so a crash never leaves a stale lock behind. Unix systems use flock(2);
// Windows uses LockFileEx.
package filelock

import (
	"errors"
	"fmt"
	"os"
)

// Lock is an exclusive lock on a file, held until [Lock.Unlock].
type Lock struct {
	f *os.File
}

// HeldError means another holder — another process, or another [Lock] in
// this one — has the lock.
type HeldError struct {
	Path string
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("filelock: %s is locked by another program", e.Path)
}

// TryLock takes the exclusive lock on path (creating the file, mode 0600,
// when it does not exist) without waiting: a [*HeldError] when it is held.
func TryLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("filelock: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errHeld) {
			return nil, &HeldError{Path: path}
		}
		return nil, fmt.Errorf("filelock: locking %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. The file stays (removing it would race with
// the next holder).
func (l *Lock) Unlock() error {
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("filelock: %w", err)
	}
	return nil
}

// errHeld is what tryLock returns when another holder has the lock.
var errHeld = errors.New("held")
