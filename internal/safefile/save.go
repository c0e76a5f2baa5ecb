package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"securemail/internal/durable"
)

// MaxPath is the longest full path, in UTF-16 code units, that [Save] gives
// a file: Windows' MAX_PATH is 260 including the terminating NUL. The limit
// applies on every operating system so that what is saved can be copied to
// Windows.
const MaxPath = 259

// maxCopies bounds the " (n)" suffixes Save tries in one folder.
const maxCopies = 9999

// FolderTooLongError says that a folder's path leaves no room for a file
// name within [MaxPath].
type FolderTooLongError struct {
	Dir string
}

func (e *FolderTooLongError) Error() string {
	return fmt.Sprintf("safefile: the path of the folder %s is too long for a file to be saved in it (Windows allows %d characters in all); choose a folder with a shorter path", e.Dir, MaxPath)
}

// FolderFullError says that every " (n)" variant of a name is taken.
type FolderFullError struct {
	Dir, Name string
}

func (e *FolderFullError) Error() string {
	return fmt.Sprintf("safefile: the folder %s already holds %d files named like %s; choose another folder", e.Dir, maxCopies, e.Name)
}

// Save writes data to a new file in dir whose name is name made safe by
// [Name], shortened so that the whole path fits in [MaxPath], and with
// " (2)", " (3)"… before its extension when the folder already holds a file
// of that name compared case-insensitively (Windows and macOS would take
// them for one). It never overwrites a file, and the file is readable by
// its owner only. It returns the name the file was saved under, to be shown
// to the user. On error nothing is left behind; the error is a
// [*FolderTooLongError], a [*FolderFullError], or a [*durable.WriteError]
// that app.Explain words (folder gone or not writable, disk full).
func Save(dir, name string, data []byte) (saved string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("safefile: the folder %s cannot be used: %w", dir, err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		// Worded like any failed write (app.Explain): the folder is gone or not ours to write in.
		return "", &durable.WriteError{Path: filepath.Join(abs, Name(name)), Err: err}
	}
	taken := make(map[string]bool, len(entries))
	for _, e := range entries {
		taken[strings.ToUpper(e.Name())] = true
	}
	room := MaxPath - utf16Len(abs) - 1
	fits := func(n string) bool { return len(n) <= MaxNameBytes && utf16Len(n) <= room }
	stem, ext := splitExt(Name(name))
	for i := 1; i <= maxCopies; i++ {
		suffix := ""
		if i > 1 {
			suffix = fmt.Sprintf(" (%d)", i)
		}
		n, ok := fit(stem, suffix, ext, fits)
		if !ok {
			return "", &FolderTooLongError{Dir: abs}
		}
		if taken[strings.ToUpper(n)] {
			continue
		}
		err := write(filepath.Join(abs, n), data)
		if errors.Is(err, fs.ErrExist) {
			continue // created meanwhile
		}
		if err != nil {
			return "", &durable.WriteError{Path: filepath.Join(abs, n), Err: err}
		}
		return n, nil
	}
	return "", &FolderFullError{Dir: abs, Name: stem + ext}
}

// write creates path, which must not exist, with data.
func write(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// utf16Len is the length of s in UTF-16 code units, the unit of Windows'
// path limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
