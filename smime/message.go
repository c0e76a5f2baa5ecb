package smime

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
)

// splitParts cuts a whole message (CRLF) into the header fields that stay
// outside any S/MIME layer (From, To, Subject, Date, Message-ID, …) and the
// MIME entity that the layer protects, without copying the body: the entity is
// head (its Content-* fields and the blank line, a small copy) followed by
// body, a sub-slice of msg. MIME-Version is dropped from both: the caller
// writes it once, outside. A message without a Content-Type gets the
// RFC 2045 default written out, with charset utf-8 when the body is not
// ASCII.
func splitParts(msg []byte) (outer, head, body []byte) {
	e := parseEntity(msg)
	var out, in bytes.Buffer
	hasType := false
	for _, f := range e.fields {
		switch {
		case strings.EqualFold(f.Name, "MIME-Version"):
		case f.IsContent():
			if strings.EqualFold(f.Name, "Content-Type") {
				hasType = true
			}
			in.Write(f.Raw)
		default:
			out.Write(f.Raw)
		}
	}
	if !hasType {
		charset := "us-ascii"
		if bytes.ContainsFunc(e.body, func(r rune) bool { return r >= 0x80 }) {
			charset = "utf-8"
		}
		in.WriteString("Content-Type: text/plain; charset=" + charset + "\r\n")
	}
	in.WriteString("\r\n")
	return out.Bytes(), in.Bytes(), e.body
}

// newBoundary returns a random multipart boundary that does not occur in
// the content, given in parts (a boundary has no CR or LF, so it cannot
// straddle a header and the body that follows its blank line).
func newBoundary(content ...[]byte) string {
	for {
		var b [15]byte
		_, _ = rand.Read(b[:])
		s := "----=_smime_" + hex.EncodeToString(b[:])
		if !slices.ContainsFunc(content, func(c []byte) bool { return bytes.Contains(c, []byte(s)) }) {
			return s
		}
	}
}

// pkcs7MimeHeader is the outer header and the header of an
// application/pkcs7-mime entity of the given smime-type, blank line
// included: what precedes the base64 DER.
func pkcs7MimeHeader(outer []byte, smimeType, description string) []byte {
	var b bytes.Buffer
	b.Grow(len(outer) + 300)
	b.Write(outer)
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n")
	b.WriteString("Content-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7m\r\n")
	b.WriteString("Content-Description: " + description + "\r\n\r\n")
	return b.Bytes()
}
