package htmltext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"nothing loaded", `<html><head><style>p{}</style><script>fetch("http://x")</script></head><body><p>Dear Marie,</p>` +
			`<img src="http://tracker.example/p.gif"><p>Card &amp; dossier 42<br>blocked.</p></body></html>`,
			"Dear Marie,\nCard & dossier 42\nblocked."},
		{"head and title dropped", "<head><title>Newsletter</title></head>Hello", "Hello"},
		{"upper-case tags", "<P>One</P><SCRIPT>alert(1)</SCRIPT><BR/>Two", "One\n\nTwo"},
		{"inline tags join", "dos<b>sier</b> 42", "dossier 42"},
		{"table cells apart", "<table><tr><td>Card</td><td>42</td></tr><tr><th>Status</th><th>blocked</th></tr></table>", "Card 42\nStatus blocked"},
		{"blank runs folded", "<p>a</p><p></p><p></p><p></p><p>b</p>", "a\n\nb"},
		{"entities", "&lt;Jan.Novak@tcn.cz.eu-admin.net&gt; &quot;42&quot; &#39;x&#39; &nbsp;", `<Jan.Novak@tcn.cz.eu-admin.net> "42" 'x'`},
		{"link keeps its words", `<a href="http://evil.example/">the dossier</a>`, "the dossier"},
		{"plain text unchanged", "just text", "just text"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// FuzzText: any input gives trimmed text, valid UTF-8 when the input was,
// and what stands inside a script is never shown.
func FuzzText(f *testing.F) {
	f.Add("<p>Dear Marie,</p><script>x</script>")
	f.Add("<table><tr><td>a</td></tr></table>")
	f.Add("<<<>>>&amp;&#0;&#x110000;")
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("valid UTF-8 in, invalid out: %q", got)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("not trimmed: %q", got)
		}
		if !strings.ContainsAny(s, "<>") {
			if got := Text("<script>" + s + "</script>shown"); got != "shown" {
				t.Fatalf("a script's content shown: %q", got)
			}
		}
	})
}
