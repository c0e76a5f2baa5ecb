package keystore

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"securemail/internal/testenv"
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
	if secretService.err != nil {
		if testenv.InCI() {
			t.Fatalf("gnome-keyring is required in CI: %v", secretService.err)
		}
		t.Skip(secretService.err)
	}
}

func TestOSKeyringRoundTripRSA4096Sized(t *testing.T) {
	needKeyring(t)
	k, err := ForProfile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Check(); err != nil {
		t.Fatal(err)
	}
	// An RSA-4096 PKCS#8 key is about 2,400 bytes: over Windows' 2,560-byte
	// limit once encoded, so it must be stored in chunks.
	secret := make([]byte, 2400)
	rand.Read(secret)
	if err := k.Set("key/test", secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get("key/test")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %d bytes, %v", len(got), err)
	}
	// A shorter value replaces it whole.
	if err := k.Set("key/test", []byte("short")); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("key/test"); err != nil || string(got) != "short" {
		t.Fatalf("after replace: %q, %v", got, err)
	}
	if err := k.Delete("key/test"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("key/test"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestOSKeyringProfilesAreSeparate(t *testing.T) {
	needKeyring(t)
	a, _ := ForProfile(filepath.Join(t.TempDir(), "alain"))
	b, _ := ForProfile(filepath.Join(t.TempDir(), "marie"))
	if a.Service == b.Service {
		t.Fatal("two profiles share a keyring service")
	}
	if err := a.Set("pop3-password", []byte("alain's")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Delete("pop3-password") })
	if _, err := b.Get("pop3-password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("profile b sees profile a's secret: %v", err)
	}
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

func TestSealedFiles(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSealedFiles(dir, []byte("correct horse battery"))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("-----BEGIN PRIVATE KEY----- not really")
	if err := s.Set("key/1", secret); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("key/1")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get: %q %v", got, err)
	}
	// Nothing in clear on disk.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(b, []byte("BEGIN PRIVATE KEY")) {
			t.Errorf("%s holds the secret in clear", e.Name())
		}
		if fi, _ := e.Info(); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", e.Name(), fi.Mode().Perm())
		}
	}
	wrong, _ := NewSealedFiles(dir, []byte("wrong passphrase"))
	if _, err := wrong.Get("key/1"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := NewSealedFiles(dir, []byte("short")); err == nil {
		t.Error("accepted a 5-character passphrase")
	}
	if err := s.Delete("key/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("key/1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
