package smime

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"securemail/internal/bigbuf"
)

func TestSplitMultipartKeepsExactBytes(t *testing.T) {
	body := "preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nline one\r\n\r\n--b  \r\n\r\nsecond\r\n--b--\r\nepilogue\r\n"
	parts, closed, err := splitMultipart([]byte(body), "b")
	if err != nil || !closed {
		t.Fatalf("split: closed=%v err=%v", closed, err)
	}
	want := []string{"Content-Type: text/plain\r\n\r\nline one\r\n", "\r\nsecond"}
	if len(parts) != len(want) {
		t.Fatalf("got %d parts, want %d", len(parts), len(want))
	}
	for i := range want {
		if string(parts[i]) != want[i] {
			t.Errorf("part %d = %q, want %q (the CRLF before a delimiter belongs to the delimiter)", i, parts[i], want[i])
		}
	}
}

func TestSplitMultipartIgnoresLongerBoundaryAndEmptyParts(t *testing.T) {
	body := "--b\r\n--bb is not a delimiter\r\n--b\r\n--b--"
	parts, closed, err := splitMultipart([]byte(body), "b")
	if err != nil || !closed {
		t.Fatalf("split: closed=%v err=%v", closed, err)
	}
	if len(parts) != 2 || string(parts[0]) != "--bb is not a delimiter" || string(parts[1]) != "" {
		t.Fatalf("parts = %q", parts)
	}
	if _, _, err := splitMultipart([]byte("no delimiter here"), "b"); err == nil {
		t.Fatal("a body without delimiters was accepted")
	}
	parts, closed, _ = splitMultipart([]byte("--b\r\nunterminated"), "b")
	if closed || len(parts) != 1 || string(parts[0]) != "unterminated" {
		t.Fatalf("unterminated: closed=%v parts=%q", closed, parts)
	}
}

func TestToCRLF(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\r\nc\rd\n": "a\r\nb\r\nc\rd\r\n", // a bare CR is not a line end
		"\n\r\n":         "\r\n\r\n",
		"already\r\n":    "already\r\n",
		"":               "",
	} {
		if got := string(toCRLF([]byte(in))); got != want {
			t.Errorf("toCRLF(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestToCRLFAcrossPieces: toCRLFContext works a piece of bigbuf.Piece bytes
// at a time; a line end on either side of a piece boundary is judged with
// the byte before it, and a done context stops it.
func TestToCRLFAcrossPieces(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		at   string // written at bigbuf.Piece-1
		bare bool
	}{
		{"CRLF split by the boundary", "\r\n", false},
		{"bare LF first in a piece", "x\n", true},
		{"bare LF last in a piece", "\nx", true},
	} {
		b := bytes.Repeat([]byte("a"), 2*bigbuf.Piece+10)
		copy(b[bigbuf.Piece-1:], c.at)
		got, err := toCRLFContext(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if changed := !bytes.Equal(got, b); changed != c.bare {
			t.Errorf("%s: changed %v, want %v", c.name, changed, c.bare)
		}
		if bytes.Count(got, []byte("\n")) != 1 || bytes.Count(got, []byte("\r\n")) != 1 {
			t.Errorf("%s: a bare LF is left", c.name)
		}
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := toCRLFContext(done, bytes.Repeat([]byte("a\n"), bigbuf.Piece)); !errors.Is(err, context.Canceled) {
		t.Errorf("a done context: %v, want context.Canceled", err)
	}
}

func TestParseEntityFoldedHeaders(t *testing.T) {
	e := parseEntity([]byte("Content-Type: application/pkcs7-mime; name=smime.p7m;\r\n    smime-type=enveloped-data\r\nX-Other: 1\r\n\r\nbody"))
	mt, p := e.mediaType()
	if mt != "application/pkcs7-mime" || p["smime-type"] != "enveloped-data" || p["name"] != "smime.p7m" {
		t.Fatalf("media type %q %v", mt, p)
	}
	if string(e.body) != "body" || e.get("x-other") != "1" {
		t.Fatalf("body %q, X-Other %q", e.body, e.get("x-other"))
	}
	if mt, _ := parseEntity([]byte("Subject: none\r\n\r\nx")).mediaType(); mt != "text/plain" {
		t.Fatalf("default media type %q, want text/plain", mt)
	}
}

func TestCanonicalEntityMakes7Bit(t *testing.T) {
	in := "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße \r\nFrom here\r\n" +
		"--x\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\xff\r\n--x--\r\n"
	out, err := canonicalEntity([]byte(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range out {
		if c >= 0x80 || c == 0 {
			t.Fatalf("byte %d of the canonical form is %#x, not 7-bit: %q", i, c, out)
		}
	}
	s := string(out)
	for _, want := range []string{"Content-Transfer-Encoding: quoted-printable", "Gr=C3=BC=C3=9Fe=20\r\n=46rom here", "Content-Transfer-Encoding: base64\r\n\r\nAAH/\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("canonical form lacks %q:\n%s", want, s)
		}
	}
	// Decoding gives back the original text.
	parts, _, _ := splitMultipart(parseEntity(out).body, "x")
	text, _ := decodeBody(parseEntity(parts[0]).body, "quoted-printable")
	if string(text) != "Grüße \r\nFrom here" { // the last CRLF belongs to the delimiter
		t.Errorf("quoted-printable round trip gave %q", text)
	}
	// A 7-bit entity is left alone, byte for byte.
	plain := []byte("Content-Type: text/plain\r\n\r\nhello\r\n")
	if got, _ := canonicalEntity(plain, 0); !bytes.Equal(got, plain) {
		t.Errorf("7-bit entity changed: %q", got)
	}
}

func TestEncodeQPLongLines(t *testing.T) {
	long := strings.Repeat("é", 600) + "\r\n"
	enc := encodeQP([]byte(long))
	for _, line := range strings.Split(string(enc), "\r\n") {
		if len(line) > 76 {
			t.Fatalf("quoted-printable line of %d characters", len(line))
		}
	}
	dec, err := decodeBody(enc, "quoted-printable")
	if err != nil || string(dec) != long {
		t.Fatalf("round trip failed: %v", err)
	}
}

func TestBase64Lines(t *testing.T) {
	data := bytes.Repeat([]byte{0xAB, 0x01, 0x7F}, 100)
	enc := base64Lines(data)
	for _, line := range strings.Split(strings.TrimSuffix(string(enc), "\r\n"), "\r\n") {
		if len(line) > 76 {
			t.Fatalf("base64 line of %d characters", len(line))
		}
	}
	dec, err := decodeBase64(enc)
	if err != nil || !bytes.Equal(dec, data) {
		t.Fatalf("round trip failed: %v", err)
	}
}

func TestDecodeCharset(t *testing.T) {
	if got := decodeCharset([]byte("caf\xe9 \x80"), "windows-1252"); got != "café €" {
		t.Errorf("windows-1252: %q", got)
	}
	if got := decodeCharset([]byte("caf\xe9"), "iso-8859-1"); got != "café" {
		t.Errorf("latin-1: %q", got)
	}
	if got := decodeCharset([]byte("ok\xff"), "utf-8"); got != "ok\uFFFD" {
		t.Errorf("broken utf-8: %q", got)
	}
}
