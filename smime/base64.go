package smime

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
)

// lineBytes is how many octets one 76-character base64 line carries.
const lineBytes = 57

// base64Writer encodes what is written to it as base64 in lines of 76
// characters ending in CRLF — byte for byte what base64Lines returns for
// the same data — and writes the text to w in batches of about 64 KiB, so
// that a large DER is never held as text.
type base64Writer struct {
	w       io.Writer
	pending []byte // fewer than lineBytes octets not yet encoded
	out     []byte // the batch of text being filled
	err     error
}

// base64Batch is the number of lines per batch written to w.
const base64Batch = 1024

// newBase64Writer returns a writer that encodes to w. Text put in out
// before the first Write (a MIME header) goes out with the first batch.
func newBase64Writer(w io.Writer) *base64Writer {
	return &base64Writer{w: w, pending: make([]byte, 0, lineBytes)}
}

// Write encodes b; whole lines go out when a batch is full.
func (bw *base64Writer) Write(b []byte) (int, error) {
	if bw.err != nil {
		return 0, bw.err
	}
	n := len(b)
	if len(bw.pending) > 0 {
		k := copy(bw.pending[len(bw.pending):lineBytes], b)
		bw.pending = bw.pending[:len(bw.pending)+k]
		b = b[k:]
		if len(bw.pending) < lineBytes {
			return n, nil
		}
		if err := bw.line(bw.pending); err != nil {
			return 0, err
		}
		bw.pending = bw.pending[:0]
	}
	for len(b) >= lineBytes {
		if err := bw.line(b[:lineBytes]); err != nil {
			return 0, err
		}
		b = b[lineBytes:]
	}
	bw.pending = append(bw.pending, b...)
	return n, nil
}

// line encodes one line into the batch, flushing a full batch.
func (bw *base64Writer) line(b []byte) error {
	i := len(bw.out)
	k := base64.StdEncoding.EncodedLen(len(b))
	if cap(bw.out)-i < k+2 {
		bw.out = append(make([]byte, 0, i+base64Batch*78), bw.out...)
	}
	bw.out = bw.out[:i+k+2]
	base64.StdEncoding.Encode(bw.out[i:], b)
	bw.out[i+k], bw.out[i+k+1] = '\r', '\n'
	if len(bw.out) >= base64Batch*78 {
		return bw.flush()
	}
	return nil
}

func (bw *base64Writer) flush() error {
	if len(bw.out) == 0 {
		return nil
	}
	if _, err := bw.w.Write(bw.out); err != nil {
		bw.err = fmt.Errorf("smime: writing the message: %w", err)
		return bw.err
	}
	bw.out = bw.out[:0]
	return nil
}

// Close encodes the last, shorter line and writes what is left. It does
// not close w.
func (bw *base64Writer) Close() error {
	if bw.err != nil {
		return bw.err
	}
	if len(bw.pending) > 0 {
		if err := bw.line(bw.pending); err != nil {
			return err
		}
		bw.pending = bw.pending[:0]
	}
	return bw.flush()
}

// decodeBase64InPlace decodes text as decodeBase64 does — the same octets,
// and an error for the same input — but into text itself, which it
// overwrites, and returns the prefix of text that holds the result. The
// decoded octets never overtake the text still to be read (four
// characters give at most three octets), so no second buffer is needed.
func decodeBase64InPlace(text []byte) ([]byte, error) {
	n := dropLineBreaks(text)
	w, r := 0, 0 // write and read offsets in text
	var tmp [3 * 1024]byte
	// Fast path: whole groups of 4,096 characters without padding, which
	// the standard decoder accepts as they are.
	for r < n {
		c := text[r:min(r+4096, n)]
		if bytes.IndexByte(c, '=') >= 0 {
			break
		}
		k, err := base64.StdEncoding.Decode(tmp[:], c)
		if err != nil {
			break
		}
		w += copy(text[w:], tmp[:k])
		r += len(c)
	}
	if r == n {
		return text[:w], nil
	}
	// The rest as decodeBase64's tolerant path: only the alphabet counts,
	// nothing after the first padding group, missing padding supplied.
	// Everything before r was alphabet only, in whole groups of four, so
	// the groups line up as they would in one pass.
	m := r
	for _, c := range text[r:n] {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			text[m] = c
			m++
		}
	}
	clean := text[r:m]
	if i := bytes.IndexByte(clean, '='); i >= 0 {
		end := i
		for end < len(clean) && clean[end] == '=' {
			end++
		}
		clean = clean[:end]
	}
	full := len(clean) &^ 3
	var last [4]byte
	if rem := len(clean) - full; rem != 0 {
		// QUIRK: tolerate missing padding.
		copy(last[:], clean[full:])
		for i := rem; i < 4; i++ {
			last[i] = '='
		}
	}
	for off := 0; off < full; off += 4096 {
		k, err := base64.StdEncoding.Decode(tmp[:], clean[off:min(off+4096, full)])
		w += copy(text[w:], tmp[:k])
		if err != nil {
			return text[:w], err
		}
	}
	if full < len(clean) {
		k, err := base64.StdEncoding.Decode(tmp[:], last[:])
		w += copy(text[w:], tmp[:k])
		if err != nil {
			return text[:w], err
		}
	}
	return text[:w], nil
}

// dropLineBreaks moves text's characters down over its CR and LF octets
// and returns how many remain.
func dropLineBreaks(text []byte) int {
	n := 0
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '\n')
		end := len(text)
		if j >= 0 {
			end = i + j
		}
		line := text[i:end]
		if bytes.IndexByte(line, '\r') < 0 {
			n += copy(text[n:], line)
		} else {
			for _, c := range line {
				if c != '\r' {
					text[n] = c
					n++
				}
			}
		}
		i = end + 1
	}
	return n
}
