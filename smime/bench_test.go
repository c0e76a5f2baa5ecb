package smime

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"securemail/smime/envelope"
	"securemail/testnet/testca"
)

// benchMessage is a message of about size bytes: a short text and a
// base64 attachment, as a clerk sends a card file.
func benchMessage(b testing.TB, from string, size int) []byte {
	b.Helper()
	raw := make([]byte, size*3/4)
	if _, err := rand.Read(raw); err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.Grow(size + 1024)
	sb.WriteString("From: " + from + "\r\nTo: Jan.Novak@tcn.cz.eu-admin.net\r\nSubject: bench\r\nMIME-Version: 1.0\r\n")
	sb.WriteString("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe file.\r\n")
	sb.WriteString("--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(raw)
	for len(enc) > 76 {
		sb.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	sb.WriteString(enc + "\r\n--b--\r\n")
	return []byte(sb.String())
}

// BenchmarkSignEncrypt signs (detached, SHA-256, RSA-2048) then encrypts
// (AES-256-CBC) a message, as Send does with both toggles on.
func BenchmarkSignEncrypt(b *testing.B) {
	w := newWorld(b)
	p := w.issue(b, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	for _, mb := range []int{1, 25} {
		msg := benchMessage(b, p.email, mb<<20)
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				signed, err := SignMessage(msg, p.id, SignOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := EncryptMessage(signed, []*x509.Certificate{p.id.Certificate}, EncryptOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSignEncryptTo is BenchmarkSignEncrypt the way the command line
// does it: SignMessageTo into a reused buffer, EncryptMessageTo straight
// to the output (here io.Discard). B/op is what the streaming path
// allocates besides the message.
func BenchmarkSignEncryptTo(b *testing.B) {
	w := newWorld(b)
	p := w.issue(b, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	for _, mb := range []int{1, 25} {
		msg := benchMessage(b, p.email, mb<<20)
		var signed bytes.Buffer
		signed.Grow(len(msg) + 8192)
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				signed.Reset()
				if err := SignMessageTo(&signed, msg, p.id, SignOptions{}); err != nil {
					b.Fatal(err)
				}
				if err := EncryptMessageTo(io.Discard, signed.Bytes(), []*x509.Certificate{p.id.Certificate}, EncryptOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen decrypts and verifies what BenchmarkSignEncrypt makes.
func BenchmarkOpen(b *testing.B) {
	w := newWorld(b)
	p := w.issue(b, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	opts := OpenOptions{Keys: []envelope.Key{p.key()}, Roots: []*x509.Certificate{w.ca.Root}}
	for _, mb := range []int{1, 25} {
		msg := benchMessage(b, p.email, mb<<20)
		signed, err := SignMessage(msg, p.id, SignOptions{})
		if err != nil {
			b.Fatal(err)
		}
		enc, err := EncryptMessage(signed, []*x509.Certificate{p.id.Certificate}, EncryptOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := Open(enc, opts)
				if err != nil || r.Signature != StatusValid {
					b.Fatalf("open: %v %q", err, r.Signature)
				}
			}
		})
		// OpenInPlace, as the command line opens what it read; the copy
		// back into the buffer each round is part of the figure.
		buf := make([]byte, len(enc))
		b.Run(fmt.Sprintf("InPlace/%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			for b.Loop() {
				copy(buf, enc)
				r, err := OpenInPlace(context.Background(), buf, opts)
				if err != nil || r.Signature != StatusValid {
					b.Fatalf("open: %v %q", err, r.Signature)
				}
			}
		})
	}
}
