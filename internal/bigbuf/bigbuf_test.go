package bigbuf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

// pattern is n bytes that differ from piece to piece, so that a piece
// copied to the wrong place shows.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/Piece)
	}
	return b
}

// chunkReader returns at most k bytes per Read, as a pipe or a network
// connection does.
type chunkReader struct {
	r io.Reader
	k int
}

func (o chunkReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), o.k)]) }

func TestReadAllReturnsExactlyTheInput(t *testing.T) {
	for _, n := range []int{0, 1, Piece/2 - 1, Piece/2 + 1, Piece - 1, Piece, Piece + 1, 3*Piece + 5} {
		in := pattern(n)
		for _, k := range []int{n + 1, 65536, 4093} {
			got, err := ReadAll(context.Background(), chunkReader{bytes.NewReader(in), max(k, 1)}, 0)
			if err != nil || !bytes.Equal(got, in) {
				t.Fatalf("%d bytes read %d at a time: got %d bytes, %v", n, k, len(got), err)
			}
			if len(got) < Piece/2 && cap(got) >= Piece {
				t.Errorf("%d bytes: a small input keeps a whole piece (%d bytes of capacity)", n, cap(got))
			}
		}
	}
}

func TestReadAllLimit(t *testing.T) {
	in := pattern(2*Piece + 10)
	if _, err := ReadAll(context.Background(), bytes.NewReader(in), int64(len(in))-1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over the limit: %v, want ErrTooLarge", err)
	}
	if got, err := ReadAll(context.Background(), bytes.NewReader(in), int64(len(in))); err != nil || len(got) != len(in) {
		t.Errorf("exactly the limit: %d bytes, %v", len(got), err)
	}
}

// cancelAfter cancels its context once n bytes were read through it.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

func TestReadAllStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelAfter{r: bytes.NewReader(pattern(10 * Piece)), n: 2 * Piece, cancel: cancel}
	got, err := ReadAll(ctx, r, 0)
	if !errors.Is(err, context.Canceled) || got != nil {
		t.Fatalf("cancelled after 2 MiB of 10: %d bytes, %v; want context.Canceled", len(got), err)
	}
	if r.n < -Piece {
		t.Errorf("read %d bytes past the cancellation, want at most one piece", -r.n)
	}
}

func TestWriteAndStringKeepEveryByte(t *testing.T) {
	in := pattern(3*Piece + 17)
	h := sha256.New()
	if n, err := Write(h, in); n != len(in) || err != nil {
		t.Fatalf("Write: %d, %v", n, err)
	}
	if want := sha256.Sum256(in); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("the hash written in pieces differs from the hash of the whole")
	}
	if String(in) != string(in) {
		t.Error("String differs from string(b)")
	}
	if String(nil) != "" {
		t.Error("String(nil) is not empty")
	}
}
