package smime

import (
	"mime"
	"strings"

	"github.com/emersion/go-message/charset"

	"securemail/internal/mailheader"
)

// field is one header field exactly as it appears in the message, folded
// continuation lines and the final line end included (the project's one
// header reader, internal/mailheader).
type field = mailheader.Field

// entity is a MIME entity cut from a message without copying: header fields
// and body are slices of raw.
type entity struct {
	raw    []byte // the whole entity, exactly as in the message
	header []byte // header fields, each ending in its line end, without the empty line
	body   []byte
	fields []field
	h      mailheader.Header
}

// parseEntity splits raw into header and body by mailheader's rule (a bare
// CR is not a line end; a first line that is not a field means no header).
func parseEntity(raw []byte) *entity {
	h, header, body := mailheader.Split(raw)
	return &entity{raw: raw, header: header, body: body, fields: h.Fields, h: h}
}

// get returns the unfolded value of the first field with that name
// (case-insensitive), or "".
func (e *entity) get(name string) string {
	return e.h.Get(name)
}

// mediaType returns the entity's media type in lower case and its
// parameters. A missing or unparseable Content-Type means text/plain
// (RFC 2045 §5.2).
func (e *entity) mediaType() (string, map[string]string) {
	v := e.get("Content-Type")
	if v == "" {
		return "text/plain", map[string]string{}
	}
	mt, params, _ := mime.ParseMediaType(v)
	if mt == "" {
		// QUIRK: RFC 2045 §5.2 — a syntactically invalid Content-Type is
		// treated as text/plain; a bare type with broken parameters keeps
		// its type.
		if i := strings.IndexByte(v, ';'); i > 0 {
			mt = strings.ToLower(strings.TrimSpace(v[:i]))
		}
		if mt == "" || !strings.Contains(mt, "/") {
			return "text/plain", map[string]string{}
		}
	}
	if params == nil {
		params = map[string]string{}
	}
	return mt, params
}

// transferEncoding returns the Content-Transfer-Encoding in lower case,
// "7bit" when absent.
func (e *entity) transferEncoding() string {
	v := strings.ToLower(e.get("Content-Transfer-Encoding"))
	if v == "" {
		return "7bit"
	}
	return v
}

// filename returns the name a sender gave the part, from
// Content-Disposition's filename or Content-Type's name, decoded: RFC 2231
// parameters (by mime.ParseMediaType) and the RFC 2047 encoded words that
// Outlook and others write inside quoted names. It is the sender's text:
// internal/safefile makes a file name of it.
func (e *entity) filename() string {
	name := ""
	if v := e.get("Content-Disposition"); v != "" {
		if _, p, err := mime.ParseMediaType(v); err == nil {
			name = p["filename"]
		}
	}
	if name == "" {
		_, p := e.mediaType()
		name = p["name"]
	}
	if strings.Contains(name, "=?") {
		// QUIRK: RFC 2047 §5 forbids encoded words in quoted strings, but
		// Outlook and Thunderbird write them there; a word in an unknown
		// charset is kept as written.
		if d, err := (&mime.WordDecoder{CharsetReader: charset.Reader}).DecodeHeader(name); err == nil {
			name = d
		}
	}
	return name
}

// isAttachment reports whether the sender marked the part as an attachment.
func (e *entity) isAttachment() bool {
	v := strings.ToLower(e.get("Content-Disposition"))
	return strings.HasPrefix(v, "attachment")
}
