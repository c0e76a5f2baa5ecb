package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// leftovers returns the names in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
next:
	for _, e := range entries {
		for _, k := range keep {
			if e.Name() == k {
				continue next
			}
		}
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFileCreatesAndReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "settings.json")
	if err := WriteFile(p, []byte("old"), 0); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), 0); err != nil {
		t.Fatalf("replacing an existing file: %v", err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "new" {
		t.Fatalf("read back %q, %v; want new", b, err)
	}
	if l := leftovers(t, dir, "settings.json"); l != nil {
		t.Errorf("files left beside the target: %v", l)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600 by default", st.Mode().Perm())
		}
	}
}

// faultFS is the real file system with one step failing and every call
// recorded.
type faultFS struct {
	OS
	failSync, failRename, failSyncDir error
	calls                             []string
}

type faultFile struct {
	*os.File
	fs *faultFS
}

func (f faultFile) Sync() error {
	f.fs.calls = append(f.fs.calls, "sync")
	if f.fs.failSync != nil {
		return f.fs.failSync
	}
	return f.File.Sync()
}

func (f *faultFS) CreateTemp(dir, pattern string) (File, error) {
	f.calls = append(f.calls, "create")
	file, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return faultFile{file, f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	f.calls = append(f.calls, "rename")
	if f.failRename != nil {
		return f.failRename
	}
	return f.OS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	f.calls = append(f.calls, "syncdir")
	if f.failSyncDir != nil {
		return f.failSyncDir
	}
	return f.OS.SyncDir(dir)
}

func TestWriteStepsInOrder(t *testing.T) {
	for _, deferSync := range []bool{false, true} {
		dir := t.TempDir()
		fsys := &faultFS{}
		if err := Write(filepath.Join(dir, "a"), Options{FS: fsys, DeferDirSync: deferSync}, func(f File) error {
			_, err := f.Write([]byte("x"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := "create sync rename syncdir"
		if deferSync {
			want = "create sync rename"
		}
		if got := strings.Join(fsys.calls, " "); got != want {
			t.Errorf("DeferDirSync=%v: steps %q, want %q", deferSync, got, want)
		}
	}
}

// TestFailedWriteLeavesTheOldFile: a write that fails at any step before
// the rename (a full disk, an fsync error, the caller's own error) leaves
// the old file whole and no temporary file behind, and reports the cause.
func TestFailedWriteLeavesTheOldFile(t *testing.T) {
	errFill := errors.New("the message body could not be read")
	for _, tc := range []struct {
		name string
		fs   *faultFS
		fill error
		want error
	}{
		{"disk full while writing", &faultFS{}, syscall.ENOSPC, syscall.ENOSPC},
		{"fsync fails", &faultFS{failSync: syscall.EIO}, nil, syscall.EIO},
		{"rename fails", &faultFS{failRename: syscall.EXDEV}, nil, syscall.EXDEV},
		{"fill fails", &faultFS{}, errFill, errFill},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "meta.json")
			if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			err := Write(p, Options{FS: tc.fs}, func(f File) error {
				if _, err := f.Write([]byte("half")); err != nil {
					return err
				}
				return tc.fill
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name %s", err, p)
			}
			if b, _ := os.ReadFile(p); string(b) != "old" {
				t.Errorf("the old file now holds %q", b)
			}
			if l := leftovers(t, dir, "meta.json"); l != nil {
				t.Errorf("files left: %v", l)
			}
		})
	}
}

func TestFailedDirSyncIsReported(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a")
	err := Write(p, Options{FS: &faultFS{failSyncDir: syscall.EIO}}, func(f File) error { return nil })
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("error %v, want the folder's fsync failure", err)
	}
}

func TestBeforeRenameSeesTheCompleteTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key.sealed")
	var seen string
	err := Write(p, Options{BeforeRename: func(tmp string) error {
		b, err := os.ReadFile(tmp)
		seen = string(b)
		if filepath.Dir(tmp) != dir {
			t.Errorf("temporary file %s is not in the target's folder", tmp)
		}
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the target exists before the hook ran: %v", err)
		}
		return err
	}}, func(f File) error {
		_, err := f.Write([]byte("sealed"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != "sealed" {
		t.Errorf("the hook saw %q", seen)
	}

	refused := errors.New("no ACL")
	err = Write(p, Options{BeforeRename: func(string) error { return refused }}, func(f File) error {
		_, err := f.Write([]byte("other"))
		return err
	})
	if !errors.Is(err, refused) {
		t.Fatalf("error %v, want the hook's", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "sealed" {
		t.Errorf("a refused hook still replaced the file: %q", b)
	}
	if l := leftovers(t, dir, "key.sealed"); l != nil {
		t.Errorf("files left: %v", l)
	}
}

func TestTempDirIsUsed(t *testing.T) {
	root := t.TempDir()
	tmpDir, newDir := filepath.Join(root, "tmp"), filepath.Join(root, "new")
	for _, d := range []string{tmpDir, newDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	err := Write(filepath.Join(newDir, "m1"), Options{TempDir: tmpDir}, func(f File) error {
		if filepath.Dir(f.Name()) != tmpDir {
			t.Errorf("temporary file %s, want it in %s", f.Name(), tmpDir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if l := leftovers(t, tmpDir); l != nil {
		t.Errorf("left in tmp/: %v", l)
	}
	if l := leftovers(t, newDir, "m1"); l != nil {
		t.Errorf("unexpected in new/: %v", l)
	}
}

func TestSyncDirOfAFolder(t *testing.T) {
	// The failure that stopped SecureMail on Windows ("syncing …\queue:
	// Access denied"): SyncDir of a real folder must succeed on every
	// system.
	if err := SyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

// errHeld stands for the refusal a system gives while another program
// holds the file.
var errHeld = errors.New("sharing violation")

// fakeRenamer returns a renamer whose rename is refused as held n times
// (n < 0: always) before it succeeds, recording the pauses.
func fakeRenamer(n int, pauses *[]time.Duration, calls *int) renamer {
	return renamer{
		rename: func(oldpath, newpath string) error {
			*calls++
			if n < 0 || *calls <= n {
				return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: errHeld}
			}
			return nil
		},
		locked: func(err error) bool { return errors.Is(err, errHeld) },
		sleep:  func(d time.Duration) { *pauses = append(*pauses, d) },
		budget: lockBudget,
	}
}

func TestRenameRetriesWhileHeld(t *testing.T) {
	var pauses []time.Duration
	calls := 0
	if err := fakeRenamer(3, &pauses, &calls).do("a.tmp", "a"); err != nil {
		t.Fatalf("a rename refused 3 times then allowed: %v", err)
	}
	if calls != 4 {
		t.Errorf("%d attempts, want 4", calls)
	}
	want := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}
	if len(pauses) != len(want) {
		t.Fatalf("pauses %v, want %v", pauses, want)
	}
	for i := range want {
		if pauses[i] != want[i] {
			t.Fatalf("pauses %v, want %v (growing)", pauses, want)
		}
	}
}

func TestRenameHeldTooLongIsALockedError(t *testing.T) {
	var pauses []time.Duration
	calls := 0
	target := filepath.Join("C:", "Users", "anna", "AppData", "Roaming", "SecureMail", "settings.json")
	err := fakeRenamer(-1, &pauses, &calls).do(target+".tmp", target)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T), want a *LockedError", err, err)
	}
	if le.Path != target {
		t.Errorf("LockedError.Path %q, want the target %q", le.Path, target)
	}
	if !errors.Is(err, errHeld) {
		t.Errorf("the LockedError does not wrap the last refusal")
	}
	var total time.Duration
	for _, p := range pauses {
		total += p
		if p > maxWait {
			t.Errorf("a pause of %v, longer than %v", p, maxWait)
		}
	}
	if total != lockBudget {
		t.Errorf("waited %v in all, want %v", total, lockBudget)
	}
	if calls != len(pauses)+1 {
		t.Errorf("%d attempts for %d pauses", calls, len(pauses))
	}
}

func TestRenameOtherErrorsAreNotRetried(t *testing.T) {
	var pauses []time.Duration
	r := renamer{
		rename: func(string, string) error { return syscall.ENOSPC },
		locked: func(err error) bool { return errors.Is(err, errHeld) },
		sleep:  func(d time.Duration) { pauses = append(pauses, d) },
		budget: lockBudget,
	}
	if err := r.do("a", "b"); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("error %v, want ENOSPC as it is", err)
	}
	if len(pauses) != 0 {
		t.Errorf("paused %v before reporting a full disk", pauses)
	}
}
