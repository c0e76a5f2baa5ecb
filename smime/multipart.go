package smime

import (
	"bytes"
	"errors"
)

// errNoParts means a multipart body has no delimiter line at all.
var errNoParts = errors.New("smime: the multipart body has no parts")

// splitMultipart returns the exact bytes of each body part of a multipart
// body with CRLF line ends, without copying. It follows RFC 2046 §5.1.1: a
// delimiter is "--" boundary at the start of a line, optionally followed by
// white space (transport padding); the CRLF before it belongs to the
// delimiter, not to the part, so a part that ends in a line break keeps that
// line's CRLF and loses only the one before the delimiter. closed is false
// when the closing delimiter is missing; the last part then runs to the end.
// More than maxParts parts is a *LimitError, found without reading further.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool, err error) {
	if boundary == "" {
		return nil, false, errNoParts // RFC 2046 §5.1.1: 1 to 70 characters
	}
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's bytes
	pos := 0    // where to look for the next delimiter line
	for {
		lineStart, ok := nextDelimiter(body, delim, pos)
		if !ok {
			break
		}
		rest := body[lineStart+len(delim):]
		isClose := bytes.HasPrefix(rest, []byte("--"))
		if isClose {
			rest = rest[2:]
		}
		// Transport padding, then CRLF or the end of the body.
		pad := 0
		for pad < len(rest) && (rest[pad] == ' ' || rest[pad] == '\t') {
			pad++
		}
		lineEnd := lineStart + len(delim) + pad
		if isClose {
			lineEnd += 2
		}
		switch {
		case pad == len(rest):
			lineEnd = len(body)
		case bytes.HasPrefix(rest[pad:], []byte("\r\n")):
			lineEnd += 2
		case isClose:
			// QUIRK: text after a closing delimiter on the same line is
			// ignored, as most readers do.
			if i := bytes.Index(rest, []byte("\r\n")); i >= 0 {
				lineEnd = lineStart + len(delim) + 2 + i + 2
			} else {
				lineEnd = len(body)
			}
		default:
			// The boundary is only a prefix of this line: not a delimiter.
			pos = lineStart + len(delim)
			continue
		}
		if len(parts) >= maxParts {
			return nil, false, &LimitError{What: whatParts, Limit: maxParts}
		}
		if start >= 0 {
			end := lineStart - 2 // the CRLF before the delimiter
			if end < start {
				end = start
			}
			parts = append(parts, body[start:end])
		}
		if isClose {
			return parts, true, nil
		}
		start = lineEnd
		// The CRLF that ends this delimiter line may also be the CRLF
		// before the next one (an empty part).
		pos = lineEnd - 2
		if pos <= lineStart {
			pos = lineEnd
		}
	}
	if start < 0 {
		return nil, false, errNoParts
	}
	parts = append(parts, body[start:])
	return parts, false, nil
}

// nextDelimiter finds the next line at or after from that starts with
// delim: either the body's first line or a line preceded by CRLF.
func nextDelimiter(body, delim []byte, from int) (int, bool) {
	if from == 0 && bytes.HasPrefix(body, delim) {
		return 0, true
	}
	if from < 0 {
		from = 0
	}
	needle := make([]byte, 0, len(delim)+2)
	needle = append(append(needle, '\r', '\n'), delim...)
	i := bytes.Index(body[from:], needle)
	if i < 0 {
		return 0, false
	}
	return from + i + 2, true
}
