package smtpclient

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testPKI is a CA and a server certificate for 127.0.0.1, made per test.
type testPKI struct {
	pool   *x509.CertPool
	server tls.Certificate
}

func newTestPKI(t testing.TB, commonName string) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: commonName + " CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: commonName},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return testPKI{pool: pool, server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

// received is what the fake go-smtp server recorded of one transaction.
type received struct {
	From     string
	MailOpts smtp.MailOptions
	Rcpts    []string
	RcptOpts []*smtp.RcptOptions
	Data     []byte
	User     string
}

// fakeBackend is a go-smtp backend that records transactions, refuses the
// recipients listed in refuse with the given error, and accepts the user
// "marie" with password "secret".
type fakeBackend struct {
	mu     sync.Mutex
	got    []received
	refuse map[string]*smtp.SMTPError
	mechs  []string
}

func (b *fakeBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &fakeSession{b: b}, nil }

func (b *fakeBackend) messages() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.got...)
}

type fakeSession struct {
	b   *fakeBackend
	cur received
}

func (s *fakeSession) AuthMechanisms() []string {
	if s.b.mechs != nil {
		return s.b.mechs
	}
	return []string{sasl.Plain}
}

func (s *fakeSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != "marie" || pass != "secret" {
			return smtp.ErrAuthFailed
		}
		s.cur.User = user
		return nil
	}
	if mech == sasl.Login {
		return newLoginServer(check), nil
	}
	return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
}

func (s *fakeSession) Mail(from string, opts *smtp.MailOptions) error {
	s.cur.From = from
	if opts != nil {
		s.cur.MailOpts = *opts
	}
	return nil
}

func (s *fakeSession) Rcpt(to string, opts *smtp.RcptOptions) error {
	if e, ok := s.b.refuse[to]; ok {
		return e
	}
	s.cur.Rcpts = append(s.cur.Rcpts, to)
	s.cur.RcptOpts = append(s.cur.RcptOpts, opts)
	return nil
}

func (s *fakeSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = data
	s.b.mu.Lock()
	s.b.got = append(s.b.got, s.cur)
	s.b.mu.Unlock()
	user := s.cur.User
	s.cur = received{User: user}
	return nil
}

func (s *fakeSession) Reset()        { user := s.cur.User; s.cur = received{User: user} }
func (s *fakeSession) Logout() error { return nil }

// loginServer is a minimal server side of the LOGIN mechanism (go-sasl has
// only the client).
type loginServer struct {
	step       int
	user       string
	check      func(user, pass string) error
	challenges [2][]byte
}

func newLoginServer(check func(user, pass string) error) *loginServer {
	return &loginServer{check: check, challenges: [2][]byte{[]byte("Username:"), []byte("Password:")}}
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if resp != nil {
			l.user = string(resp)
			l.step++
			return l.challenges[1], false, nil
		}
		return l.challenges[0], false, nil
	case 1:
		l.user = string(resp)
		l.step++
		return l.challenges[1], false, nil
	default:
		return nil, true, l.check(l.user, string(resp))
	}
}

// fakeServer runs a go-smtp server on 127.0.0.1 with STARTTLS (or implicit
// TLS) and returns its address, the CA pool and the backend.
type fakeServer struct {
	Addr    string
	Pool    *x509.CertPool
	Backend *fakeBackend
	Server  *smtp.Server
}

func startFake(t testing.TB, implicit bool, configure func(*smtp.Server)) *fakeServer {
	t.Helper()
	pki := newTestPKI(t, "fake smtp")
	be := &fakeBackend{refuse: map[string]*smtp.SMTPError{}}
	s := smtp.NewServer(be)
	s.Domain = "fake.test"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pki.server}}
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	if configure != nil {
		configure(s)
	}
	var l net.Listener
	var err error
	if implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = s.Serve(l); close(done) }()
	t.Cleanup(func() { s.Close(); <-done })
	return &fakeServer{Addr: l.Addr().String(), Pool: pki.pool, Backend: be, Server: s}
}

// scripted runs a hand-written SMTP server on 127.0.0.1: handle gets each
// connection with a line reader and returns when the script ends. Each
// connection's client lines arrive on the returned channel when it ends.
func scripted(t testing.TB, handle func(c *scriptConn)) (string, <-chan []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	transcripts := make(chan []string, 16)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, nc)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
				sc := &scriptConn{Conn: nc, r: bufio.NewReader(nc)}
				handle(sc)
				select {
				case transcripts <- sc.Lines:
				default:
				}
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String(), transcripts
}

// transcript waits for the next finished connection's client lines.
func transcript(t testing.TB, ch <-chan []string) []string {
	t.Helper()
	select {
	case lines := <-ch:
		return lines
	case <-time.After(10 * time.Second):
		t.Fatal("the scripted server's connection did not end")
		return nil
	}
}

// scriptConn is one connection of a scripted server.
type scriptConn struct {
	net.Conn
	r     *bufio.Reader
	Lines []string // what the client sent, in order
}

// send writes reply lines, each ended with CRLF.
func (c *scriptConn) send(lines ...string) {
	for _, l := range lines {
		_, _ = io.WriteString(c.Conn, l+"\r\n")
	}
}

// expect reads one line and returns it; it fails the script (returning "")
// when the connection ends.
func (c *scriptConn) expect() string {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return ""
	}
	line = strings.TrimRight(line, "\r\n")
	c.Lines = append(c.Lines, line)
	return line
}

// serve answers a plain ESMTP conversation with the given EHLO extensions
// until QUIT, replying to RCPT TO for addresses in rcpt with the reply
// given, and passing each message to data (if not nil; buffered).
func (c *scriptConn) serve(exts []string, rcpt map[string]string, data chan<- []byte) {
	c.send("220 scripted.test ESMTP")
	for {
		line := c.expect()
		upper := strings.ToUpper(line)
		switch {
		case line == "":
			return
		case strings.HasPrefix(upper, "EHLO"):
			out := []string{"250-scripted.test"}
			for i, e := range exts {
				sep := "-"
				if i == len(exts)-1 {
					sep = " "
				}
				out = append(out, "250"+sep+e)
			}
			if len(exts) == 0 {
				out = []string{"250 scripted.test"}
			}
			c.send(out...)
		case strings.HasPrefix(upper, "MAIL FROM"):
			c.send("250 2.1.0 ok")
		case strings.HasPrefix(upper, "RCPT TO:"):
			addr := strings.TrimSuffix(strings.TrimPrefix(line[len("RCPT TO:"):], "<"), ">")
			if i := strings.Index(addr, "> "); i >= 0 {
				addr = addr[:i]
			}
			if r, ok := rcpt[addr]; ok {
				c.send(r)
			} else {
				c.send("250 2.1.5 ok")
			}
		case upper == "DATA":
			c.send("354 go ahead")
			var b strings.Builder
			for {
				l, err := c.r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			if data != nil {
				select {
				case data <- []byte(b.String()):
				default:
				}
			}
			c.send("250 2.0.0 queued as 42")
		case upper == "RSET" || upper == "NOOP":
			c.send("250 2.0.0 ok")
		case upper == "QUIT":
			c.send("221 2.0.0 bye")
			return
		default:
			c.send("502 5.5.2 not implemented")
		}
	}
}

// errorsAs is errors.As returning the target, for terse assertions.
func errorsAs[T error](err error) (T, bool) {
	var target T
	ok := errors.As(err, &target)
	return target, ok
}
