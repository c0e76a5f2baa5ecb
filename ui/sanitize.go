package ui

import (
	"path/filepath"
	"strings"
	"unicode"
)

// SafeFileName turns the file name a sender gave an attachment into one that
// is safe to save: no folders (so no "../"), no control or reserved
// characters, no leading dots (hidden files), no Windows device names, at
// most 120 characters, never empty. The file is only ever saved, never run.
func SafeFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = filepath.Base("/" + name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), strings.ContainsRune(`<>:"/\|?*`, r), r == unicode.ReplacementChar:
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), " .")
	if s == "" || s == "_" {
		s = "attachment"
	}
	base := strings.ToUpper(strings.SplitN(s, ".", 2)[0])
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	if r := []rune(s); len(r) > 120 {
		ext := filepath.Ext(s)
		if len([]rune(ext)) > 20 {
			ext = ""
		}
		s = string(r[:120-len([]rune(ext))]) + ext
	}
	return s
}
