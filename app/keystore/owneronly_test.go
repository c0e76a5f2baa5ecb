//go:build !windows

package keystore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSealedFileIsOwnerOnly: the sealed key file is readable by its owner
// only (mode 0600; on Windows, where modes mean nothing, acl_windows_test.go
// checks the ACL).
func TestSealedFileIsOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSealedFiles(dir, []byte("correct horse battery"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("key/1", []byte("not really a key")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
}
