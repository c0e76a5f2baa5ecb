package smime

import (
	"bytes"
	"mime"
	"strings"

	"github.com/emersion/go-message/charset"
)

// field is one header field exactly as it appears in the message, folded
// continuation lines and the final CRLF included.
type field struct {
	name string // as written, e.g. "Content-Type"
	raw  []byte
}

// value returns the field's unfolded value without leading and trailing
// white space.
func (f field) value() string {
	v := f.raw[len(f.name)+1:]
	v = bytes.ReplaceAll(v, []byte("\r\n"), nil)
	return strings.TrimSpace(string(v))
}

// isContent reports whether the field describes the MIME entity (RFC 2045
// Content-* fields) rather than the message as a whole.
func (f field) isContent() bool {
	return len(f.name) > 8 && strings.EqualFold(f.name[:8], "content-")
}

// entity is a MIME entity cut from a CRLF-normalised message without
// copying: header fields and body are slices of raw.
type entity struct {
	raw    []byte // the whole entity, exactly as in the message
	header []byte // header fields, each ending in CRLF, without the blank line
	body   []byte
	fields []field
}

// parseEntity splits raw (CRLF line ends) into header and body. It is
// tolerant as mail readers must be: a missing blank line means the whole
// input is header, and a line that is not a field ends the header (RFC 5322
// §2.2 gives no other way to recover).
func parseEntity(raw []byte) *entity {
	e := &entity{raw: raw}
	var end, bodyStart int
	switch i := bytes.Index(raw, []byte("\r\n\r\n")); {
	case bytes.HasPrefix(raw, []byte("\r\n")):
		end, bodyStart = 0, 2
	case !startsWithField(raw):
		// QUIRK: content without any header (as CMS content often is) is
		// a body with the RFC 2045 defaults.
		end, bodyStart = 0, 0
	case i >= 0:
		end, bodyStart = i+2, i+4
	default:
		end, bodyStart = len(raw), len(raw)
	}
	e.header = raw[:end]
	e.body = raw[bodyStart:]
	e.fields = splitFields(e.header)
	return e
}

// startsWithField reports whether raw begins with a header field name and
// a colon (RFC 5322 §2.2: printable ASCII except colon, no space).
func startsWithField(raw []byte) bool {
	for i, c := range raw {
		switch {
		case c == ':':
			return i > 0
		case c <= ' ' || c > '~':
			return false
		}
	}
	return false
}

// splitFields cuts a header block into fields. Lines without a colon are
// kept as continuation of the previous field; leading garbage is dropped.
func splitFields(h []byte) []field {
	var out []field
	for len(h) > 0 {
		n := bytes.Index(h, []byte("\r\n"))
		if n < 0 {
			n = len(h)
		} else {
			n += 2
		}
		line := h[:n]
		h = h[n:]
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			last := &out[len(out)-1]
			last.raw = last.raw[:len(last.raw)+len(line)]
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		name := strings.TrimRight(string(line[:colon]), " \t")
		if name == "" || strings.ContainsAny(name, " \t") {
			continue
		}
		out = append(out, field{name: string(line[:colon]), raw: line})
	}
	return out
}

// get returns the unfolded value of the first field with that name
// (case-insensitive), or "".
func (e *entity) get(name string) string {
	for _, f := range e.fields {
		if strings.EqualFold(f.name, name) {
			return f.value()
		}
	}
	return ""
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
