package smime

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// splitMessage cuts a whole message (CRLF) into the header fields that stay
// outside any S/MIME layer (From, To, Subject, Date, Message-ID, …) and the
// MIME entity (its Content-* fields and the body) that the layer protects.
// MIME-Version is dropped from both: the caller writes it once, outside.
// A message without a Content-Type gets the RFC 2045 default written out,
// with charset utf-8 when the body is not ASCII.
func splitMessage(msg []byte) (outer []byte, inner []byte) {
	e := parseEntity(msg)
	var out, in bytes.Buffer
	hasType := false
	for _, f := range e.fields {
		switch {
		case strings.EqualFold(f.name, "MIME-Version"):
		case f.isContent():
			if strings.EqualFold(f.name, "Content-Type") {
				hasType = true
			}
			in.Write(f.raw)
		default:
			out.Write(f.raw)
		}
	}
	if !hasType {
		charset := "us-ascii"
		if bytes.ContainsFunc(e.body, func(r rune) bool { return r >= 0x80 }) {
			charset = "utf-8"
		}
		in.WriteString("Content-Type: text/plain; charset=" + charset + "\r\n")
	}
	return out.Bytes(), joinEntity(in.Bytes(), e.body)
}

// newBoundary returns a random multipart boundary that does not occur in
// content.
func newBoundary(content []byte) string {
	for {
		var b [15]byte
		_, _ = rand.Read(b[:])
		s := "----=_smime_" + hex.EncodeToString(b[:])
		if !bytes.Contains(content, []byte(s)) {
			return s
		}
	}
}

// pkcs7MimeEntity writes the outer header, then an application/pkcs7-mime
// entity of the given smime-type carrying der in base64.
func pkcs7MimeEntity(outer []byte, smimeType, description string, der []byte) []byte {
	var b bytes.Buffer
	body := base64Lines(der)
	b.Grow(len(outer) + 300 + len(body))
	b.Write(outer)
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n")
	b.WriteString("Content-Transfer-Encoding: base64\r\n")
	b.WriteString("Content-Disposition: attachment; filename=smime.p7m\r\n")
	b.WriteString("Content-Description: " + description + "\r\n\r\n")
	b.Write(body)
	return b.Bytes()
}
