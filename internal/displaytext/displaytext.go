// Package displaytext makes text from mail and certificates harmless to
// show: characters that are invisible or that change how the text around
// them is drawn become a visible marker such as <U+202E>.
//
// Marked are the C0 and C1 control characters and DEL (a terminal obeys
// ESC sequences, CR overwrites a line), every format character (Unicode
// category Cf: the bidi embeddings, overrides and isolates U+202A–U+202E and
// U+2066–U+2069, the marks U+200E, U+200F and U+061C, zero-width spaces and
// joiners, U+FEFF, the tag characters), the other default-ignorable code
// points that draw as nothing (U+034F, the Hangul fillers U+115F, U+1160,
// U+3164, U+FFA0…), and the line and paragraph separators U+2028 and U+2029.
// A right-to-left override can make "Jan <eve@x>" look like another address,
// or "invoice<U+202E>fdp.exe" like a PDF; marked, it shows what it is.
//
// The marker is ASCII, holds no "@" and cannot be read as an address. Bytes
// that are not UTF-8 become U+FFFD. Text that needs no change is returned as
// it is, without allocating. JSON output keeps the raw value; this package is
// for what a person reads.
package displaytext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s made harmless to show on one line: a sender, a subject, an
// attachment, folder, certificate or contact name. Every character the
// package comment lists, line breaks and tabs included, is replaced by its
// marker.
func Line(s string) string { return clean(s, false) }

// Text returns multi-line text (a message body) made harmless to show: like
// [Line], but line feeds and tabs are kept, and a CR LF pair becomes a line
// feed. A lone CR is marked.
func Text(s string) string { return clean(s, true) }

// Marker returns the visible form of r, e.g. "<U+202E>".
func Marker(r rune) string { return fmt.Sprintf("<U+%04X>", r) }

// Hidden reports whether r is one of the characters Line replaces by its
// marker.
func Hidden(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029':
		return true
	case r < 0xad: // fast path: printable ASCII and Latin-1
		return false
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

func clean(s string, multiline bool) string {
	i := firstChange(s, multiline)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for s = s[i:]; len(s) > 0; {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case multiline && r == '\r' && len(s) > 1 && s[1] == '\n':
			// CR LF: the LF that follows is the line break
		case Hidden(r):
			b.WriteString(Marker(r))
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// firstChange returns the offset of the first byte clean would change, or
// -1.
func firstChange(s string, multiline bool) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
			continue
		}
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if Hidden(r) {
			return i
		}
	}
	return -1
}
