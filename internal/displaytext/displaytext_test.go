package displaytext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct{ class, in, want string }{
		{"plain", "Jan Peeters <Jan.Peeters@tcn.b.eu-admin.net>", "Jan Peeters <Jan.Peeters@tcn.b.eu-admin.net>"},
		{"accents and scripts kept", "Ελένη Müller — 東京 עברית", "Ελένη Müller — 東京 עברית"},
		{"emoji kept", "Meeting ☕ ❤\ufe0f", "Meeting ☕ ❤\ufe0f"},
		{"right-to-left override", "Jan \u202eten.nimda-ue.b.ncv@eve", "Jan <U+202E>ten.nimda-ue.b.ncv@eve"},
		{"disguised extension", "invoice\u202efdp.exe", "invoice<U+202E>fdp.exe"},
		{"embeddings", "\u202a\u202b\u202c\u202d", "<U+202A><U+202B><U+202C><U+202D>"},
		{"isolates", "\u2066\u2067\u2068\u2069", "<U+2066><U+2067><U+2068><U+2069>"},
		{"marks", "\u200e\u200f\u061c", "<U+200E><U+200F><U+061C>"},
		{"zero-width space in an address", "jan\u200b@x", "jan<U+200B>@x"},
		{"byte-order mark", "\ufeffSubject", "<U+FEFF>Subject"},
		{"zero-width joiners", "a\u200cb\u200dc", "a<U+200C>b<U+200D>c"},
		{"tag characters", "x\U000E0041", "x<U+E0041>"},
		{"Hangul filler", "\u3164", "<U+3164>"},
		{"line separator", "a\u2028b\u2029c", "a<U+2028>b<U+2029>c"},
		{"terminal escape", "\x1b[2J\x1b]0;title\x07", "<U+001B>[2J<U+001B>]0;title<U+0007>"},
		{"CR overwrites", "good\rbad", "good<U+000D>bad"},
		{"newline and tab in a subject", "a\nb\tc", "a<U+000A>b<U+0009>c"},
		{"NUL and DEL", "a\x00b\x7f", "a<U+0000>b<U+007F>"},
		{"C1 control (CSI)", "a\u009bb\u0085", "a<U+009B>b<U+0085>"},
		{"not UTF-8", "caf\xe9", "caf\uFFFD"},
		{"soft hyphen", "ad\u00admin", "ad<U+00AD>min"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			if got := Line(tc.in); got != tc.want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct{ class, in, want string }{
		{"lines and tabs kept", "Dear Jan,\n\tthe files.\n", "Dear Jan,\n\tthe files.\n"},
		{"CR LF becomes LF", "a\r\nb\r\n", "a\nb\n"},
		{"lone CR marked", "total: 10\r99", "total: 10<U+000D>99"},
		{"override marked", "pay \u202e0001\u202c EUR", "pay <U+202E>0001<U+202C> EUR"},
		{"escape marked", "\x1b[31mred", "<U+001B>[31mred"},
		{"form feed marked", "a\fb", "a<U+000C>b"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestUnchangedTextIsNotCopied(t *testing.T) {
	s := strings.Repeat("Plain subject ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line allocated %v times for text that needs no change", n)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"Jan <jan@x>", "a\u202eb", "\x1b[0m", "a\r\nb", "\xff\xfe", "\u2066\u2069", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, multiline := range []bool{false, true} {
			out := clean(in, multiline)
			if !utf8.ValidString(out) {
				t.Fatalf("clean(%q, %v) = %q is not UTF-8", in, multiline, out)
			}
			for _, r := range out {
				if Hidden(r) && !(multiline && (r == '\n' || r == '\t')) {
					t.Fatalf("clean(%q, %v) = %q still holds %U", in, multiline, out, r)
				}
			}
			if again := clean(out, multiline); again != out {
				t.Fatalf("clean is not idempotent: %q -> %q -> %q", in, out, again)
			}
		}
	})
}
