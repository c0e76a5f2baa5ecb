// File modes beyond the read-only bit exist on Unix only: Windows keeps who
// may read a file in its ACL (see the keystore's owner-only test), so this
// test is built for Unix alone.
//go:build unix

package durable

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileSetsModeWhateverTheUmask(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Root_CA.cer")
	if err := WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}
