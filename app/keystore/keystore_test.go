package keystore

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

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
	// Nothing in clear on disk (who may read the file: TestSealedFileIsOwnerOnly).
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(b, []byte("BEGIN PRIVATE KEY")) {
			t.Errorf("%s holds the secret in clear", e.Name())
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
