package smtpclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// clientCertificate issues a client certificate for commonName under a new
// CA and returns it with a pool holding that CA.
func clientCertificate(t *testing.T, commonName string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "client CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: commonName},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestClientCertificateThroughTLSConfig: a server-to-server hop (the
// bundled network's relays) proves who it is with a client certificate
// given in Options.TLSConfig; the server verifies it, and one connection
// carries several messages. The caller's TLSConfig is not modified.
func TestClientCertificateThroughTLSConfig(t *testing.T) {
	cert, clientCAs := clientCertificate(t, "b-server")
	var mu sync.Mutex
	var seen []string
	f := startFake(t, false, func(s *smtp.Server) {
		s.EnableDSN = true
		s.TLSConfig.ClientAuth = tls.RequireAndVerifyClientCert
		s.TLSConfig.ClientCAs = clientCAs
		s.TLSConfig.VerifyConnection = func(cs tls.ConnectionState) error {
			mu.Lock()
			defer mu.Unlock()
			if len(cs.PeerCertificates) > 0 {
				seen = append(seen, cs.PeerCertificates[0].Subject.CommonName)
			}
			return nil
		}
	})
	cfg := &tls.Config{RootCAs: f.Pool, Certificates: []tls.Certificate{cert}}
	c, err := Dial(ctxT(t), Options{Address: f.Addr, TLSConfig: cfg, LocalName: "b-server.eu-admin.net"})
	if err != nil {
		t.Fatalf("Dial with a client certificate: %v", err)
	}
	defer c.Close()
	if cfg.ServerName != "" {
		t.Errorf("Dial changed the caller's TLSConfig (ServerName %q)", cfg.ServerName)
	}
	env := Envelope{From: "Marie.Curie@tcn.b.eu-admin.net", To: []string{"Jan.Novak@tcn.f.eu-admin.net"}, DSN: &DSN{EnvelopeID: "q1"}}
	for i := 0; i < 2; i++ {
		if _, err := c.Send(ctxT(t), env, strings.NewReader(testMsg)); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	if err := c.Quit(ctxT(t)); err != nil {
		t.Errorf("QUIT: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != "b-server" {
		t.Errorf("server verified client certificates %v, want one handshake with b-server's", seen)
	}
	if got := f.Backend.messages(); len(got) != 2 || got[1].MailOpts.EnvelopeID != "q1" {
		t.Errorf("server received %+v, want 2 messages with ENVID q1", got)
	}

	// Without the certificate the server refuses the handshake: a
	// connection error, not a refusal of a command.
	_, err = Dial(ctxT(t), Options{Address: f.Addr, RootCAs: f.Pool})
	if _, ok := errorsAs[*ConnError](err); !ok {
		t.Errorf("without a client certificate: %v, want a *ConnError", err)
	}
}
