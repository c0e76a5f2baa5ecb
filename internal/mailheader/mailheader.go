// Package mailheader is SecureMail's one reader of RFC 5322 header fields.
// The signature verdict (smime), the store's index and listing (mailstore),
// the reader and the command line all take a message's fields, its From
// mailbox and its Subject from here, so that they can never disagree on
// which From or Subject a message has (docs/SECURITY.md, "Who sent it").
//
// The rule, the same for every caller and every entity:
//   - A line ends at LF, with or without a CR before it. A CR not followed by
//     LF (a bare CR) is not a line end anywhere: it is a character of the
//     line, and it makes an address unreadable.
//   - The header is the lines from the start up to the first empty line. When
//     the first line is not a field ("name:"), there is no header: everything
//     is body (CMS content often has no header).
//   - A line starting with a space or a tab continues the previous field
//     (folding, including the obsolete folding of RFC 5322 §4.2: white space
//     only lines, white space between the name and the colon).
//   - A line that is neither a field nor a continuation is skipped and
//     counted; a field name is printable ASCII without colon (so a NUL or
//     8-bit byte in a name makes the line skipped); a NUL in a value stays in
//     the value (it makes an address unreadable, and is shown as a space).
//   - Duplicates: Get returns the first field of a name (the first Subject
//     is the Subject everywhere); a message with more than one From field has
//     no From (see From).
//   - The header block is bounded (MaxHeaderBytes): what follows is body.
package mailheader

import (
	"bytes"
	"strings"
)

// MaxHeaderBytes bounds a header block: a line starting beyond it ends the
// header, and the rest is body.
const MaxHeaderBytes = 1 << 20

// Field is one header field exactly as it appears in the message: its name
// as written (without the white space before the colon) and its bytes, from
// the name to the line end of its last continuation line included.
type Field struct {
	Name string
	Raw  []byte
}

// Value returns the field's unfolded value: the text after the colon with
// every line end (CRLF or LF) removed and the white space around it trimmed.
// A bare CR stays in the value.
func (f Field) Value() string {
	colon := bytes.IndexByte(f.Raw, ':')
	if colon < 0 {
		return ""
	}
	v := f.Raw[colon+1:]
	var b strings.Builder
	b.Grow(len(v))
	for len(v) > 0 {
		i := bytes.IndexByte(v, '\n')
		if i < 0 {
			b.Write(v)
			break
		}
		line := v[:i]
		line = bytes.TrimSuffix(line, []byte{'\r'})
		b.Write(line)
		v = v[i+1:]
	}
	return strings.Trim(b.String(), " \t")
}

// IsContent reports whether the field describes a MIME entity (RFC 2045
// Content-* fields) rather than the message as a whole.
func (f Field) IsContent() bool {
	return len(f.Name) > 8 && strings.EqualFold(f.Name[:8], "content-")
}

// Header is the parsed header block of an entity.
type Header struct {
	// Fields in the order of the message.
	Fields []Field
	// Skipped counts lines that were neither a field nor a continuation.
	Skipped int
	// Unterminated is true when no empty line ended the header (the input
	// ended, or MaxHeaderBytes was reached).
	Unterminated bool
}

// Split parses the header block at the start of raw and returns it with the
// header bytes (fields only, without the empty line) and the body. header
// and body are slices of raw, as are the fields' Raw.
func Split(raw []byte) (h Header, header, body []byte) {
	if !StartsWithField(raw) {
		if bytes.HasPrefix(raw, []byte("\r\n")) {
			return h, raw[:0], raw[2:]
		}
		if bytes.HasPrefix(raw, []byte("\n")) {
			return h, raw[:0], raw[1:]
		}
		// QUIRK: content without any header (as CMS content often is) is a
		// body with the RFC 2045 defaults.
		return h, raw[:0], raw
	}
	off, lastStart, inField := 0, 0, false
	for off < len(raw) {
		if off > MaxHeaderBytes {
			h.Unterminated = true
			return h, raw[:off], raw[off:]
		}
		end := len(raw)
		if i := bytes.IndexByte(raw[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		line := raw[off:end]
		content := bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
		switch {
		case len(content) == 0 && raw[end-1] == '\n':
			return h, raw[:off], raw[end:]
		case len(content) > 0 && (content[0] == ' ' || content[0] == '\t'):
			if inField {
				h.Fields[len(h.Fields)-1].Raw = raw[lastStart:end]
			} else {
				h.Skipped++
			}
		default:
			name, ok := fieldName(content)
			inField = ok
			if ok {
				lastStart = off
				h.Fields = append(h.Fields, Field{Name: name, Raw: line})
			} else {
				h.Skipped++
			}
		}
		off = end
	}
	h.Unterminated = true
	return h, raw, raw[len(raw):]
}

// fieldName returns the name of a field line ("Name:" or the obsolete
// "Name :"), and false when the line is not a field.
func fieldName(line []byte) (string, bool) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return "", false
	}
	name := bytes.TrimRight(line[:colon], " \t")
	if len(name) == 0 {
		return "", false
	}
	for _, c := range name {
		if c <= ' ' || c > '~' {
			return "", false
		}
	}
	return string(name), true
}

// StartsWithField reports whether raw begins with a header field line, that
// is whether it has a header at all (Split's rule).
func StartsWithField(raw []byte) bool {
	end := bytes.IndexByte(raw, '\n')
	if end < 0 {
		end = len(raw)
	}
	_, ok := fieldName(raw[:end])
	return ok
}

// Parse is Split when only the fields are wanted.
func Parse(raw []byte) Header {
	h, _, _ := Split(raw)
	return h
}

// Get returns the unfolded value of the first field with that name
// (case-insensitive), or "".
func (h Header) Get(name string) string {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value()
		}
	}
	return ""
}

// Values returns the unfolded values of every field with that name.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value())
		}
	}
	return out
}

// Has reports whether a field with that name is present.
func (h Header) Has(name string) bool {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Subject returns the first Subject field, decoded for display (encoded
// words, 8-bit bytes taken as UTF-8 or else Windows-1252, control characters
// as spaces).
func (h Header) Subject() string {
	return DecodeText(h.Get("Subject"))
}
