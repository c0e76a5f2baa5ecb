package pop3client_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer is a scripted POP3 server on 127.0.0.1 for one connection. The
// script runs in its own goroutine; the test waits for it in Cleanup.
type fakeServer struct {
	Addr string
	t    testing.TB
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	got  []string // command lines received, in order
}

// fakeConn is the server side of the connection, handed to the script.
type fakeConn struct {
	s    *fakeServer
	conn net.Conn
	br   *bufio.Reader
}

func newFakeServer(t testing.TB, script func(c *fakeConn)) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{Addr: ln.Addr().String(), t: t, ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
		script(&fakeConn{s: s, conn: conn, br: bufio.NewReader(conn)})
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// Transcript returns the command lines the client sent.
func (s *fakeServer) Transcript() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// Send writes raw server output (lines joined with CRLF, one final CRLF).
func (c *fakeConn) Send(lines ...string) {
	_, _ = c.conn.Write([]byte(strings.Join(lines, "\r\n") + "\r\n"))
}

// Read returns the next command line; "" when the client hung up.
func (c *fakeConn) Read() string {
	line, err := c.br.ReadString('\n')
	if err != nil {
		return ""
	}
	line = strings.TrimRight(line, "\r\n")
	c.s.mu.Lock()
	c.s.got = append(c.s.got, line)
	c.s.mu.Unlock()
	return line
}

// Expect reads a command and fails the test if it is not want.
func (c *fakeConn) Expect(want string) bool {
	c.s.t.Helper()
	if got := c.Read(); got != want {
		c.s.t.Errorf("server received %q, want %q", got, want)
		return false
	}
	return true
}

// Reply expects a command and sends lines in answer.
func (c *fakeConn) Reply(want string, lines ...string) bool {
	c.s.t.Helper()
	if !c.Expect(want) {
		return false
	}
	c.Send(lines...)
	return true
}

// StartTLS wraps the connection in TLS with the given certificate.
func (c *fakeConn) StartTLS(cert tls.Certificate) bool {
	tc := tls.Server(c.conn, &tls.Config{Certificates: []tls.Certificate{cert}})
	if err := tc.Handshake(); err != nil {
		return false
	}
	c.conn = tc
	c.br = bufio.NewReader(tc)
	return true
}

// selfSigned makes a throwaway certificate for 127.0.0.1 and localhost and
// the pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fake pop3"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
