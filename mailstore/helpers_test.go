package mailstore_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"securemail/mailstore"
)

// logBuf collects the store's log lines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// open opens the store in dir and closes it at the end of the test (a second Close is harmless).
func open(t testing.TB, dir string, opts *mailstore.Options) (*mailstore.Store, *logBuf) {
	t.Helper()
	lb := &logBuf{}
	o := mailstore.Options{}
	if opts != nil {
		o = *opts
	}
	o.Logger = slog.New(slog.NewTextHandler(lb, nil))
	s, err := mailstore.Open(context.Background(), dir, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, lb
}

// mail builds a CRLF message.
func mail(from, to, subject, date, body string, extra ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%d.%s>\r\n",
		from, to, subject, date, time.Now().UnixNano(), strings.ReplaceAll(strings.ToLower(from), " ", ""))
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	return []byte(b.String())
}

// sealer "encrypts" text for the tests with AES-GCM under a key made at test time, wrapped like an S/MIME
// enveloped message; the store cannot tell it from real CMS, which is the point: it never looks inside.
type sealer struct{ aead cipher.AEAD }

func newSealer(t testing.TB) *sealer {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(blk)
	if err != nil {
		t.Fatal(err)
	}
	return &sealer{aead}
}

func (s *sealer) seal(from, to, subject, date, text string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	ct := s.aead.Seal(nonce, nonce, []byte(text), nil)
	return []byte(fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%d@test>\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"+
		"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n%s\r\n",
		from, to, subject, date, time.Now().UnixNano(), base64.StdEncoding.EncodeToString(ct)))
}

func (s *sealer) open(raw []byte) (string, error) {
	_, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return "", fmt.Errorf("no body")
	}
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(body)))
	if err != nil {
		return "", err
	}
	n := s.aead.NonceSize()
	if len(ct) < n {
		return "", fmt.Errorf("short")
	}
	pt, err := s.aead.Open(nil, ct[:n], ct[n:], nil)
	return string(pt), err
}

const (
	marie = "Marie Curie <Marie.Curie@tcn.f.eu-admin.net>"
	alain = "Alain Dupont <Alain.Dupont@tcn.b.eu-admin.net>"
)

func listAll(t testing.TB, s *mailstore.Store) map[string][]mailstore.Row {
	t.Helper()
	ctx := context.Background()
	fs, err := s.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]mailstore.Row{}
	for _, f := range fs {
		rows, err := s.List(ctx, f.Name, mailstore.ByDateDesc, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = rows
	}
	return out
}
