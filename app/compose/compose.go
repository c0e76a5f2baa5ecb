// Package compose turns what the user wrote — recipients, subject, text and
// attachments — into an RFC 5322 message ready to be signed and encrypted.
package compose

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// Attachment is a file attached to a message.
type Attachment struct {
	Name        string
	ContentType string // "" guesses from the name, falling back to application/octet-stream
	Data        []byte
}

// Draft is a message as the user composes it.
type Draft struct {
	From        string
	FromName    string
	To, Cc, Bcc []string
	Subject     string
	Text        string
	Attachments []Attachment
	InReplyTo   string
	References  []string
	// Extra holds additional header fields (e.g. the secure-link marker).
	Extra map[string]string
}

// Recipients returns every envelope recipient (To, Cc and Bcc) once each,
// in order, compared case-insensitively.
func (d *Draft) Recipients() []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{d.To, d.Cc, d.Bcc} {
		for _, a := range list {
			a = strings.TrimSpace(a)
			if a == "" || seen[strings.ToLower(a)] {
				continue
			}
			seen[strings.ToLower(a)] = true
			out = append(out, a)
		}
	}
	return out
}

// Build writes the message. Bcc recipients are not in its header. It
// returns the message and its Message-ID (without angle brackets). The
// steps: the header (addresses, subject, Message-ID, threading, extra
// fields), then the text alone or the text and the attachments.
func Build(d *Draft, now time.Time) ([]byte, string, error) {
	h, id, err := header(d, now)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	if len(d.Attachments) == 0 {
		err = writeTextOnly(&buf, h, d.Text)
	} else {
		err = writeWithAttachments(&buf, h, d.Text, d.Attachments)
	}
	if err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	return buf.Bytes(), id, nil
}

// header is the message's header and its Message-ID: the addresses
// checked, then date, From, To and Cc, subject, Message-ID, threading
// fields, extra fields and MIME-Version, in that order.
func header(d *Draft, now time.Time) (gomail.Header, string, error) {
	var h gomail.Header
	if len(d.Recipients()) == 0 {
		return h, "", ErrNoRecipient
	}
	from, err := parseAddr(d.From)
	if err != nil {
		return h, "", fmt.Errorf("compose: the sender %w", err)
	}
	from.Name = d.FromName
	if strings.ContainsAny(d.Subject, "\r\n") {
		return h, "", ErrSubjectLines
	}
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{from})
	if err := setRecipients(&h, d); err != nil {
		return h, "", err
	}
	h.SetSubject(d.Subject)
	id, err := setMessageID(&h, from.Address)
	if err != nil {
		return h, "", err
	}
	setThreading(&h, d)
	if err := setExtra(&h, d.Extra); err != nil {
		return h, "", err
	}
	h.Set("MIME-Version", "1.0")
	return h, id, nil
}

// setRecipients writes To and Cc (empty entries skipped, an empty list
// left out) and checks Bcc, which never goes in the header.
func setRecipients(h *gomail.Header, d *Draft) error {
	for _, f := range []struct {
		key  string
		list []string
	}{{"To", d.To}, {"Cc", d.Cc}} {
		var addrs []*gomail.Address
		for _, a := range f.list {
			if strings.TrimSpace(a) == "" {
				continue
			}
			p, err := parseAddr(a)
			if err != nil {
				return fmt.Errorf("compose: in %s, %w", f.key, err)
			}
			addrs = append(addrs, p)
		}
		if len(addrs) > 0 {
			h.SetAddressList(f.key, addrs)
		}
	}
	for _, a := range d.Bcc {
		if _, err := parseAddr(a); err != nil {
			return fmt.Errorf("compose: in Bcc, %w", err)
		}
	}
	return nil
}

// setMessageID makes a Message-ID in the sender's domain and returns it
// without angle brackets.
func setMessageID(h *gomail.Header, from string) (string, error) {
	domain := "securemail.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	if err := h.GenerateMessageIDWithHostname(domain); err != nil {
		return "", fmt.Errorf("compose: %w", err)
	}
	id, _ := h.MessageID()
	return id, nil
}

// setThreading writes In-Reply-To and References (RFC 5322 §3.6.4).
func setThreading(h *gomail.Header, d *Draft) {
	if d.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{strings.Trim(d.InReplyTo, "<>")})
	}
	if len(d.References) > 0 {
		refs := make([]string, len(d.References))
		for i, r := range d.References {
			refs[i] = strings.Trim(r, "<>")
		}
		h.SetMsgIDList("References", refs)
	}
}

// setExtra writes the additional header fields; each must be one line.
func setExtra(h *gomail.Header, extra map[string]string) error {
	for k, v := range extra {
		if strings.ContainsAny(k+v, "\r\n") {
			return fmt.Errorf("compose: header %q must be one line", k)
		}
		h.Set(k, v)
	}
	return nil
}

// setTextType labels a part as UTF-8 plain text in quoted-printable.
func setTextType(set func(k, v string)) {
	set("Content-Type", "text/plain; charset=utf-8")
	set("Content-Transfer-Encoding", "quoted-printable")
}

// writeTextOnly writes a message that is its text alone.
func writeTextOnly(buf *bytes.Buffer, h gomail.Header, text string) error {
	setTextType(h.Set)
	w, err := gomail.CreateSingleInlineWriter(buf, h)
	if err != nil {
		return err
	}
	return writeAndClose(w, []byte(toCRLF(text)))
}

// writeWithAttachments writes a multipart/mixed message: the text, then
// each attachment.
func writeWithAttachments(buf *bytes.Buffer, h gomail.Header, text string, files []Attachment) error {
	mw, err := gomail.CreateWriter(buf, h)
	if err != nil {
		return err
	}
	var th gomail.InlineHeader
	setTextType(th.Set)
	tw, err := mw.CreateSingleInline(th)
	if err != nil {
		return err
	}
	if err := writeAndClose(tw, []byte(toCRLF(text))); err != nil {
		return err
	}
	for _, a := range files {
		if err := writeAttachment(mw, a); err != nil {
			return err
		}
	}
	return mw.Close()
}

// writeAttachment writes one file in base64 under its base name; its type
// is the one given, else guessed from the name, else
// application/octet-stream.
func writeAttachment(mw *gomail.Writer, a Attachment) error {
	var ah gomail.AttachmentHeader
	ct := a.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(strings.ToLower(filepath.Ext(a.Name)))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	ah.Set("Content-Type", ct)
	ah.SetFilename(filepath.Base(a.Name))
	ah.Set("Content-Transfer-Encoding", "base64")
	aw, err := mw.CreateAttachment(ah)
	if err != nil {
		return err
	}
	return writeAndClose(aw, a.Data)
}

// writeAndClose writes a part's content and ends the part.
func writeAndClose(w io.WriteCloser, data []byte) error {
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

func parseAddr(s string) (*gomail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%q is not an e-mail address", s)
	}
	return &gomail.Address{Name: a.Name, Address: a.Address}, nil
}

func toCRLF(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return strings.ReplaceAll(s, "\n", "\r\n")
}
