package smtpclient

import (
	"bytes"
	"fmt"
	"io"
)

// maxLineOctets is the longest text line SMTP carries, without its CRLF
// (RFC 5321 §4.5.3.1.6: 1000 octets including CRLF). Longer lines are
// broken by relays (Postfix at line_length_limit), which would change a
// signed message; Send refuses them instead.
const maxLineOctets = 998

// messageInfo is what Send must know about a message before MAIL FROM.
type messageInfo struct {
	size        int64 // octets as sent (bare LF counted as CRLF)
	eightHeader bool  // the header section has bytes >= 0x80 (RFC 6532 needs SMTPUTF8)
	eightBody   bool  // the body has bytes >= 0x80 (needs 8BITMIME)
	longLine    int   // 1-based number of the first line over 998 octets; 0 if none
	longLen     int   // its length
	nulLine     int   // 1-based number of the first line with a NUL; 0 if none
}

// scanner inspects a message in one pass, in any chunking.
type scanner struct {
	info     messageInfo
	line     int  // current line number, 1-based
	lineLen  int  // octets in the current line so far (without CR/LF)
	inHeader bool // still in the header section
	blank    bool // the current line is empty so far
	prevCR   bool // the previous byte was CR
}

func newScanner() *scanner { return &scanner{line: 1, inHeader: true, blank: true} }

// Write scans p; it never fails.
func (s *scanner) Write(p []byte) (int, error) {
	for _, b := range p {
		s.info.size++
		switch b {
		case '\n':
			if !s.prevCR {
				s.info.size++ // the dot writer sends a bare LF as CRLF
			}
			if s.inHeader && s.blank {
				s.inHeader = false
			}
			s.line++
			s.lineLen, s.blank, s.prevCR = 0, true, false
			continue
		case '\r':
			s.prevCR = true
			continue
		case 0:
			if s.info.nulLine == 0 {
				s.info.nulLine = s.line
			}
		}
		if s.prevCR {
			// A CR not followed by LF is part of the line.
			s.lineLen++
		}
		s.prevCR = false
		s.blank = false
		s.lineLen++
		if s.lineLen > maxLineOctets && s.info.longLine == 0 {
			s.info.longLine = s.line
		}
		if s.info.longLine == s.line && s.lineLen > s.info.longLen {
			s.info.longLen = s.lineLen
		}
		if b >= 0x80 {
			if s.inHeader {
				s.info.eightHeader = true
			} else {
				s.info.eightBody = true
			}
		}
	}
	return len(p), nil
}

// prepare reads what Send needs to know about msg before sending, and
// returns a reader of the same bytes. A seekable msg is scanned and then
// rewound; anything else is read into memory once.
func prepare(msg io.Reader) (messageInfo, io.Reader, error) {
	s := newScanner()
	if rs, ok := msg.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			if _, err := io.Copy(s, rs); err != nil {
				return messageInfo{}, nil, fmt.Errorf("smtpclient: reading the message: %w", err)
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				return messageInfo{}, nil, fmt.Errorf("smtpclient: rewinding the message: %w", err)
			}
			return s.info, rs, nil
		}
	}
	var buf bytes.Buffer
	if _, err := io.Copy(io.MultiWriter(&buf, s), msg); err != nil {
		return messageInfo{}, nil, fmt.Errorf("smtpclient: reading the message: %w", err)
	}
	return s.info, &buf, nil
}

// check refuses a message SMTP would damage.
func (m messageInfo) check() error {
	if m.size == 0 {
		return detailf(ErrBadMessage, "the message is empty")
	}
	if m.nulLine != 0 {
		return detailf(ErrBadMessage, "line %d of the message holds a NUL byte, which SMTP cannot carry; encode that part as base64", m.nulLine)
	}
	if m.longLine != 0 {
		return detailf(ErrBadMessage, "line %d of the message is %d octets long but SMTP allows %d; encode that part as quoted-printable or base64", m.longLine, m.longLen, maxLineOctets)
	}
	return nil
}

// humanSize writes a size for people: "12.3 MB", "800 KB", "512 bytes".
func humanSize(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	}
	return fmt.Sprintf("%d bytes", n)
}
