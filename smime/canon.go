package smime

import (
	"bytes"
	"fmt"
	"strings"
)

// maxDepth bounds MIME nesting when walking or rewriting an entity: far
// deeper than any real message, shallow enough that a hostile one cannot
// exhaust the stack.
const maxDepth = 32

// canonicalEntity returns a MIME entity (CRLF line ends) in a form that no
// relay can change, ready to be signed (RFC 8551 §3.1.1): 7-bit throughout,
// 8-bit or binary leaves re-encoded (text as quoted-printable, everything
// else as base64), text with white space at the end of a line or a "From "
// line re-encoded as quoted-printable, and lines longer than 998 octets
// avoided. Parts that are already signed or encrypted are kept byte for
// byte: rewriting them would break their own signatures.
func canonicalEntity(raw []byte, depth int) ([]byte, error) {
	out, err := canonicalParsed(parseEntity(raw), depth)
	if out == nil && err == nil {
		return raw, nil
	}
	return out, err
}

// canonicalParsed is canonicalEntity on a parsed entity; it returns nil
// (and no error) when the entity is canonical as it stands, so that the
// caller can keep its bytes where they are.
func canonicalParsed(e *entity, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("smime: the message is nested more than %d levels deep", maxDepth)
	}
	mt, params := e.mediaType()
	switch {
	case mt == "multipart/signed", strings.HasSuffix(mt, "pkcs7-mime"), strings.HasSuffix(mt, "pkcs7-signature"):
		return nil, nil
	case strings.HasPrefix(mt, "multipart/"):
		return canonicalMultipart(e, params["boundary"], depth)
	case mt == "message/rfc822":
		inner, err := canonicalEntity(e.body, depth+1)
		if err != nil {
			return nil, err
		}
		return joinEntity(withoutCTE(e.fields, ""), inner), nil
	}
	cte := e.transferEncoding()
	switch cte {
	case "base64", "quoted-printable":
		return nil, nil
	}
	isText := strings.HasPrefix(mt, "text/")
	if cte == "7bit" && is7bitSafe(e.body, isText) {
		return nil, nil
	}
	if isText {
		return joinEntity(withoutCTE(e.fields, "quoted-printable"), encodeQP(e.body)), nil
	}
	return joinEntity(withoutCTE(e.fields, "base64"), base64Lines(e.body)), nil
}

// canonicalMultipart rewrites each part of a multipart entity; nil when
// no part changes. The preamble and epilogue, which no reader shows, are
// dropped from a rewritten entity.
func canonicalMultipart(e *entity, boundary string, depth int) ([]byte, error) {
	if boundary == "" {
		return nil, fmt.Errorf("smime: a multipart part has no boundary")
	}
	parts, _, err := splitMultipart(e.body, boundary)
	if err != nil {
		return nil, err
	}
	canon := make([][]byte, len(parts))
	changed := false
	for i, p := range parts {
		c, err := canonicalEntity(p, depth+1)
		if err != nil {
			return nil, err
		}
		canon[i] = c
		changed = changed || !sameBytes(c, p)
	}
	if !changed {
		return nil, nil // already canonical: no copy, preamble kept
	}
	var body bytes.Buffer
	body.Grow(len(e.body))
	for _, c := range canon {
		body.WriteString("--" + boundary + "\r\n")
		body.Write(c)
		body.WriteString("\r\n")
	}
	body.WriteString("--" + boundary + "--\r\n")
	return joinEntity(withoutCTE(e.fields, ""), body.Bytes()), nil
}

// sameBytes reports whether a and b are the same slice of memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// is7bitSafe reports whether a body declared 7bit really is: no 8-bit or
// NUL octets, no line over 998 octets, and for text no white space at the
// end of a line (relays and editors strip it) and no line starting with
// "From " (mbox stores rewrite it as ">From ").
func is7bitSafe(body []byte, isText bool) bool {
	lineLen := 0
	for i, c := range body {
		if c >= 0x80 || c == 0 {
			return false
		}
		if c == '\n' {
			lineLen = 0
			continue
		}
		lineLen++
		if lineLen > 998 {
			return false
		}
		if !isText {
			continue
		}
		if (c == ' ' || c == '\t') && (i+1 == len(body) || body[i+1] == '\r') {
			return false
		}
		if c == 'F' && lineLen == 1 && bytes.HasPrefix(body[i:], []byte("From ")) {
			return false
		}
	}
	return true
}

// withoutCTE returns the fields without Content-Transfer-Encoding, plus a
// new one when cte is not "".
func withoutCTE(fields []field, cte string) []byte {
	var h bytes.Buffer
	for _, f := range fields {
		if strings.EqualFold(f.Name, "Content-Transfer-Encoding") {
			continue
		}
		h.Write(f.Raw)
	}
	if cte != "" {
		h.WriteString("Content-Transfer-Encoding: " + cte + "\r\n")
	}
	return h.Bytes()
}

// joinEntity puts a header block (fields ending in CRLF) and a body
// together with the blank line between them.
func joinEntity(header, body []byte) []byte {
	out := make([]byte, 0, len(header)+2+len(body))
	out = append(out, header...)
	out = append(out, '\r', '\n')
	return append(out, body...)
}
