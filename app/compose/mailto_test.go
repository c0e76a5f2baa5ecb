package compose

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestParseMailto(t *testing.T) {
	for _, c := range []struct {
		link string
		want Draft
	}{
		{"mailto:Marie.Curie@tcn.f.eu-admin.net", Draft{To: []string{"Marie.Curie@tcn.f.eu-admin.net"}}},
		{"MAILTO:a@x.eu-admin.net,b@x.eu-admin.net", Draft{To: []string{"a@x.eu-admin.net", "b@x.eu-admin.net"}}},
		// RFC 6068 §6.1's examples, in SecureMail's terms.
		{"mailto:infobot@example.com?subject=current-issue", Draft{To: []string{"infobot@example.com"}, Subject: "current-issue"}},
		{"mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
			Draft{To: []string{"infobot@example.com"}, Text: "send current-issue\nsend index"}},
		{"mailto:?to=joe@example.com&cc=bob@example.com&body=hello",
			Draft{To: []string{"joe@example.com"}, Cc: []string{"bob@example.com"}, Text: "hello"}},
		{"mailto:joe@example.com?cc=bob@example.com,carl@example.com&bcc=hidden@example.com",
			Draft{To: []string{"joe@example.com"}, Cc: []string{"bob@example.com", "carl@example.com"}}},
		{"mailto:%22not%40me%22@example.org", Draft{To: []string{`"not@me"@example.org`}}},
		{"mailto:%22a%2Cb%22@example.org", Draft{To: []string{`"a,b"@example.org`}}},
		{"mailto:user@example.org?Subject=caf%C3%A9+%26+cr%C3%A8me&X-Other=1&In-Reply-To=%3C1%40x%3E",
			Draft{To: []string{"user@example.org"}, Subject: "café+&+crème"}},
		{"mailto:u@x.org?subject=line%0D%0Abreak&subject=second", Draft{To: []string{"u@x.org"}, Subject: "line  break"}},
		{"mailto:u@x.org#fragment", Draft{To: []string{"u@x.org"}}},
	} {
		got, err := ParseMailto(c.link)
		if err != nil {
			t.Errorf("%s: %v", c.link, err)
			continue
		}
		if !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.link, *got, c.want)
		}
	}
}

func TestParseMailtoRefuses(t *testing.T) {
	for _, link := range []string{
		"", "mail", "http://example.org", "mailto:a@x.org?subject=%ZZ", "mailto:%FF@x.org",
		"mailto:a%0D%0ABcc:%20evil@x.org", "mailto:a@x.org?to=b%00@x.org", "mailto:" + strings.Repeat("a", maxMailto),
	} {
		d, err := ParseMailto(link)
		if !errors.Is(err, ErrMailto) {
			t.Errorf("%.40q: draft %v, err %v; want ErrMailto", link, d, err)
		}
	}
}

// FuzzParseMailto feeds links from outside (web pages, other programs): no
// panic, and a draft never carries a control character in an address or a
// subject, nor a Bcc.
func FuzzParseMailto(f *testing.F) {
	for _, s := range []string{"mailto:a@b.c", "mailto:?to=a@b&cc=c@d&subject=x&body=y%0D%0Az", "mailto:%22a%2Cb%22@x?bcc=z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		d, err := ParseMailto(link)
		if err != nil {
			return
		}
		if len(d.Bcc) != 0 {
			t.Fatalf("Bcc from a link: %q", d.Bcc)
		}
		for _, a := range append(append([]string{d.Subject}, d.To...), d.Cc...) {
			if strings.IndexFunc(a, unicode.IsControl) >= 0 {
				t.Fatalf("control character in %q", a)
			}
		}
		if strings.Contains(d.Text, "\r") {
			t.Fatalf("CR left in the body %q", d.Text)
		}
	})
}
