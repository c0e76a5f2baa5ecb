package app

import (
	"strings"
	"testing"
	"time"

	"securemail/app/compose"
	"securemail/mailstore"
	"securemail/smime"
)

func TestReadable(t *testing.T) {
	html := smime.Attachment{ContentType: "text/html; charset=utf-8", Content: []byte("<p>Card &amp; dossier 42</p><script>x()</script>")}
	for _, tc := range []struct {
		name     string
		v        MessageView
		want     string
		fromHTML bool
	}{
		{"not opened", MessageView{}, "", false},
		{"plain text, line ends made plain", MessageView{Report: &smime.Report{Text: "Dear Marie,\r\nCard 42.\r\n\r\n", Attachments: []smime.Attachment{html}}}, "Dear Marie,\nCard 42.", false},
		{"HTML only, as plain text", MessageView{Report: &smime.Report{Attachments: []smime.Attachment{html}}}, "Card & dossier 42", true},
		{"no text at all", MessageView{Report: &smime.Report{Attachments: []smime.Attachment{{Name: "a.pdf", ContentType: "application/pdf"}}}}, "", false},
	} {
		if got, fromHTML := tc.v.Readable(); got != tc.want || fromHTML != tc.fromHTML {
			t.Errorf("%s: got %q (HTML %v), want %q (HTML %v)", tc.name, got, fromHTML, tc.want, tc.fromHTML)
		}
	}
}

// TestOriginalToReply: a reply to an HTML-only message quotes its words;
// a forward carries its files under safe names.
func TestOriginalToReply(t *testing.T) {
	v := &MessageView{
		Message: &mailstore.Message{Row: mailstore.Row{From: "Marie Curie <Marie.Curie@tcn.f.eu-admin.net>", Subject: "Dossier 42",
			Date: time.Date(2026, 11, 26, 10, 2, 0, 0, time.UTC)}, FromAddr: "marie.curie@tcn.f.eu-admin.net", MessageID: "<m1@x>"},
		Report: &smime.Report{Attachments: []smime.Attachment{
			{ContentType: "text/html", Content: []byte("<p>Card 42</p><p>blocked</p>")},
			{Name: "../../report\u202efdp.exe", ContentType: "application/octet-stream", Content: []byte("MZ")}}},
	}
	r := compose.Reply(v.Original(), false, "Jan.Novak@tcn.cz.eu-admin.net")
	if r.Text != "\n\n> Card 42\n> blocked" || r.InReplyTo != "<m1@x>" || len(r.To) != 1 || r.To[0] != "marie.curie@tcn.f.eu-admin.net" {
		t.Errorf("reply %+v", r)
	}
	f := compose.Forward(v.Original(), nil)
	if len(f.Attachments) != 1 {
		t.Fatalf("forward attachments %+v", f.Attachments)
	}
	if name := f.Attachments[0].Name; strings.ContainsAny(name, "/\\\u202e") || name == "" {
		t.Errorf("forwarded file name %q is not safe", name)
	}
}
