package compose

import (
	"mime"
	"net/mail"
	"strings"
	"time"

	"securemail/internal/mailheader"
)

// Header fields of a message kept in Drafts: the composer's choices and the
// recipients exactly as typed (they may be half written, which To and Cc
// cannot hold).
const (
	draftField   = "X-SecureMail-Draft"
	draftToField = "X-SecureMail-Draft-To"
	draftCcField = "X-SecureMail-Draft-Cc"
)

// DraftOptions are the composer's Sign and Encrypt toggles, kept with a
// draft so that it reopens as it was left.
type DraftOptions struct {
	Sign, Encrypt bool
}

// BuildDraft writes d as a message for the Drafts folder. Unlike [Build]
// it takes a draft without recipients or with half-typed ones: To and Cc
// carry the recipients that are addresses (what the folder lists), the
// X-SecureMail-Draft-To and -Cc fields the text as typed, and
// X-SecureMail-Draft the toggles. [ReadDraft] reads them back.
func BuildDraft(d *Draft, opts DraftOptions, now time.Time) ([]byte, error) {
	c := *d
	c.To, c.Cc, c.Bcc = addresses(d.To), addresses(d.Cc), nil
	if len(c.To)+len(c.Cc) == 0 {
		// Build wants someone to send to; Bcc stays out of the header.
		c.Bcc = []string{d.From}
	}
	c.Extra = make(map[string]string, len(d.Extra)+3)
	for k, v := range d.Extra {
		c.Extra[k] = v
	}
	var flags []string
	if opts.Sign {
		flags = append(flags, "sign")
	}
	if opts.Encrypt {
		flags = append(flags, "encrypt")
	}
	c.Extra[draftField] = strings.Join(append([]string{"v1"}, flags...), " ")
	c.Extra[draftToField] = mime.QEncoding.Encode("utf-8", oneLine(strings.Join(d.To, ", ")))
	c.Extra[draftCcField] = mime.QEncoding.Encode("utf-8", oneLine(strings.Join(d.Cc, ", ")))
	raw, _, err := Build(&c, now)
	return raw, err
}

// IsDraft says whether a message's header is that of a draft BuildDraft
// wrote.
func IsDraft(h mailheader.Header) bool { return h.Has(draftField) }

// ReadDraft takes back what BuildDraft kept in a draft's header: the
// recipients as typed, the subject, the threading fields and the toggles.
// The text and the attachments are the caller's to add (they may be
// encrypted).
func ReadDraft(h mailheader.Header) (*Draft, DraftOptions) {
	d := &Draft{Subject: h.Subject(), InReplyTo: strings.TrimSpace(h.Get("In-Reply-To"))}
	d.To = splitTyped(mailheader.DecodeText(h.Get(draftToField)))
	d.Cc = splitTyped(mailheader.DecodeText(h.Get(draftCcField)))
	d.References = strings.Fields(h.Get("References"))
	var o DraftOptions
	for _, f := range strings.Fields(h.Get(draftField)) {
		switch f {
		case "sign":
			o.Sign = true
		case "encrypt":
			o.Encrypt = true
		}
	}
	return d, o
}

// addresses keeps the entries that are e-mail addresses.
func addresses(list []string) []string {
	var out []string
	for _, a := range list {
		if _, err := mail.ParseAddress(strings.TrimSpace(a)); err == nil {
			out = append(out, a)
		}
	}
	return out
}

func splitTyped(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
