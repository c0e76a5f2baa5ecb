package app

import (
	"strings"

	"securemail/app/compose"
	"securemail/internal/htmltext"
	"securemail/internal/safefile"
)

// Readable is the text of an opened message to show and to quote: its
// first text/plain part, else its first HTML part turned into plain text
// (nothing is loaded); fromHTML says it was the HTML.
func (v *MessageView) Readable() (text string, fromHTML bool) {
	if v.Report == nil {
		return "", false
	}
	if v.Report.Text != "" {
		return strings.TrimRight(strings.ReplaceAll(v.Report.Text, "\r\n", "\n"), "\n\r\t "), false
	}
	for _, a := range v.Report.Attachments {
		if strings.HasPrefix(a.ContentType, "text/html") {
			return htmltext.Text(string(a.Content)), true
		}
	}
	return "", false
}

// Original is the opened message as compose.Reply and compose.Forward take
// it: its header fields, its readable text, and its files under names safe
// on every operating system.
func (v *MessageView) Original() compose.Original {
	var o compose.Original
	if m := v.Message; m != nil {
		o = compose.Original{From: m.From, FromAddr: m.FromAddr, To: m.To, Cc: m.Cc, Subject: m.Subject,
			MessageID: m.MessageID, References: m.References, Date: m.Date}
	}
	o.Text, _ = v.Readable()
	if v.Report != nil {
		for _, a := range v.Report.Attachments {
			name := a.Name
			if name != "" {
				name = safefile.Name(name)
			}
			o.Attachments = append(o.Attachments, compose.Attachment{Name: name, ContentType: a.ContentType, Data: a.Content})
		}
	}
	return o
}
