package smime

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime/quotedprintable"

	"securemail/internal/bigbuf"
)

// toCRLF returns b with every line ending as CRLF: a bare LF becomes CRLF.
// A bare CR (not followed by LF) is not a line end (internal/mailheader's
// rule, docs/SECURITY.md, "Who sent it") and is kept as it is. It returns b itself when
// nothing needs to change, so a large message already in canonical form is
// not copied.
func toCRLF(b []byte) []byte {
	out, _ := toCRLFContext(context.Background(), b)
	return out
}

// toCRLFContext is toCRLF that stops with ctx's error when ctx is done. It
// works through b in pieces of bigbuf.Piece bytes and looks at ctx between
// them: on 100 MB of five-byte lines the scan alone takes a third of a
// second, a conversion longer.
func toCRLFContext(ctx context.Context, b []byte) ([]byte, error) {
	bare, err := hasBareLF(ctx, b)
	if err != nil || !bare {
		return b, err
	}
	out := make([]byte, 0, len(b)+len(b)/32+2)
	for start := 0; start < len(b); start += bigbuf.Piece {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := start; i < min(start+bigbuf.Piece, len(b)); i++ {
			if c := b[i]; c == '\n' && (i == 0 || b[i-1] != '\r') {
				out = append(out, '\r', '\n')
			} else {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// hasBareLF reports whether b has an LF not preceded by CR. It scans with
// the bytes package's vectorised search, a piece at a time, and stops with
// ctx's error when ctx is done.
func hasBareLF(ctx context.Context, b []byte) (bool, error) {
	for start := 0; start < len(b); start += bigbuf.Piece {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		end := min(start+bigbuf.Piece, len(b))
		for i := start; ; {
			j := bytes.IndexByte(b[i:end], '\n')
			if j < 0 {
				break
			}
			j += i
			if j == 0 || b[j-1] != '\r' {
				return true, nil
			}
			i = j + 1
		}
	}
	return false, nil
}

// base64Lines encodes data as base64 in lines of 76 characters, each ending
// in CRLF (RFC 2045 §6.8).
func base64Lines(data []byte) []byte {
	const lineLen = 76
	enc := base64.StdEncoding
	n := enc.EncodedLen(len(data))
	out := make([]byte, n+(n+lineLen-1)/lineLen*2)
	enc.Encode(out[len(out)-n:], data) // encode at the end, then spread out
	src := len(out) - n
	dst := 0
	for src < len(out) {
		k := min(lineLen, len(out)-src)
		copy(out[dst:], out[src:src+k])
		dst += k
		src += k
		out[dst], out[dst+1] = '\r', '\n'
		dst += 2
	}
	return out[:dst]
}

// decodeBase64 decodes base64 text, ignoring line breaks and other white
// space; trailing garbage after the padding is ignored as mail readers do.
func decodeBase64(text []byte) ([]byte, error) {
	// Fast path: the standard decoder skips CR and LF itself.
	out := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	if n, err := base64.StdEncoding.Decode(out, text); err == nil {
		return out[:n], nil
	}
	clean := make([]byte, 0, len(text))
	for _, c := range text {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			clean = append(clean, c)
		}
	}
	// Drop anything after the first padding group.
	if i := bytes.IndexByte(clean, '='); i >= 0 {
		end := i
		for end < len(clean) && clean[end] == '=' {
			end++
		}
		clean = clean[:end]
	}
	if r := len(clean) % 4; r != 0 {
		// QUIRK: tolerate missing padding.
		clean = append(clean, bytes.Repeat([]byte("="), 4-r)...)
	}
	// The padding supplied above can make clean decode to more than out
	// was sized for (text "QUJDRA" gives four octets, DecodedLen(6) is 3).
	out = make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	return out[:n], err
}

// decodeBody undoes a Content-Transfer-Encoding.
func decodeBody(body []byte, cte string) ([]byte, error) {
	switch cte {
	case "base64":
		return decodeBase64(body)
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	default:
		return body, nil
	}
}

// encodeQP encodes text (CRLF line ends) as quoted-printable (RFC 2045
// §6.7) so that it survives any relay: 8-bit bytes, "=", white space at the
// end of a line, "From " and a lone "." at the start of a line are escaped,
// and lines are broken softly before 76 characters.
func encodeQP(text []byte) []byte {
	const hex = "0123456789ABCDEF"
	var out bytes.Buffer
	out.Grow(len(text) + len(text)/8)
	lines := bytes.Split(text, []byte("\r\n"))
	for li, line := range lines {
		if li == len(lines)-1 && len(line) == 0 {
			break // text ended with CRLF
		}
		col := 0
		emit := func(s []byte) {
			if col+len(s) > 75 {
				out.WriteString("=\r\n")
				col = 0
			}
			out.Write(s)
			col += len(s)
		}
		for i, c := range line {
			last := i == len(line)-1
			switch {
			case i == 0 && c == 'F' && bytes.HasPrefix(line, []byte("From ")),
				i == 0 && c == '.' && len(line) == 1,
				c == '=', c > '~', c < ' ' && c != '\t',
				(c == ' ' || c == '\t') && last:
				emit([]byte{'=', hex[c>>4], hex[c&15]})
			default:
				emit([]byte{c})
			}
		}
		if li < len(lines)-1 {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}
