// Package bigbuf reads, copies and hashes message-sized buffers (up to
// hundreds of megabytes) in pieces, so that no single step keeps the CPU
// long enough to hold up the rest of the program.
//
// Why: the Go runtime can stop a goroutine for the garbage collector only
// between steps of Go code, never inside the assembly that moves, clears or
// hashes memory. One copy or clear of 100 MB into fresh pages, or one
// SHA-256 call over it, takes a quarter to over one second on a loaded
// two-core machine; meanwhile the collector's worker waits for that
// goroutine on the other processor, and every other goroutine — the one
// that reacts to SIGTERM or Ctrl-C, the window's — waits with it. A trace
// of `securemail smime open` (go tool trace) showed exactly that: io.ReadAll
// clearing and copying its growing buffers made the exit come 0.6–1.7 s
// after SIGTERM. Pieces of [Piece] bytes take a millisecond or two each.
package bigbuf

import (
	"context"
	"errors"
	"io"
	"strings"
)

// Piece is the size of one step: 1 MiB.
const Piece = 1 << 20

// ErrTooLarge is returned by [ReadAll] when r holds more than its limit.
var ErrTooLarge = errors.New("bigbuf: input larger than the limit")

// ReadAll reads r to its end in pieces and returns one buffer of exactly
// the bytes read. It stops with ctx's error when ctx is done between
// pieces, and with [ErrTooLarge] once more than limit bytes were read
// (limit ≤ 0: no limit). A Read that blocks is not interrupted: close r or
// its connection for that.
//
// The bytes are copied once, piece by piece, into the final buffer, whose
// memory the runtime clears in preemptible steps; io.ReadAll instead
// clears and copies ever larger buffers in single steps.
func ReadAll(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	var pieces [][]byte
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := make([]byte, Piece)
		n, err := io.ReadFull(r, p)
		total += int64(n)
		if limit > 0 && total > limit {
			return nil, ErrTooLarge
		}
		if n > 0 {
			pieces = append(pieces, p[:n])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(pieces) == 1 && len(pieces[0]) < Piece/2 {
		return append([]byte(nil), pieces[0]...), nil // a small message keeps no spare MiB
	}
	out := make([]byte, 0, total)
	for i, p := range pieces {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, p...)
		pieces[i] = nil // collectable as soon as copied
	}
	return out, nil
}

// Write writes b to w in pieces of at most [Piece] bytes; for a hash,
// whose Write is one assembly call over the whole slice. It stops at the
// first error.
func Write(w io.Writer, b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		k, err := w.Write(b[:min(len(b), Piece)])
		n += k
		if err != nil {
			return n, err
		}
		b = b[k:]
	}
	return n, nil
}

// String returns b as a string, copied in pieces of at most [Piece] bytes.
func String(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for len(b) > 0 {
		k := min(len(b), Piece)
		sb.Write(b[:k])
		b = b[k:]
	}
	return sb.String()
}
