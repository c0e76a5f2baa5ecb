package envelope

import (
	"crypto/cipher"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
)

// cbcChunk is how much plaintext the writer encrypts per Write to the
// underlying writer: large enough that the calls cost nothing, small
// enough to stay in the CPU's cache.
const cbcChunk = 64 << 10

// errWriterClosed is returned by Write and Close after Close.
var errWriterClosed = errors.New("envelope: the encrypting writer is already closed")

// encryptWriter is the io.WriteCloser NewEncryptWriter returns.
type encryptWriter struct {
	w    io.Writer
	p    *plan
	left int // content bytes still expected

	// CBC: the block mode keeps the chaining value between calls; buf
	// holds len(pending) bytes not yet a whole block.
	mode cipher.BlockMode
	buf  []byte
	// GCM: crypto/cipher seals in one call, so the content is gathered
	// here (with room for the tag) and sealed by Close.
	gcm []byte

	err error // sticky: the first error, or errWriterClosed
}

// NewEncryptWriter starts an EnvelopedData (CBC) or AuthEnvelopedData
// (GCM) on w for exactly size bytes of content, which the caller then
// writes; Close ends the DER. The bytes written to w are those Encrypt
// would return for the same content (same structure, fresh key and IV).
//
// DER states every length up front, so size must be known; a Write beyond
// it, or a Close before it, is an error and the DER on w is then
// incomplete. Recipients and options are checked, and the header written,
// before NewEncryptWriter returns. With a CBC cipher the writer holds
// 64 KiB whatever the size; with GCM it holds the whole content until
// Close, because Go's AEAD interface seals in one call.
func NewEncryptWriter(w io.Writer, size int, recipients []*x509.Certificate, opts Options) (io.WriteCloser, error) {
	p, err := newPlan(size, recipients, opts)
	if err != nil {
		return nil, err
	}
	ew := &encryptWriter{w: w, p: p, left: size}
	if p.spec.gcm {
		ew.gcm = make([]byte, 0, size+gcmTagSize)
	} else {
		block, err := p.spec.newBlock(p.key)
		if err != nil {
			return nil, err
		}
		ew.mode = cipher.NewCBCEncrypter(block, p.params.iv)
		ew.buf = make([]byte, 0, min(cbcChunk, size+16))
	}
	if _, err := w.Write(p.header); err != nil {
		return nil, fmt.Errorf("envelope: writing the encrypted message: %w", err)
	}
	return ew, nil
}

// EncryptTo writes to w the DER that Encrypt returns for content, without
// holding it in memory (see NewEncryptWriter).
func EncryptTo(w io.Writer, content []byte, recipients []*x509.Certificate, opts Options) error {
	ew, err := NewEncryptWriter(w, len(content), recipients, opts)
	if err != nil {
		return err
	}
	if _, err := ew.Write(content); err != nil {
		return err
	}
	return ew.Close()
}

// Write encrypts content. It writes whole 64 KiB chunks of ciphertext to
// the underlying writer as they fill up.
func (ew *encryptWriter) Write(b []byte) (int, error) {
	if ew.err != nil {
		return 0, ew.err
	}
	if len(b) > ew.left {
		ew.err = fmt.Errorf("envelope: %d bytes of content written, %d announced", ew.p.size-ew.left+len(b), ew.p.size)
		return 0, ew.err
	}
	ew.left -= len(b)
	if ew.mode == nil {
		ew.gcm = append(ew.gcm, b...)
		return len(b), nil
	}
	n := len(b)
	for len(b) > 0 {
		k := copy(ew.buf[len(ew.buf):cap(ew.buf)], b)
		ew.buf = ew.buf[:len(ew.buf)+k]
		b = b[k:]
		if len(ew.buf) == cap(ew.buf) {
			if err := ew.flush(len(ew.buf) &^ 15); err != nil {
				return n - len(b), err
			}
		}
	}
	return n, nil
}

// flush encrypts and writes the first n bytes of buf (a multiple of the
// block size) and keeps the rest.
func (ew *encryptWriter) flush(n int) error {
	ew.mode.CryptBlocks(ew.buf[:n], ew.buf[:n])
	if _, err := ew.w.Write(ew.buf[:n]); err != nil {
		ew.err = fmt.Errorf("envelope: writing the encrypted message: %w", err)
		return ew.err
	}
	ew.buf = ew.buf[:copy(ew.buf, ew.buf[n:])]
	return nil
}

// Close pads and encrypts the last block (CBC) or seals the content and
// writes the authentication tag (GCM). It does not close the underlying
// writer.
func (ew *encryptWriter) Close() error {
	if ew.err != nil {
		return ew.err
	}
	if ew.left != 0 {
		ew.err = fmt.Errorf("envelope: the content ended after %d of the %d bytes announced", ew.p.size-ew.left, ew.p.size)
		return ew.err
	}
	if ew.mode != nil {
		ew.buf = appendCBCPadding(ew.buf, ew.p.size)
		if err := ew.flush(len(ew.buf)); err != nil {
			return err
		}
	} else {
		aead, err := ew.p.spec.newGCM(ew.p.key, ew.p.params)
		if err != nil {
			ew.err = err
			return err
		}
		sealed := aead.Seal(ew.gcm[:0], ew.p.params.iv, ew.gcm, nil)
		ct, tag := sealed[:ew.p.size], sealed[ew.p.size:]
		mac := append([]byte{tagOctetString, byte(len(tag))}, tag...)
		for _, b := range [][]byte{ct, mac} {
			if _, err := ew.w.Write(b); err != nil {
				ew.err = fmt.Errorf("envelope: writing the encrypted message: %w", err)
				return ew.err
			}
		}
		ew.gcm = nil
	}
	ew.err = errWriterClosed
	return nil
}
