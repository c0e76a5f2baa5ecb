package ui

import (
	"strings"

	"securemail/app"
	"securemail/app/compose"
	"securemail/assets"
	"securemail/internal/safefile"

	"fyne.io/fyne/v2"
)

func appIcon() fyne.Resource { return assets.AppIcon() }

// ReplyDraft starts a reply: to the sender (and, with all, everyone else
// but self), "Re: " subject, the text quoted, threading headers set.
func ReplyDraft(v *app.MessageView, all bool, self string) *compose.Draft {
	msg := v.Message
	d := &compose.Draft{Subject: prefixed("Re: ", msg.Subject), InReplyTo: msg.MessageID}
	if msg.References != "" {
		d.References = strings.Fields(msg.References)
	}
	if msg.MessageID != "" {
		d.References = append(d.References, msg.MessageID)
	}
	from := msg.FromAddr
	if from == "" {
		if as := splitAddrs(msg.From); len(as) > 0 {
			from = as[0]
		}
	}
	d.To = []string{from}
	if all {
		seen := map[string]bool{strings.ToLower(from): true, strings.ToLower(self): true}
		for _, a := range append(splitAddrs(msg.To), splitAddrs(msg.Cc)...) {
			if !seen[strings.ToLower(a)] {
				seen[strings.ToLower(a)] = true
				d.Cc = append(d.Cc, a)
			}
		}
	}
	if v.Report != nil {
		d.Text = "\n\n" + quote(v.Report.Text)
	}
	return d
}

// ForwardDraft starts a forward with the text and the attachments.
func ForwardDraft(v *app.MessageView) *compose.Draft {
	msg := v.Message
	d := &compose.Draft{Subject: prefixed("Fwd: ", msg.Subject)}
	if v.Report != nil {
		d.Text = "\n\n-------- Forwarded message --------\nFrom: " + msg.From + "\nDate: " +
			msg.Date.Format("2 January 2006 15:04") + "\nSubject: " + msg.Subject + "\n\n" + v.Report.Text
		for _, a := range v.Report.Attachments {
			if a.Name == "" {
				continue
			}
			d.Attachments = append(d.Attachments, compose.Attachment{Name: safefile.Name(a.Name), ContentType: a.ContentType, Data: a.Content})
		}
	}
	return d
}

func prefixed(p, subject string) string {
	if strings.HasPrefix(strings.ToLower(subject), strings.ToLower(p)) {
		return subject
	}
	return p + subject
}

func quote(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// splitAddrs takes the bare addresses out of a header value such as
// `"Marie Curie" <Marie.Curie@…>, jan@…`.
func splitAddrs(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if i := strings.LastIndex(part, "<"); i >= 0 {
			part = strings.TrimSuffix(part[i+1:], ">")
		}
		if strings.Contains(part, "@") {
			out = append(out, strings.TrimSpace(part))
		}
	}
	return out
}
