package smime

import (
	"bytes"
	"errors"
	"fmt"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
)

// Bounds on what Open reads (docs/SECURITY.md §4). Each is far above what
// real mail has and keeps the work for any message linear in its size:
// every part, header and certificate beyond them would cost memory and time
// that no reader needs.
const (
	// maxParts bounds the MIME parts Open reads in a message, all levels
	// together. Mail with hundreds of attachments exists; ten thousand
	// parts do not.
	maxParts = 10_000
	// maxHeaderBytes bounds one header block (Postfix's header_size_limit
	// is 100 KB; Dovecot refuses far less than a megabyte).
	maxHeaderBytes = 1 << 20
	// maxHeaderLines bounds the lines of one header block (a field and
	// its folded continuations; a message relayed 50 times has about 100).
	maxHeaderLines = 10_000
)

// ErrTooComplex is what every *LimitError matches with errors.Is.
var ErrTooComplex = errors.New("smime: the message is too complex to be opened safely")

// LimitError says which bound a message exceeds. Its Sentence is what the
// report and the window show.
type LimitError struct {
	What  string // what was counted, plural: "MIME parts"
	Limit int
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("smime: the message has more than %d %s", e.Limit, e.What)
}

// Unwrap lets errors.Is(err, ErrTooComplex) hold.
func (e *LimitError) Unwrap() error { return ErrTooComplex }

// Sentence is the report's sentence for the limit, in English.
func (e *LimitError) Sentence() string { return e.Phrase().String() }

// Phrase is Sentence as a phrase, for the window to say in its language.
func (e *LimitError) Phrase() phrase.Phrase {
	var what any = e.What
	switch e.What {
	case whatParts:
		what = phrase.New("open.limit.parts", "MIME parts", nil)
	case whatNesting:
		what = phrase.New("open.limit.nesting", "levels of MIME nesting", nil)
	case whatHeaderBytes:
		what = phrase.New("open.limit.headerbytes", "bytes of header fields", nil)
	case whatHeaderLines:
		what = phrase.New("open.limit.headerlines", "header lines", nil)
	}
	return phrase.New("open.error.limit", "This message has more than {{.Limit}} {{.What}}, far more than any real message; SecureMail stopped reading it so that no message can make it hang. Ask the sender to send it again in a simpler form.",
		phrase.Args{"Limit": phrase.Number(e.Limit), "What": what})
}

// What a LimitError counts.
const (
	whatParts       = "MIME parts"
	whatNesting     = "levels of MIME nesting"
	whatHeaderBytes = "bytes of header fields"
	whatHeaderLines = "header lines"
)

// checkHeader refuses an entity whose header block exceeds maxHeaderBytes
// or maxHeaderLines, before it is cut into fields. It looks at most at
// maxHeaderBytes+4 bytes. An entity that does not start with a field has no
// header (parseEntity's rule) and passes.
func checkHeader(raw []byte) error {
	if !mailheader.StartsWithField(raw) {
		return nil
	}
	window := raw[:min(len(raw), maxHeaderBytes+4)]
	end := bytes.Index(window, []byte("\r\n\r\n"))
	switch {
	case end < 0 && len(raw) > maxHeaderBytes:
		return &LimitError{What: whatHeaderBytes, Limit: maxHeaderBytes}
	case end < 0:
		end = len(raw)
	case end > maxHeaderBytes:
		return &LimitError{What: whatHeaderBytes, Limit: maxHeaderBytes}
	}
	if bytes.Count(window[:end], []byte("\n")) >= maxHeaderLines {
		return &LimitError{What: whatHeaderLines, Limit: maxHeaderLines}
	}
	return nil
}
