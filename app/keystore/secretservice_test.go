//go:build !windows

// The OS keyring on Linux is gnome-keyring's Secret Service over D-Bus, started
// here by TestMain; on Windows it is the Credential Manager, which every session
// has (see wincred_windows_test.go).

package keystore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// secretService is the gnome-keyring started by TestMain, or nil with
// serviceErr saying why not.
var secretService struct {
	s   *testenv.SecretService
	err error
}

func TestMain(m *testing.M) {
	if os.Getenv("KEYSTORE_CHILD") == "1" {
		os.Exit(m.Run()) // a child that must see no keyring
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	secretService.s, secretService.err = testenv.StartSecretService(ctx)
	cancel()
	code := m.Run()
	secretService.s.Stop()
	os.Exit(code)
}

func needKeyring(t *testing.T) {
	t.Helper()
	testenv.RequireSecretService(t, secretService.err)
}

// TestOSKeyringSecretNotInProfile checks that what goes into the keyring is
// nowhere in clear in gnome-keyring's own files (they are encrypted with the
// login password) — and so not in any folder of ours.
func TestOSKeyringSecretNotInKeyringFiles(t *testing.T) {
	needKeyring(t)
	k, _ := ForProfile(t.TempDir())
	marker := []byte(fmt.Sprintf("SECRET-MARKER-%d", time.Now().UnixNano()))
	if err := k.Set("pw", marker); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Delete("pw") })
	filepath.Walk(secretService.s.KeyringDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, marker) {
				t.Errorf("%s holds the secret in clear", p)
			}
		}
		return nil
	})
}

// TestUnavailableKeyringIsAClearError runs Check in a child process whose
// session bus address points nowhere, as on a machine without a desktop
// session, and expects ErrUnavailable with its sentence.
func TestUnavailableKeyringIsAClearError(t *testing.T) {
	if os.Getenv("KEYSTORE_CHILD") == "1" {
		k, _ := ForProfile(t.TempDir())
		err := k.Check()
		if !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Check on a dead bus = %v, want ErrUnavailable", err)
		}
		fmt.Println("CHILD-SAYS:", err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestUnavailableKeyringIsAClearError$", "-test.v")
	cmd.Env = append(os.Environ(), "KEYSTORE_CHILD=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("CHILD-SAYS: keystore: no OS keyring is available")) {
		t.Fatalf("child did not report the unavailable keyring:\n%s", out)
	}
}
