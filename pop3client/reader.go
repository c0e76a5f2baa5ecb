package pop3client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine bounds a status or listing line. RFC 2449 §4 allows 512 octets
// for a response; we accept more but not an endless line.
const maxLine = 8 << 10

// readLine returns one line without its CRLF (or bare LF). A line longer
// than maxLine (or the buffer) is a protocol error.
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", fmt.Errorf("%w: a response line is longer than %d octets", ErrProtocol, r.Size())
		}
		if err == io.EOF && len(b) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	if len(b) > maxLine {
		return "", fmt.Errorf("%w: a response line is longer than %d octets", ErrProtocol, maxLine)
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b), nil
}

// parseStatus splits a status line into success and text, and for -ERR
// extracts the RESP-CODE (RFC 2449 §8): "-ERR [SYS/TEMP] try later".
func parseStatus(line string) (ok bool, code, text string, err error) {
	switch {
	case strings.HasPrefix(line, "+OK"):
		ok, text = true, line[3:]
	case strings.HasPrefix(line, "-ERR"):
		text = line[4:]
	default:
		return false, "", "", fmt.Errorf("%w: expected +OK or -ERR, got %q", ErrProtocol, truncate(line, 80))
	}
	if text != "" && text[0] != ' ' {
		return false, "", "", fmt.Errorf("%w: expected +OK or -ERR, got %q", ErrProtocol, truncate(line, 80))
	}
	text = strings.TrimPrefix(text, " ")
	if !ok && strings.HasPrefix(text, "[") {
		if i := strings.IndexByte(text, ']'); i > 1 && validRespCode(text[1:i]) {
			code = strings.ToUpper(text[1:i])
			text = strings.TrimPrefix(text[i+1:], " ")
		}
	}
	return ok, code, text, nil
}

// validRespCode accepts RFC 2449 resp-level atoms: printable ASCII, no
// spaces or brackets, levels separated by '/'.
func validRespCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '[' || c == ']' {
			return false
		}
	}
	return s != ""
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// dotReader returns the body of a multi-line response (RFC 1939 §3) with
// its bytes exactly as sent: line ends are kept as they are (CRLF), a
// leading '.' that byte-stuffs a line is removed, and the terminating
// ".CRLF" ends the stream with io.EOF and is not returned.
//
// textproto.DotReader would rewrite CRLF to LF, which breaks signatures over
// the raw message, so POP3 needs this one. It copies from the bufio.Reader's
// buffer a line piece at a time: no per-byte state machine.
type dotReader struct {
	r   *bufio.Reader
	bol bool // at the beginning of a line
	eof bool // the terminator was read
	err error
	n   int64 // octets returned so far
}

func newDotReader(r *bufio.Reader) *dotReader { return &dotReader{r: r, bol: true} }

// Read implements io.Reader.
func (d *dotReader) Read(p []byte) (int, error) {
	if d.eof {
		return 0, io.EOF
	}
	if d.err != nil {
		return 0, d.err
	}
	n := 0
	for n < len(p) {
		if d.bol {
			b, err := d.r.Peek(1)
			if err != nil {
				return n, d.fail(err)
			}
			if b[0] == '.' {
				b, err = d.r.Peek(3)
				switch {
				case len(b) >= 3 && b[1] == '\r' && b[2] == '\n':
					_, _ = d.r.Discard(3)
					d.eof = true
					d.n += int64(n)
					if n == 0 {
						return 0, io.EOF
					}
					return n, nil
				case len(b) >= 2 && b[1] == '\n':
					// QUIRK: a server that ends lines with bare LF.
					_, _ = d.r.Discard(2)
					d.eof = true
					d.n += int64(n)
					if n == 0 {
						return 0, io.EOF
					}
					return n, nil
				case len(b) < 3 && err != nil:
					if len(b) < 2 {
						return n, d.fail(err)
					}
				}
				// Byte-stuffed line: drop the first dot.
				_, _ = d.r.Discard(1)
			}
			d.bol = false
		}
		// Copy up to the end of the line from what is already buffered
		// (filling the buffer once if it is empty).
		avail := d.r.Buffered()
		if avail == 0 {
			if _, err := d.r.Peek(1); err != nil {
				return n, d.fail(err)
			}
			avail = d.r.Buffered()
		}
		buf, _ := d.r.Peek(avail)
		if room := len(p) - n; len(buf) > room {
			buf = buf[:room]
		}
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[:i+1]
			d.bol = true
		}
		copy(p[n:], buf)
		n += len(buf)
		_, _ = d.r.Discard(len(buf))
	}
	d.n += int64(n)
	return n, nil
}

// fail records a read error inside the body: the stream ended before the
// terminator, so the message is incomplete.
func (d *dotReader) fail(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	d.err = err
	return err
}

// drain reads and drops the rest of the body.
func (d *dotReader) drain() error {
	var scratch [4096]byte
	for {
		_, err := d.Read(scratch[:])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readDotLines reads a multi-line listing (CAPA, LIST, UIDL) into lines
// without CRLF, dot-unstuffed, bounded by maxLine per line and maxLines.
func readDotLines(r *bufio.Reader, maxLines int) ([]string, error) {
	var lines []string
	for {
		line, err := readLine(r)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return lines, err
		}
		if line == "." {
			return lines, nil
		}
		if len(lines) >= maxLines {
			return lines, fmt.Errorf("%w: a listing has more than %d lines", ErrProtocol, maxLines)
		}
		lines = append(lines, strings.TrimPrefix(line, "."))
	}
}
