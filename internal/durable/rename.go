package durable

import (
	"fmt"
	"time"
)

// Retry timing of [Rename] while another program holds the file.
const (
	firstWait  = 10 * time.Millisecond
	maxWait    = 500 * time.Millisecond
	lockBudget = 5 * time.Second // total waiting before giving up
)

// LockedError is a rename that another program kept refusing (on Windows: a
// sharing violation, a lock violation or "Access denied" while the file is
// held open), still refused after [Rename]'s retries.
type LockedError struct {
	// Path is the file being written (the rename's target).
	Path string
	// Err is the last refusal.
	Err error
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("durable: %s is held open by another program: %v", e.Path, e.Err)
}

// Unwrap returns the last refusal.
func (e *LockedError) Unwrap() error { return e.Err }

// Rename moves oldpath over newpath, replacing it, atomically. On Windows the
// rename is durable when Rename returns (MOVEFILE_WRITE_THROUGH); on Unix
// systems call [SyncDir] on newpath's folder to make it so. A rename refused
// because another program holds one of the files open is retried with
// growing pauses for about five seconds, then reported as a [*LockedError].
func Rename(oldpath, newpath string) error {
	return renamer{rename: rename, locked: isLocked, sleep: time.Sleep, budget: lockBudget}.do(oldpath, newpath)
}

// renamer is [Rename] with its system calls and clock injected, so that the
// retry logic is tested on every system.
type renamer struct {
	rename func(oldpath, newpath string) error
	locked func(error) bool // the refusal is another program holding a file
	sleep  func(time.Duration)
	budget time.Duration // total pause before giving up
}

func (r renamer) do(oldpath, newpath string) error {
	wait, waited := firstWait, time.Duration(0)
	for {
		err := r.rename(oldpath, newpath)
		if err == nil || !r.locked(err) {
			return err
		}
		if waited >= r.budget {
			return &LockedError{Path: newpath, Err: err}
		}
		d := min(wait, r.budget-waited)
		r.sleep(d)
		waited += d
		wait = min(2*wait, maxWait)
	}
}
