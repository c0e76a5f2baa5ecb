// Package compose turns what the user wrote — recipients, subject, text and
// attachments — into an RFC 5322 message ready to be signed and encrypted.
package compose

import (
	"bytes"
	"errors"
	"fmt"
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
// returns the message and its Message-ID (without angle brackets).
func Build(d *Draft, now time.Time) ([]byte, string, error) {
	if len(d.Recipients()) == 0 {
		return nil, "", errors.New("compose: the message has no recipient; add one in To")
	}
	from, err := parseAddr(d.From)
	if err != nil {
		return nil, "", fmt.Errorf("compose: the sender %w", err)
	}
	from.Name = d.FromName
	if strings.ContainsAny(d.Subject, "\r\n") {
		return nil, "", errors.New("compose: the subject must be one line")
	}
	var h gomail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{from})
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
				return nil, "", fmt.Errorf("compose: in %s, %w", f.key, err)
			}
			addrs = append(addrs, p)
		}
		if len(addrs) > 0 {
			h.SetAddressList(f.key, addrs)
		}
	}
	for _, a := range d.Bcc {
		if _, err := parseAddr(a); err != nil {
			return nil, "", fmt.Errorf("compose: in Bcc, %w", err)
		}
	}
	h.SetSubject(d.Subject)
	domain := "securemail.invalid"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	if err := h.GenerateMessageIDWithHostname(domain); err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	id, _ := h.MessageID()
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
	for k, v := range d.Extra {
		if strings.ContainsAny(k+v, "\r\n") {
			return nil, "", fmt.Errorf("compose: header %q must be one line", k)
		}
		h.Set(k, v)
	}
	h.Set("MIME-Version", "1.0")

	text := toCRLF(d.Text)
	var buf bytes.Buffer
	if len(d.Attachments) == 0 {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := gomail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		if _, err := w.Write([]byte(text)); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		return buf.Bytes(), id, nil
	}
	mw, err := gomail.CreateWriter(&buf, h)
	if err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	var th gomail.InlineHeader
	th.Set("Content-Type", "text/plain; charset=utf-8")
	th.Set("Content-Transfer-Encoding", "quoted-printable")
	tw, err := mw.CreateSingleInline(th)
	if err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	if _, err := tw.Write([]byte(text)); err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	for _, a := range d.Attachments {
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
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		if _, err := aw.Write(a.Data); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		if err := aw.Close(); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}
	return buf.Bytes(), id, nil
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
