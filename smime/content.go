package smime

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"securemail/internal/bigbuf"
)

// Attachment is a file carried in the message's content.
type Attachment struct {
	Name        string // the file name the sender gave, or "" when none
	ContentType string // media type, e.g. "application/pdf"
	Size        int    // decoded size in bytes
	Content     []byte // decoded content
}

// content is what the innermost entity holds for a reader.
type content struct {
	text        string
	haveText    bool
	attachments []Attachment

	ctx   context.Context // stops the walk when done
	parts int             // entities read so far, against maxParts
	err   error           // why the walk stopped early: a *LimitError or the context's error
}

// collectContent walks the innermost entity for its first text/plain part
// and its attachments. Parts that are themselves S/MIME (an encrypted part
// inside a multipart/mixed) are listed as attachments and not opened: see
// docs/SECURITY.md, "Encrypted parts inside other content".
//
// It stops, with c.err set, at the bounds of limits.go (more than maxParts
// entities, maxDepth levels, or a header too large) and when c.ctx is done.
func collectContent(raw []byte, depth int, c *content) {
	if c.err != nil {
		return
	}
	c.parts++
	switch {
	case depth > maxDepth:
		c.err = &LimitError{What: whatNesting, Limit: maxDepth}
		return
	case c.parts > maxParts:
		c.err = &LimitError{What: whatParts, Limit: maxParts}
		return
	}
	if c.ctx != nil {
		if c.err = c.ctx.Err(); c.err != nil {
			return
		}
	}
	if c.err = checkHeader(raw); c.err != nil {
		return
	}
	e := parseEntity(raw)
	mt, params := e.mediaType()
	if strings.HasPrefix(mt, "multipart/") {
		parts, _, err := splitMultipart(e.body, params["boundary"])
		if le := (*LimitError)(nil); errors.As(err, &le) {
			c.err = err
			return
		}
		if err != nil || params["boundary"] == "" {
			return
		}
		for _, p := range parts {
			collectContent(p, depth+1, c)
		}
		return
	}
	if mt == "message/rfc822" && !e.isAttachment() {
		collectContent(e.body, depth+1, c)
		return
	}
	data, err := decodeBody(e.body, e.transferEncoding())
	if err != nil {
		data = e.body
	}
	if mt == "text/plain" && !e.isAttachment() && !c.haveText {
		c.text, c.haveText = decodeCharset(data, params["charset"]), true
		return
	}
	if mt == "text/plain" || mt == "text/html" {
		if !e.isAttachment() && e.filename() == "" {
			return // an alternative body, not a file
		}
	}
	c.attachments = append(c.attachments, Attachment{Name: e.filename(), ContentType: mt, Size: len(data), Content: data})
}

// decodeCharset turns text in the given charset into UTF-8. It knows the
// charsets mail in the TESTA countries uses without a conversion table
// (UTF-8, US-ASCII, ISO-8859-1, Windows-1252); anything else is read as
// UTF-8 with invalid bytes replaced, which keeps ASCII text readable.
func decodeCharset(b []byte, charset string) string {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "iso-8859-1", "latin1", "iso_8859-1", "l1":
		return latin1(b, false)
	case "windows-1252", "cp1252":
		return latin1(b, true)
	}
	if utf8.Valid(b) {
		return bigbuf.String(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// latin1 decodes ISO-8859-1, or Windows-1252 when windows is set.
func latin1(b []byte, windows bool) string {
	// The 0x80–0x9F range of Windows-1252 (0 where undefined).
	cp1252 := [32]rune{
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		r := rune(c)
		if windows && c >= 0x80 && c < 0xA0 && cp1252[c-0x80] != 0 {
			r = cp1252[c-0x80]
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
