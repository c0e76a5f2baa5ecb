package profile

import (
	"errors"
	"strings"
	"testing"
)

// TestOneRunningInstancePerProfile: while one SecureMail holds a profile a
// second is refused with a sentence naming the folder; another profile is
// not affected; once released the profile can be taken again.
func TestOneRunningInstancePerProfile(t *testing.T) {
	p, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := p.Lock()
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Lock()
	var inUse *InUseError
	if !errors.As(err, &inUse) || !strings.Contains(err.Error(), p.Dir) {
		t.Fatalf("second Lock: %v, want an *InUseError naming %s", err, p.Dir)
	}
	other, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	unlockOther, err := other.Lock()
	if err != nil {
		t.Fatalf("another profile: %v", err)
	}
	unlockOther()
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	again, err := p.Lock()
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}
