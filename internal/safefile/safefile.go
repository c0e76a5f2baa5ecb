// Package safefile turns names that come from mail (an attachment's file
// name, a folder's name) into file names that are safe on Windows, Linux and
// macOS alike, and saves files under such names without ever overwriting one.
//
// The same rule applies on every operating system, so a file saved on Linux
// can be copied to a Windows machine unchanged. A safe name:
//   - is one path element: no folders, so no "..", absolute path, drive
//     letter or UNC path, and none of the characters < > : " / \ | ? *;
//   - holds no control characters (C0, DEL, C1) and no format characters
//     (Unicode category Cf: bidi overrides such as U+202E that disguise
//     "invoice<U+202E>fdp.exe" as "invoiceexe.pdf", zero-width spaces);
//   - does not begin with a dot (a hidden file) nor end with a dot or space
//     (Windows drops those);
//   - is not a Windows device name (CON, PRN, AUX, NUL, CONIN$, CONOUT$,
//     COM0-9, LPT0-9 and COM/LPT with a superscript digit) in any case and
//     with any extension: "con.txt" and "Nul.tar.gz" are devices too;
//   - is at most 255 bytes of UTF-8 (Linux's limit; Windows' 255 UTF-16
//     units follow from it), keeps its extension when shortened, and is
//     never empty ("attachment").
//
// [Save] also keeps the whole path within Windows' 260 characters and adds
// " (2)", " (3)"… before the extension when the name is taken in the folder.
package safefile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes is the longest file name, in bytes of UTF-8, a safe name has
// (Linux's NAME_MAX).
const MaxNameBytes = 255

// Fallback is the name used when nothing usable is left of a name.
const Fallback = "attachment"

// Name returns name made safe as a file name (see the package comment). Only
// its last path element is kept: "../../etc/passwd" and `C:\x\report.pdf`
// become "passwd" and "report.pdf". Name is idempotent: Name(Name(s)) ==
// Name(s).
func Name(name string) string {
	name = lastElement(name)
	var b strings.Builder
	for len(name) > 0 {
		r, size := utf8.DecodeRuneInString(name)
		name = name[size:]
		switch {
		case r == utf8.RuneError:
			b.WriteByte('_') // a byte that is not UTF-8
		case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
			// Invisible: it could only disguise the name.
		case r < 0x20, r >= 0x7f && r <= 0x9f, strings.ContainsRune(`<>:"|?*`, r), isSlashLike(r):
			b.WriteByte('_')
		case unicode.IsSpace(r), unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	// Trimming and cutting can expose another extension or another trailing
	// space ("a .tar .gz", a long stem cut just after a space), so the
	// finishing rules are applied until the name no longer changes: a saved
	// name given to Name again comes back as it is. Each round only
	// shortens the name (the "_" before a device name is added once), so
	// this ends within a few rounds.
	n := b.String()
	for {
		stem, ext := splitExt(strings.Trim(n, " ."))
		next, _ := fit(stem, "", ext, func(n string) bool { return len(n) <= MaxNameBytes })
		if next == n {
			return n
		}
		n = next
	}
}

// lastElement returns what follows the last / or \ of name.
func lastElement(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// isSlashLike reports whether r looks like a path separator (a display
// trick, and Windows' "best fit" code-page conversion turns some of them
// into real ones).
func isSlashLike(r rune) bool {
	switch r {
	case '/', '\\', '\u2044', '\u2215', '\u29f8', '\u29f9', '\uff0f', '\uff3c', '\ufe68':
		return true
	}
	return false
}

// splitExt splits a name into its stem and its extension (with the dot):
// the last dot's, or ".tar.gz"-style double ones. An "extension" longer than
// 16 runes or with a space is part of the stem.
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || utf8.RuneCountInString(name[i:]) > 16 || strings.ContainsRune(name[i:], ' ') {
		return name, ""
	}
	// The stem loses its trailing dots and spaces here, as finish would
	// trim them, so that a ".tar" they hid is seen now and not only when
	// the finished name is split again (Name must be idempotent).
	stem, ext = strings.TrimRight(name[:i], " ."), name[i:]
	if j := strings.LastIndexByte(stem, '.'); j > 0 && strings.EqualFold(stem[j:], ".tar") {
		stem, ext = stem[:j], stem[j:]+ext
	}
	return stem, ext
}

// fit returns stem+suffix+ext as a finished safe name (trailing dots and
// spaces trimmed, a device name prefixed with "_", never empty), cutting
// runes off the end of the stem until ok accepts it. ok is false when even
// the shortest stem is not accepted.
func fit(stem, suffix, ext string, ok func(string) bool) (string, bool) {
	if len(stem) > MaxNameBytes {
		stem = cutBytes(stem, MaxNameBytes) // no name is longer; keeps the loop below short
	}
	for _, e := range []string{ext, ""} { // an extension that leaves no room goes rather than the whole name
		for s := stem; ; {
			if n := finish(s, suffix, e); ok(n) {
				return n, true
			}
			if s == "" {
				break
			}
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
	}
	return finish(stem, suffix, ext), false
}

// cutBytes returns the longest prefix of s that has at most n bytes and ends
// on a rune boundary.
func cutBytes(s string, n int) string {
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:min(n, len(s))]
}

// finish assembles a name and applies the rules that cutting or suffixing
// can break again.
func finish(stem, suffix, ext string) string {
	stem = strings.TrimRight(stem, " .")
	if stem == "" {
		stem = Fallback
	}
	n := strings.TrimRight(stem+suffix+ext, " .")
	if IsDeviceName(n) {
		n = "_" + n
	}
	return n
}

// IsDeviceName reports whether Windows takes name as a device (CON, NUL,
// COM1…), whatever its case and extension: Windows looks at what precedes
// the first dot, with trailing spaces ignored ("CON .txt" is CON).
func IsDeviceName(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) < 4 || (stem[:3] != "COM" && stem[:3] != "LPT") {
		return false
	}
	switch stem[3:] {
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}
