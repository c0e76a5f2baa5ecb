package smime

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"securemail/smime/envelope"
	"securemail/smime/identity"
	"securemail/testnet/testca"
)

// TestBase64WriterMatchesBase64Lines: whatever the sizes of the writes,
// the streamed text is exactly base64Lines of the data.
func TestBase64WriterMatchesBase64Lines(t *testing.T) {
	for _, size := range []int{0, 1, 56, 57, 58, 114, 1000, base64Batch*lineBytes - 1, base64Batch * lineBytes, 3*base64Batch*lineBytes + 7} {
		data := make([]byte, size)
		if _, err := rand.Read(data); err != nil {
			t.Fatal(err)
		}
		for _, step := range []int{1, 7, 57, 4096, size + 1} {
			var out bytes.Buffer
			bw := newBase64Writer(&out)
			for rest := data; len(rest) > 0; {
				k := min(max(step, 1), len(rest))
				if n, err := bw.Write(rest[:k]); err != nil || n != k {
					t.Fatalf("size %d step %d: Write = %d, %v", size, step, n, err)
				}
				rest = rest[k:]
			}
			if err := bw.Close(); err != nil {
				t.Fatal(err)
			}
			if want := base64Lines(data); !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("size %d step %d: %d bytes of text, base64Lines gives %d", size, step, out.Len(), len(want))
			}
		}
	}
}

// base64Cases are bodies a mail reader meets: clean, with bare LF or CR,
// white space, garbage after the padding, missing padding, broken text.
var base64Cases = []string{
	"", "QQ==", "QUJD", "QUJDRA==\r\n", "QUJD\r\nREVG\r\n", "QUJD\nREVG\n", "QU\rJD", "QUJD REVG", "QUJDRA==garbage",
	"QUJDRA", "QUJDR", "Q", "QQ=", "QUJD=QUJD", "====", "QUJD\r\n\r\n", "!!!!", "QUJDRA==\r\nQUJD\r\n",
	strings.Repeat("QUJD", 2000) + "\r\n" + strings.Repeat("RUZH", 1100) + "Rg==",
	strings.Repeat("QUJD", 1500) + "*" + strings.Repeat("RUZH", 1500),
	strings.Repeat("QUJDREVG\r\n", 900) + "QQ",
}

// TestDecodeBase64InPlaceAgrees: the in-place decoder returns what
// decodeBase64 returns, and fails where it fails.
func TestDecodeBase64InPlaceAgrees(t *testing.T) {
	for _, in := range base64Cases {
		checkBase64InPlace(t, []byte(in))
	}
}

func checkBase64InPlace(t *testing.T, in []byte) {
	t.Helper()
	want, wantErr := decodeBase64(bytes.Clone(in))
	got, gotErr := decodeBase64InPlace(bytes.Clone(in))
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%.40q: decodeBase64 error %v, in place %v", in, wantErr, gotErr)
	}
	if wantErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%.40q: in place decoded %d bytes that differ from decodeBase64's %d", in, len(got), len(want))
	}
}

// FuzzDecodeBase64InPlace compares the in-place decoder with
// decodeBase64 on any text.
func FuzzDecodeBase64InPlace(f *testing.F) {
	for _, c := range base64Cases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkBase64InPlace(t, in) })
}

// TestOpenInPlaceReportsWhatOpenReports: for messages of every layer
// order and cipher, damaged ones and ones not for us, OpenInPlace gives
// Open's report, entity and attachments.
func TestOpenInPlaceReportsWhatOpenReports(t *testing.T) {
	w := newWorld(t)
	alice := w.issue(t, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	bob := w.issue(t, testca.IssueOptions{Email: "Jan.Novak@tcn.cz.eu-admin.net", Key: testca.P256})
	msg := withDate(sampleMessage(alice.email), time.Now())
	sign := func(m []byte, opaque bool) []byte {
		out, err := SignMessage(m, alice.id, SignOptions{Opaque: opaque})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	encrypt := func(m []byte, c envelope.Cipher, to ...*x509.Certificate) []byte {
		out, err := EncryptMessage(m, to, EncryptOptions{Cipher: c})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	me := []*x509.Certificate{alice.id.Certificate}
	cases := map[string][]byte{
		"signed+cbc":           encrypt(sign(msg, false), envelope.AES256CBC, me...),
		"signed+gcm":           encrypt(sign(msg, false), envelope.AES128GCM, me...),
		"opaque+cbc":           encrypt(sign(msg, true), envelope.AES128CBC, me...),
		"cbc then signed":      sign(encrypt(msg, envelope.AES256CBC, me...), false),
		"triple wrapped":       sign(encrypt(sign(msg, false), envelope.AES256CBC, me...), true),
		"signed only":          sign(msg, false),
		"plain":                msg,
		"not for us":           encrypt(msg, envelope.AES256CBC, bob.id.Certificate),
		"lf line ends":         bytes.ReplaceAll(encrypt(sign(msg, false), envelope.AES256CBC, me...), []byte("\r\n"), []byte("\n")),
		"base64 without pad":   trimPadding(encrypt(msg, envelope.AES256CBC, me...)),
		"truncated":            encrypt(msg, envelope.AES256CBC, me...)[:900],
		"certificates only":    pkcs7MimeEntity([]byte("From: "+alice.email+"\r\n"), "certs-only", "certs", mustP7B(t, alice)),
		"empty pkcs7 body":     []byte("From: x@tcn.b.eu-admin.net\r\nContent-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n\r\n"),
		"binary (CRLF breaks)": binaryCTE(encrypt(msg, envelope.AES256CBC, me...)),
		"gcm, signed outside":  sign(encrypt(msg, envelope.AES256GCM, me...), false),
	}
	opts := OpenOptions{Keys: []envelope.Key{alice.key()}, Roots: []*x509.Certificate{w.ca.Root}, Now: time.Now()}
	for name, m := range cases {
		want, wantErr := Open(bytes.Clone(m), opts)
		got, gotErr := OpenInPlace(context.Background(), bytes.Clone(m), opts)
		if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && !errors.Is(gotErr, errors.Unwrap(wantErr)) && gotErr.Error() != wantErr.Error()) {
			t.Fatalf("%s: Open error %v, OpenInPlace %v", name, wantErr, gotErr)
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if !bytes.Equal(wj, gj) || !bytes.Equal(want.Entity, got.Entity) || len(want.Attachments) != len(got.Attachments) {
			t.Fatalf("%s: reports differ:\nOpen        %s\nOpenInPlace %s", name, wj, gj)
		}
		for i := range want.Attachments {
			if !bytes.Equal(want.Attachments[i].Content, got.Attachments[i].Content) {
				t.Fatalf("%s: attachment %d differs", name, i)
			}
		}
		t.Logf("%s: %s %s", name, got.Signature, strings.Join(got.Layers, ","))
	}
}

// trimPadding drops the "=" of the base64 body, as some writers do.
func trimPadding(m []byte) []byte {
	return bytes.ReplaceAll(m, []byte("=\r\n"), []byte("\r\n"))
}

// binaryCTE re-encodes an application/pkcs7-mime body as binary DER.
func binaryCTE(m []byte) []byte {
	e := parseEntity(m)
	der, err := decodeBase64(e.body)
	if err != nil {
		panic(err)
	}
	head := bytes.Replace(e.header, []byte("Content-Transfer-Encoding: base64"), []byte("Content-Transfer-Encoding: binary"), 1)
	return append(append(head, "\r\n"...), der...)
}

func mustP7B(t *testing.T, p *party) []byte {
	t.Helper()
	der, err := identity.EncodeP7B([]*x509.Certificate{p.id.Certificate})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// TestStreamingWritesNothingOnRefusal: a refused Digital ID or recipient
// leaves the writer empty, so the command line never prints half a
// message.
func TestStreamingWritesNothingOnRefusal(t *testing.T) {
	w := newWorld(t)
	alice := w.issue(t, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	msg := sampleMessage(alice.email)
	var out bytes.Buffer
	if err := EncryptMessageTo(&out, msg, []*x509.Certificate{alice.id.Certificate}, EncryptOptions{Cipher: "rc2-40"}); err == nil || out.Len() != 0 {
		t.Fatalf("unknown cipher: err %v, %d bytes written", err, out.Len())
	}
	if err := SignMessageTo(&out, msg, alice.id, SignOptions{Digest: 1, Opaque: true}); err == nil || out.Len() != 0 {
		t.Fatalf("MD4 digest: err %v, %d bytes written", err, out.Len())
	}
	bob := w.issue(t, testca.IssueOptions{Email: "Jan.Novak@tcn.cz.eu-admin.net"})
	wrong := *alice.id
	wrong.PrivateKey = bob.id.PrivateKey
	for _, opaque := range []bool{false, true} {
		if err := SignMessageTo(&out, msg, &wrong, SignOptions{Opaque: opaque}); err == nil || out.Len() != 0 {
			t.Fatalf("another person's key, opaque=%v: err %v, %d bytes written", opaque, err, out.Len())
		}
	}
}

// TestSignMessageKeepsBodyWhereItLies: a canonical message is signed as
// its entity's header plus its own body, not a copy of it, and the
// signed content is what canonicalEntity gives for the joined entity.
func TestSignMessageKeepsBodyWhereItLies(t *testing.T) {
	w := newWorld(t)
	alice := w.issue(t, testca.IssueOptions{Email: "Marie.Curie@tcn.f.eu-admin.net"})
	for _, msg := range [][]byte{sampleMessage(alice.email), benchMessage(t, alice.email, 200<<10), []byte("Subject: no header end"), []byte("no header at all\r\n")} {
		_, content, err := canonicalMessage(msg, ProtectNone, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := signedContent(t, msg); !bytes.Equal(bytes.Join(content, nil), want) {
			t.Fatalf("%.30q: signed content differs from canonicalEntity's", msg)
		}
		if len(content) == 2 && len(content[1]) > 0 && !bytes.Contains(msg, content[1][:min(len(content[1]), 64)]) {
			t.Fatalf("%.30q: body is not a part of the message", msg)
		}
	}
	big := benchMessage(t, alice.email, 200<<10)
	_, content, _ := canonicalMessage(big, ProtectNone, false)
	if len(content) != 2 || &content[1][len(content[1])-1] != &big[len(big)-1] {
		t.Fatal("a canonical message's body was copied")
	}
}
