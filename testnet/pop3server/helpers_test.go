package pop3server

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/testnet/mailbox"
)

// storeBackend serves mailboxes of a mailbox.Store with fixed passwords.
type storeBackend struct {
	store *mailbox.Store
	users map[string]string
}

type storeMailbox struct {
	store *mailbox.Store
	user  string
}

func (b *storeBackend) Login(_ context.Context, user, pw string, _ net.Addr) (Mailbox, error) {
	if want, ok := b.users[user]; !ok || want != pw {
		return nil, ErrAuthFailed
	}
	return &storeMailbox{b.store, user}, nil
}

func (m *storeMailbox) Messages() ([]MessageInfo, error) {
	ms, err := m.store.List(m.user)
	out := make([]MessageInfo, len(ms))
	for i, x := range ms {
		out[i] = MessageInfo{UID: x.UID, Size: x.Size}
	}
	return out, err
}
func (m *storeMailbox) Open(uid string) (io.ReadCloser, error) { return m.store.Open(m.user, uid) }
func (m *storeMailbox) Delete(uids []string) error             { return m.store.Delete(m.user, uids) }
func (m *storeMailbox) Close() error                           { return nil }

// selfSigned returns a TLS config for 127.0.0.1/localhost and the PEM of
// its certificate, made at test time.
func selfSigned(t testing.TB) (*tls.Config, []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

type fixture struct {
	srv     *Server
	addr    string // plain + STLS
	tlsAddr string // implicit TLS
	store   *mailbox.Store
	caFile  string
}

const user, pass = "Jan.Peeters@tcn.b.eu-admin.net", "s3cret pass"

// start runs a server on 127.0.0.1:0 with one user and the given messages.
func start(t testing.TB, tune func(*Server), msgs ...string) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := mailbox.Open(filepath.Join(dir, "mail"))
	if err != nil {
		t.Fatal(err)
	}
	// Closed before the folder is removed: Windows does not delete an open
	// file (seen.log).
	t.Cleanup(func() { st.Close() })
	for _, m := range msgs {
		if _, err := st.Deliver(user, "", strings.NewReader(m)); err != nil {
			t.Fatal(err)
		}
	}
	cfg, certPEM := selfSigned(t)
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, certPEM, 0o600)
	srv := NewServer(&storeBackend{st, map[string]string{user: pass}})
	srv.TLSConfig = cfg
	srv.AuthFailureDelay = 10 * time.Millisecond
	if tune != nil {
		tune(srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lt, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	go srv.ServeTLS(lt)
	t.Cleanup(func() { srv.Close() })
	return &fixture{srv: srv, addr: l.Addr().String(), tlsAddr: lt.Addr().String(), store: st, caFile: caFile}
}

// client is a raw POP3 transcript client.
type client struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

func dial(t testing.TB, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cl := &client{t: t, conn: c, r: bufio.NewReader(c)}
	cl.expect("+OK")
	return cl
}

func (c *client) line() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading a reply: %v", err)
	}
	return strings.TrimRight(l, "\r\n")
}

func (c *client) expect(prefix string) string {
	c.t.Helper()
	l := c.line()
	if !strings.HasPrefix(l, prefix) {
		c.t.Fatalf("got %q, want a reply starting %q", l, prefix)
	}
	return l
}

// cmd sends a command and checks the first reply line.
func (c *client) cmd(line, prefix string) string {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		c.t.Fatal(err)
	}
	return c.expect(prefix)
}

// multi reads a dot-terminated response body, un-stuffed.
func (c *client) multi() []string {
	c.t.Helper()
	var out []string
	for {
		l := c.line()
		if l == "." {
			return out
		}
		out = append(out, strings.TrimPrefix(l, "."))
	}
}

func newReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

func newLogger(w io.Writer) *log.Logger { return log.New(w, "", 0) }
