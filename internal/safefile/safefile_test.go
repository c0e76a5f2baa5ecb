package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"securemail/internal/durable"
)

// validWindowsName says why Windows (or Linux) would refuse or mangle name,
// or "" when it would not. It follows Microsoft's "Naming Files, Paths, and
// Namespaces" independently of the code under test, plus the rules this
// package adds (no format characters, no leading dot, valid UTF-8).
func validWindowsName(name string) string {
	switch {
	case name == "":
		return "empty"
	case !utf8.ValidString(name):
		return "not UTF-8"
	case len(name) > 255:
		return "over 255 bytes"
	case len(utf16.Encode([]rune(name))) > 255:
		return "over 255 UTF-16 units"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "ends with a dot or space"
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, " "):
		return "begins with a dot or space"
	}
	for _, r := range name {
		switch {
		case r < 32 || (r >= 0x7f && r <= 0x9f):
			return fmt.Sprintf("control character %U", r)
		case strings.ContainsRune(`<>:"/\|?*`, r):
			return fmt.Sprintf("reserved character %q", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("format character %U", r)
		}
	}
	base := strings.ToLower(strings.TrimRight(strings.SplitN(name, ".", 2)[0], " "))
	devices := []string{"con", "prn", "aux", "nul", "conin$", "conout$"}
	for _, d := range []string{"com", "lpt"} {
		for _, n := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
			devices = append(devices, d+n)
		}
	}
	for _, d := range devices {
		if base == d {
			return "device name " + d
		}
	}
	return ""
}

func TestName(t *testing.T) {
	long := strings.Repeat("é", 300) + ".pdf"
	for _, tc := range []struct{ class, in, want string }{
		{"plain", "report.pdf", "report.pdf"},
		{"accents kept", "Übersicht März.xlsx", "Übersicht März.xlsx"},
		{"device", "CON", "_CON"},
		{"device with extension", "con.txt", "_con.txt"},
		{"device, two extensions", "Nul.tar.gz", "_Nul.tar.gz"},
		{"device, space before dot", "CON .txt", "_CON.txt"},
		{"device, no-break space", "aux\u00a0.txt", "_aux.txt"},
		{"device hidden by zero-width space", "PRN\u200b.txt", "_PRN.txt"},
		{"COM0", "com0.log", "_com0.log"},
		{"LPT9", "LPT9", "_LPT9"},
		{"COM superscript", "COM¹.txt", "_COM¹.txt"},
		{"LPT superscript", "lpt³", "_lpt³"},
		{"CONIN$", "CONIN$.dat", "_CONIN$.dat"},
		{"not a device", "CONTRACT.pdf", "CONTRACT.pdf"},
		{"not a device either", "COM10.txt", "COM10.txt"},
		{"trailing dots and spaces", "notes.txt. . ", "notes.txt"},
		{"leading dot (hidden file)", ".bashrc", "bashrc"},
		{"reserved characters", `a<b>c:d"e|f?g*h.txt`, "a_b_c_d_e_f_g_h.txt"},
		{"control characters", "a\x00b\x1fc\x7fd\u0085e.txt", "a_b_c_d_e.txt"},
		{"newline", "evil\r\nname.txt", "evil__name.txt"},
		{"traversal", "../../etc/passwd", "passwd"},
		{"windows traversal", `..\..\Windows\win.ini`, "win.ini"},
		{"absolute", "/etc/shadow", "shadow"},
		{"drive letter", `C:\Users\x\evil.exe`, "evil.exe"},
		{"drive-relative", "C:evil.exe", "C_evil.exe"},
		{"UNC", `\\server\share\doc.pdf`, "doc.pdf"},
		{"only dots", "..", Fallback},
		{"trailing separator", "folder/", Fallback},
		{"empty", "", Fallback},
		{"only spaces", "   ", Fallback},
		{"right-to-left override", "invoice\u202efdp.exe", "invoicefdp.exe"},
		{"bidi isolates", "a\u2066b\u2069.txt", "ab.txt"},
		{"byte-order mark", "\ufeffdoc.txt", "doc.txt"},
		{"Hangul filler", "\u3164.txt", "txt"},
		{"slash look-alike", "a\u2215b\uff0fc.txt", "a_b_c.txt"},
		{"not UTF-8", "caf\xe9.txt", "caf_.txt"},
		{"line separator", "a\u2028b.txt", "a b.txt"},
		{"long, extension kept", long, strings.Repeat("é", 125) + ".pdf"},
		{"stream name", "file.txt:Zone.Identifier", "file.txt_Zone.Identifier"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			got := Name(tc.in)
			if got != tc.want {
				t.Errorf("Name(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if why := validWindowsName(got); why != "" {
				t.Errorf("Name(%q) = %q: %s", tc.in, got, why)
			}
		})
	}
}

// TestSavedNamesAreTheNamesOnDisk saves a file under each hostile class and
// reads the folder back: the name Save reports is the one the file system
// holds, byte for byte (on Windows a device name would open the device and
// a trailing dot would vanish), and every file stays inside the folder.
func TestSavedNamesAreTheNamesOnDisk(t *testing.T) {
	dir := t.TempDir()
	inputs := []string{"con.txt", "Nul.tar.gz", "CON .txt", "COM¹.txt", "LPT9", "notes.txt. . ", `a<b>c:d"e|f?g*h.txt`,
		"../../escape.txt", `C:\Users\x\evil.exe`, `\\server\share\doc.pdf`, "invoice\u202efdp.exe", "", "..",
		"a\x00b\x1f.txt", strings.Repeat("é", 300) + ".pdf", "file.txt:Zone.Identifier", "Report.pdf", "REPORT.PDF"}
	want := map[string]bool{}
	for _, in := range inputs {
		got, err := Save(dir, in, []byte(in))
		if err != nil {
			t.Fatalf("Save(%q): %v", in, err)
		}
		if want[got] {
			t.Fatalf("Save(%q) reused the name %q", in, got)
		}
		want[got] = true
		if b, err := os.ReadFile(filepath.Join(dir, got)); err != nil || string(b) != in {
			t.Errorf("Save(%q) = %q, which holds %q, %v", in, got, b, err)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !want[e.Name()] {
			t.Errorf("the folder holds %q, a name Save did not report", e.Name())
		}
		delete(want, e.Name())
	}
	for n := range want {
		t.Errorf("Save reported %q, which is not in the folder", n)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("files appeared beside the folder: %v", ents)
	}
}

func TestValidWindowsNameRefusesTheHostileClasses(t *testing.T) {
	// The checker the fuzz target relies on must itself catch each class.
	for _, bad := range []string{"", "con.txt", "Nul.tar.gz", "CON .txt", "COM²", "a.", "a ", ".a", "a:b",
		"a/b", `a\b`, "a\x01", "a\u0085", "a\u202eb", "\xff", strings.Repeat("a", 256)} {
		if validWindowsName(bad) == "" {
			t.Errorf("validWindowsName(%q) accepts it", bad)
		}
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	for i, want := range []string{"report.pdf", "report (2).pdf", "report (3).pdf"} {
		name := "report.pdf"
		if i == 2 {
			name = "REPORT.PDF" // taken on Windows and macOS, whose names ignore case
			want = "REPORT (3).PDF"
		}
		got, err := Save(dir, name, []byte(want))
		if err != nil || got != want {
			t.Fatalf("Save(%q) #%d = %q, %v; want %q", name, i+1, got, err, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "report.pdf")); err != nil || string(b) != "report.pdf" {
		t.Errorf("the first file was changed: %q, %v", b, err)
	}
	got, err := Save(dir, "archive.tar.gz", nil)
	if err == nil {
		got, err = Save(dir, "archive.tar.gz", nil)
	}
	if err != nil || got != "archive (2).tar.gz" {
		t.Errorf("second archive.tar.gz saved as %q, %v; want archive (2).tar.gz", got, err)
	}
	got, err = Save(dir, `..\..\CON.txt`, []byte("x"))
	if err != nil || got != "_CON.txt" {
		t.Errorf(`Save("..\\..\\CON.txt") = %q, %v; want _CON.txt`, got, err)
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range ents {
		if e.Name() != filepath.Base(dir) {
			t.Errorf("a file appeared outside the folder: %s", e.Name())
		}
	}
}

func TestSaveKeepsThePathWithinWindowsLimit(t *testing.T) {
	dir := t.TempDir()
	deep := dir
	for utf16Len(deep) < MaxPath-40 {
		deep = filepath.Join(deep, "folder")
	}
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("€", 200) + ".docx"
	for i := 0; i < 3; i++ {
		got, err := Save(deep, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		full := filepath.Join(deep, got)
		if n := utf16Len(full); n > MaxPath {
			t.Errorf("saved as %s: %d UTF-16 units, over %d", full, n, MaxPath)
		}
		if !strings.HasSuffix(got, ".docx") || !strings.HasPrefix(got, "€") {
			t.Errorf("saved as %q: the extension or the start of the name was lost", got)
		}
		if why := validWindowsName(got); why != "" {
			t.Errorf("saved as %q: %s", got, why)
		}
	}
	tooDeep := deep
	for utf16Len(tooDeep) < MaxPath {
		tooDeep = filepath.Join(tooDeep, "x")
	}
	if err := os.MkdirAll(tooDeep, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Save(tooDeep, "a.txt", nil)
	var fe *FolderTooLongError
	if !errors.As(err, &fe) {
		t.Errorf("Save into a %d-character folder: %v, want a FolderTooLongError", utf16Len(tooDeep), err)
	}
}

func TestSaveReportsAMissingFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	_, err := Save(missing, "a.txt", nil)
	var we *durable.WriteError
	if !errors.As(err, &we) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Save into a missing folder: %v, want a durable.WriteError wrapping ErrNotExist", err)
	}
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"report.pdf", "con.txt", "Nul.tar.gz", "CON .txt", "COM¹", "../../x", `C:\a\b`,
		"invoice\u202efdp.exe", "a. . ", "\x00", "\xff\xfe", strings.Repeat("ab.", 100), "CONTRACT" + strings.Repeat("x", 250)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Name(in)
		if why := validWindowsName(got); why != "" {
			t.Fatalf("Name(%q) = %q: %s", in, got, why)
		}
		if strings.ContainsAny(got, `/\`) || strings.ContainsRune(got, filepath.Separator) {
			t.Fatalf("Name(%q) = %q holds a separator", in, got)
		}
		if again := Name(got); again != got {
			t.Fatalf("Name is not idempotent: %q -> %q -> %q", in, got, again)
		}
	})
}
