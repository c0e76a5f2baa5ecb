package compose

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrMailto is wrapped by every error ParseMailto returns.
// ErrNoRecipient: the message names no recipient in To or Cc.
var ErrNoRecipient = errors.New("compose: the message has no recipient")

// ErrSubjectLines: the subject holds a line break.
var ErrSubjectLines = errors.New("compose: the subject must be one line")

var ErrMailto = errors.New("compose: this is not a mailto: link SecureMail can open")

// maxMailto bounds the link ParseMailto reads: Windows passes it on a command
// line of at most 32,767 characters, and no real link comes near this.
const maxMailto = 64 << 10

// ParseMailto turns a mailto: link (RFC 6068) — what a web page, the file
// manager's "Send to" or the desktop's default-mail handler passes — into a
// draft: its addresses, to, cc, subject and body. Other header fields are
// ignored, and so is bcc: the composer does not show Bcc, so a link must not
// copy the mail to someone the user cannot see.
func ParseMailto(link string) (*Draft, error) {
	if len(link) > maxMailto {
		return nil, fmt.Errorf("%w: it is longer than %d bytes", ErrMailto, maxMailto)
	}
	const scheme = "mailto:"
	if len(link) < len(scheme) || !strings.EqualFold(link[:len(scheme)], scheme) {
		return nil, fmt.Errorf("%w: its scheme is not mailto", ErrMailto)
	}
	rest := link[len(scheme):]
	if i := strings.IndexByte(rest, '#'); i >= 0 { // a fragment means nothing to mail
		rest = rest[:i]
	}
	path, query, _ := strings.Cut(rest, "?")
	d := &Draft{}
	to, err := addressList(path)
	if err != nil {
		return nil, err
	}
	d.To = to
	haveSubject, haveBody := false, false
	for _, field := range strings.Split(query, "&") {
		if field == "" {
			continue
		}
		name, value, _ := strings.Cut(field, "=")
		name, err := unescape(name)
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(name) {
		case "to", "cc":
			list, err := addressList(value)
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(name, "to") {
				d.To = append(d.To, list...)
			} else {
				d.Cc = append(d.Cc, list...)
			}
		case "subject":
			v, err := unescape(value)
			if err != nil {
				return nil, err
			}
			if !haveSubject {
				d.Subject, haveSubject = oneLine(v), true
			}
		case "body":
			v, err := unescape(value)
			if err != nil {
				return nil, err
			}
			if !haveBody {
				d.Text, haveBody = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n"), true
			}
		}
	}
	return d, nil
}

// addressList splits a comma-separated list of percent-encoded addresses;
// an encoded comma (%2C) stays inside its address.
func addressList(s string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(s, ",") {
		a, err := unescape(part)
		if err != nil {
			return nil, err
		}
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if strings.IndexFunc(a, unicode.IsControl) >= 0 {
			return nil, fmt.Errorf("%w: an address in it holds a control character", ErrMailto)
		}
		out = append(out, a)
	}
	return out, nil
}

// unescape decodes %XX sequences (a "+" stays a plus: RFC 6068 is not a
// form encoding) and requires UTF-8.
func unescape(s string) (string, error) {
	v, err := url.PathUnescape(s)
	if err != nil {
		return "", fmt.Errorf("%w: it holds a broken %%-escape", ErrMailto)
	}
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("%w: it is not UTF-8 text", ErrMailto)
	}
	return v, nil
}

// oneLine makes a subject a single line: line breaks and other control
// characters become spaces.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}
