package smtpclient

import (
	"bytes"
	"strings"
)

// Reply is one complete server reply: its code and the text of its lines
// (without the code, the separator or CRLF).
type Reply struct {
	Code  int
	Lines []string
}

// String returns the reply on one line, as "220 text / text".
func (r Reply) String() string {
	if len(r.Lines) == 0 {
		return itoa3(r.Code)
	}
	return itoa3(r.Code) + " " + strings.Join(r.Lines, " / ")
}

// Limits of replyLog, so that a hostile server cannot make it grow.
const (
	maxReplyLine    = 2000 // RFC 5321 allows 512; go-smtp allows 2000
	maxReplyLines   = 100
	maxReplies      = 8
	maxPartialBytes = maxReplyLine + 2
)

// replyLog collects the complete replies in a byte stream read from the
// server. The stream may also carry the client's own commands (go-smtp's
// DebugWriter sees both directions): lines that are not reply lines are
// skipped. It keeps the first reply (the greeting) and the last few.
type replyLog struct {
	partial []byte
	skip    bool   // the current line is too long; drop it
	cur     *Reply // the multi-line reply being read
	first   *Reply
	recent  []Reply
}

// Write consumes bytes; it never fails.
func (l *replyLog) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.add(p)
			break
		}
		l.add(p[:i])
		l.endLine()
		p = p[i+1:]
	}
	return n, nil
}

func (l *replyLog) add(b []byte) {
	if l.skip {
		return
	}
	if len(l.partial)+len(b) > maxPartialBytes {
		l.partial, l.skip = l.partial[:0], true
		return
	}
	l.partial = append(l.partial, b...)
}

func (l *replyLog) endLine() {
	line := strings.TrimSuffix(string(l.partial), "\r")
	skipped := l.skip
	l.partial, l.skip = l.partial[:0], false
	if skipped {
		return
	}
	code, more, text, ok := parseReplyLine(line)
	if !ok {
		return
	}
	if l.cur == nil || l.cur.Code != code {
		l.cur = &Reply{Code: code}
	}
	if len(l.cur.Lines) < maxReplyLines {
		l.cur.Lines = append(l.cur.Lines, text)
	}
	if more {
		return
	}
	r := *l.cur
	l.cur = nil
	if l.first == nil {
		l.first = &r
	}
	l.recent = append(l.recent, r)
	if len(l.recent) > maxReplies {
		l.recent = append(l.recent[:0], l.recent[len(l.recent)-maxReplies:]...)
	}
}

// First returns the first complete reply (the greeting).
func (l *replyLog) First() (Reply, bool) {
	if l.first == nil {
		return Reply{}, false
	}
	return *l.first, true
}

// Last returns the latest complete reply.
func (l *replyLog) Last() (Reply, bool) {
	if len(l.recent) == 0 {
		return Reply{}, false
	}
	return l.recent[len(l.recent)-1], true
}

// All returns the replies kept, oldest first.
func (l *replyLog) All() []Reply { return append([]Reply(nil), l.recent...) }

// parseReplyLine reads one reply line (RFC 5321 §4.2): three digits, the
// first 2 to 5 and the second 0 to 5, then '-' (more lines follow), ' ' or
// the end of the line, then text. Lines that do not fit, such as the
// client's commands or base64 AUTH data, return ok=false.
func parseReplyLine(line string) (code int, more bool, text string, ok bool) {
	if len(line) < 3 || len(line) > maxReplyLine {
		return 0, false, "", false
	}
	d0, d1, d2 := line[0], line[1], line[2]
	if d0 < '2' || d0 > '5' || d1 < '0' || d1 > '5' || d2 < '0' || d2 > '9' {
		return 0, false, "", false
	}
	code = int(d0-'0')*100 + int(d1-'0')*10 + int(d2-'0')
	if len(line) == 3 {
		return code, false, "", true
	}
	switch line[3] {
	case '-':
		more = true
	case ' ':
	default:
		return 0, false, "", false
	}
	text = line[4:]
	for i := 0; i < len(text); i++ {
		if text[i] == '\r' || text[i] == 0 {
			return 0, false, "", false
		}
	}
	return code, more, text, true
}

// capabilities turns an EHLO reply into its extension lines (the first
// line is the server's name and greeting, not an extension).
func capabilities(r Reply) []string {
	if r.Code != 250 || len(r.Lines) < 2 {
		return nil
	}
	return append([]string(nil), r.Lines[1:]...)
}

func itoa3(n int) string {
	if n < 0 || n > 999 {
		return "???"
	}
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}
