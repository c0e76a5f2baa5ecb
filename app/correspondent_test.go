package app

import (
	"testing"

	"securemail/internal/mailheader"
	"securemail/mailstore"
)

// TestCorrespondent: the message list names the sender of mail received
// and the recipients of mail the user wrote, in English here (the window
// renders the same phrase in its language).
func TestCorrespondent(t *testing.T) {
	const jan = "Jan Peeters <Jan.Peeters@tcn.b.eu-admin.net>"
	for _, c := range []struct {
		row       mailstore.Row
		key, want string
	}{
		{mailstore.Row{Folder: mailstore.Inbox, From: jan, To: "me@tcn.f.eu-admin.net"}, "list.correspondent.from", jan},
		{mailstore.Row{Folder: "Projects", From: "{{.To}}", To: jan}, "list.correspondent.from", "{{.To}}"},
		{mailstore.Row{Folder: mailstore.Inbox, From: "(no From field)", Sender: mailheader.Sender{Marks: mailheader.MarkNoFrom}},
			"list.correspondent.from", "(no From field)"},
		{mailstore.Row{Folder: mailstore.Inbox, From: "{{.To}} — one of several From fields",
			Sender: mailheader.Sender{Text: "{{.To}}", Marks: mailheader.MarkSeveralFields}}, "list.correspondent.from", "{{.To}} — one of several From fields"},
		{mailstore.Row{Folder: mailstore.Sent, From: "me@tcn.f.eu-admin.net", To: jan}, "list.correspondent.to", "To: " + jan},
		{mailstore.Row{Folder: mailstore.Outbox, To: jan}, "list.correspondent.to", "To: " + jan},
		{mailstore.Row{Folder: mailstore.Drafts}, "list.correspondent.norecipient", "To: (no recipient)"},
	} {
		p := Correspondent(c.row)
		if p.Key != c.key || p.String() != c.want {
			t.Errorf("%s: %s %q, want %s %q", c.row.Folder, p.Key, p.String(), c.key, c.want)
		}
	}
}
