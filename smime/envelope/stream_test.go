package envelope

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"strings"
	"testing"

	"securemail/smime/cms"
	"securemail/testnet/testca"
)

// TestEncryptWriterWritesWhatEncryptReturns: for every cipher and sizes
// around the block and chunk boundaries, written in uneven pieces, the
// streamed DER has Encrypt's length and layout (everything but the random
// key, IV and ciphertext) and opens to the same content, in place too.
func TestEncryptWriterWritesWhatEncryptReturns(t *testing.T) {
	f := newFixture(t)
	id := f.ids[testca.RSA2048]
	certs := []*x509.Certificate{id.key.Certificate}
	for _, c := range []Cipher{AES256CBC, AES128CBC, AES256GCM, AES128GCM} {
		for _, size := range []int{0, 1, 15, 16, 17, cbcChunk - 1, cbcChunk, cbcChunk + 1, 3*cbcChunk + 5} {
			content := make([]byte, size)
			if _, err := rand.Read(content); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			ew, err := NewEncryptWriter(&out, size, certs, Options{Cipher: c})
			if err != nil {
				t.Fatalf("%s %d: %v", c, size, err)
			}
			for rest, step := content, 1; len(rest) > 0; step = step*3 + 1 {
				k := min(step, len(rest))
				if n, err := ew.Write(rest[:k]); err != nil || n != k {
					t.Fatalf("%s %d: Write = %d, %v", c, size, n, err)
				}
				rest = rest[k:]
			}
			if err := ew.Close(); err != nil {
				t.Fatalf("%s %d: Close: %v", c, size, err)
			}
			streamed := out.Bytes()
			whole, err := Encrypt(content, certs, Options{Cipher: c})
			if err != nil {
				t.Fatal(err)
			}
			if len(streamed) != len(whole) {
				t.Fatalf("%s %d: streamed %d bytes, Encrypt %d", c, size, len(streamed), len(whole))
			}
			if der, err := cms.ToDER(streamed); err != nil || !bytes.Equal(der, streamed) {
				t.Fatalf("%s %d: streamed output is not DER: %v", c, size, err)
			}
			ps, err := parse(streamed)
			if err != nil {
				t.Fatalf("%s %d: %v", c, size, err)
			}
			pw, _ := parse(whole)
			if ps.authenticated != pw.authenticated || ps.contentLen != pw.contentLen || len(ps.chunks) != 1 ||
				len(ps.mac) != len(pw.mac) || len(ps.contentAlg) != len(pw.contentAlg) {
				t.Fatalf("%s %d: streamed layout differs from Encrypt's", c, size)
			}
			res, err := Decrypt(streamed, []Key{id.key})
			if err != nil || !bytes.Equal(res.Content, content) || res.Cipher != c {
				t.Fatalf("%s %d: Decrypt: %v", c, size, err)
			}
			res, err = DecryptInPlace(streamed, []Key{id.key})
			if err != nil || !bytes.Equal(res.Content, content) {
				t.Fatalf("%s %d: DecryptInPlace: %v", c, size, err)
			}
		}
	}
}

// TestEncryptWriterSizeMismatch: more or fewer bytes than announced are
// errors, never a DER with a wrong length.
func TestEncryptWriterSizeMismatch(t *testing.T) {
	f := newFixture(t)
	certs := []*x509.Certificate{f.ids[testca.P256].key.Certificate}
	for _, c := range []Cipher{AES256CBC, AES256GCM} {
		ew, err := NewEncryptWriter(&bytes.Buffer{}, 10, certs, Options{Cipher: c})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ew.Write(make([]byte, 11)); err == nil || !strings.Contains(err.Error(), "announced") {
			t.Fatalf("%s: writing 11 of 10 bytes: %v", c, err)
		}
		ew, _ = NewEncryptWriter(&bytes.Buffer{}, 10, certs, Options{Cipher: c})
		if _, err := ew.Write(make([]byte, 9)); err != nil {
			t.Fatal(err)
		}
		if err := ew.Close(); err == nil || !strings.Contains(err.Error(), "9 of the 10") {
			t.Fatalf("%s: closing after 9 of 10 bytes: %v", c, err)
		}
		if _, err := ew.Write([]byte{1}); err == nil {
			t.Fatalf("%s: Write after a failed Close succeeded", c)
		}
	}
	if _, err := NewEncryptWriter(&bytes.Buffer{}, 1, nil, Options{}); err == nil {
		t.Fatal("no recipients: no error")
	}
}

// TestDecryptInPlaceAliasesInput: with CBC the content is opened inside
// the caller's buffer, without a content-sized allocation.
func TestDecryptInPlaceAliasesInput(t *testing.T) {
	f := newFixture(t)
	id := f.ids[testca.RSA2048]
	msg := testMessage()
	der, err := Encrypt(msg, []*x509.Certificate{id.key.Certificate}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := DecryptInPlace(der, []Key{id.key})
	if err != nil || !bytes.Equal(res.Content, msg) {
		t.Fatalf("DecryptInPlace: %v", err)
	}
	if start := &res.Content[0]; !inside(start, der) {
		t.Fatal("DecryptInPlace returned a copy, not a part of its input")
	}
}

// inside reports whether p points into b.
func inside(p *byte, b []byte) bool {
	for i := range b {
		if &b[i] == p {
			return true
		}
	}
	return false
}
