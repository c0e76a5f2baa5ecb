package compose

import (
	"strings"
	"time"

	"securemail/internal/phrase"
)

// Original is a message as read, the one a reply or a forward starts from
// (app.MessageView.Original gives it).
type Original struct {
	From       string // the From header as received, e.g. `"Marie Curie" <Marie.Curie@…>`
	FromAddr   string // its first address, "" when unknown
	To, Cc     string // the header values as received
	Subject    string
	MessageID  string // with angle brackets
	References string // space-separated <ids>
	Date       time.Time
	// Text is the readable text: the text/plain part, else the HTML part
	// turned into plain text.
	Text string
	// Attachments are the files it carried; Name is "" for a part without
	// a file name.
	Attachments []Attachment
}

// Reply starts a reply: to the sender (and, with all, everyone else in To
// and Cc but self), "Re: " subject, the text quoted, the threading fields
// (In-Reply-To, References) set.
func Reply(o Original, all bool, self string) *Draft {
	d := &Draft{Subject: prefixed("Re: ", o.Subject), InReplyTo: o.MessageID}
	d.References = threadReferences(o)
	from := o.FromAddr
	if from == "" {
		if as := splitAddrs(o.From); len(as) > 0 {
			from = as[0]
		}
	}
	d.To = []string{from}
	if all {
		d.Cc = replyAllCc(o, from, self)
	}
	if o.Text != "" {
		d.Text = "\n\n" + quote(o.Text)
	}
	return d
}

// Forward starts a forward: "Fwd: " subject, the original's sender, date
// and subject above its text, and its named attachments. say words the
// lines above the text in the writer's language, as mail clients do
// (the window passes ui/i18n.Say; nil is English).
func Forward(o Original, say func(phrase.Phrase) string) *Draft {
	if say == nil {
		say = phrase.Phrase.String
	}
	d := &Draft{Subject: prefixed("Fwd: ", o.Subject)}
	d.Text = "\n\n" + say(phrase.New("compose.forward.header",
		"-------- Forwarded message --------\nFrom: {{.From}}\nDate: {{.Date}}\nSubject: {{.Subject}}",
		phrase.Args{"From": o.From, "Date": phrase.Moment(o.Date), "Subject": o.Subject})) + "\n\n" + o.Text
	for _, a := range o.Attachments {
		if a.Name != "" {
			d.Attachments = append(d.Attachments, a)
		}
	}
	return d
}

// threadReferences is the References of a reply: the original's, then its
// Message-ID (RFC 5322 §3.6.4).
func threadReferences(o Original) []string {
	refs := strings.Fields(o.References)
	if o.MessageID != "" {
		refs = append(refs, o.MessageID)
	}
	return refs
}

// replyAllCc is everyone in the original's To and Cc once, but the sender
// (already in To) and self.
func replyAllCc(o Original, from, self string) []string {
	var cc []string
	seen := map[string]bool{strings.ToLower(from): true, strings.ToLower(self): true}
	for _, a := range append(splitAddrs(o.To), splitAddrs(o.Cc)...) {
		if !seen[strings.ToLower(a)] {
			seen[strings.ToLower(a)] = true
			cc = append(cc, a)
		}
	}
	return cc
}

// prefixed puts p ("Re: ", "Fwd: ") before a subject that does not start
// with it yet.
func prefixed(p, subject string) string {
	if strings.HasPrefix(strings.ToLower(subject), strings.ToLower(p)) {
		return subject
	}
	return p + subject
}

// quote marks every line of text with "> ".
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
