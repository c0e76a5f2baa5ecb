package mailheader

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// AddressKey is the form in which two e-mail addresses are compared: white
// space around it trimmed, Unicode NFC, and ASCII letters in lower case —
// only ASCII. Unicode case folding is not used: it makes distinct addresses
// equal (strings.EqualFold and strings.ToLower map the Kelvin sign K to k,
// and EqualFold the long s ſ to s), so a Digital ID for "\u212Aarl@…" would
// vouch for "karl@…".
//
// NFC also maps a few non-ASCII characters to ASCII ones (the Kelvin sign
// K is canonically K): such a character is kept as itself, so that it
// never equals the ASCII letter it resembles.
func AddressKey(a string) string {
	a = strings.TrimSpace(a)
	var b strings.Builder
	b.Grow(len(a))
	start := 0 // the run of characters NFC may join, not yet written
	flush := func(end int) {
		b.WriteString(norm.NFC.String(a[start:end]))
		start = end
	}
	for i, r := range a {
		if r >= utf8.RuneSelf && isASCII(norm.NFC.String(string(r))) {
			flush(i)
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	flush(len(a))
	k := []byte(b.String())
	for i, c := range k {
		if 'A' <= c && c <= 'Z' {
			k[i] = c + 'a' - 'A'
		}
	}
	return string(k)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// EqualAddress reports whether two e-mail addresses are the same: ASCII
// case-insensitive, anything else exactly after NFC. It is the one address
// comparison of SecureMail (the signature verdict, the address book).
func EqualAddress(a, b string) bool {
	return a != "" && AddressKey(a) == AddressKey(b)
}
