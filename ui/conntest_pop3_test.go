package ui

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
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"securemail/app"
	"securemail/app/profile"
	"securemail/tests/testenv"
)

// privateCA issues a TLS server certificate for 127.0.0.1 under a fresh
// private CA; it returns the CA as PEM and the server's certificate.
func privateCA(t *testing.T) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Mail Servers Private CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// pop3Server is a minimal implicit-TLS POP3 server on 127.0.0.1 with one
// user marie/pw and two messages; it is closed in t.Cleanup.
func pop3Server(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go servePOP3(c)
		}
	}()
	return l.Addr().String()
}

func servePOP3(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
	say("+OK test POP3 ready")
	user := ""
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(cmd) {
		case "CAPA":
			say("+OK\r\nUSER\r\nUIDL\r\n.")
		case "USER":
			user = arg
			say("+OK")
		case "PASS":
			if user == "marie" && arg == "pw" {
				say("+OK logged in")
			} else {
				say("-ERR [AUTH] invalid user name or password")
			}
		case "STAT":
			say("+OK 2 320")
		case "QUIT":
			say("+OK bye")
			return
		default:
			say("-ERR unknown command")
		}
	}
}

// TestRealTesterPrivateCA checks the real POP3 checks against a TLS server
// whose certificate comes from a private CA: refused at TLS with the
// system's authorities, through to STAT with the CA file, and refused at
// login with a wrong password.
func TestRealTesterPrivateCA(t *testing.T) {
	caPEM, cert := privateCA(t)
	addr := pop3Server(t, cert)
	noSMTP := testenv.RefusedAddr(t, "127.0.0.1")
	run := func(ca []byte, password string) []ConnStep {
		var steps []ConnStep
		s := app.Setup{POP3: profile.Server{Address: addr, TLS: "implicit", Username: "marie"},
			SMTP: profile.Server{Address: noSMTP, TLS: "implicit", Username: "marie"}, POP3Password: password, ServerCA: ca}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := testConnection(ctx, s, func(st ConnStep) { steps = append(steps, st) }); err == nil {
			t.Error("the SMTP server is missing, so the test must fail")
		}
		return steps
	}
	lines := func(steps []ConnStep) string {
		var out []string
		for _, st := range steps {
			out = append(out, connLine(st))
		}
		return strings.Join(out, "\n")
	}

	got := lines(run(nil, "pw"))
	if !strings.Contains(got, "✓ POP3 connect\n✗ POP3 TLS, certificate verified: ") {
		t.Errorf("with the system's authorities the POP3 TLS step must fail:\n%s", got)
	}
	got = lines(run(caPEM, "pw"))
	if !strings.Contains(got, "✓ POP3 connect\n✓ POP3 TLS, certificate verified\n✓ POP3 login\n✓ POP3 mailbox size (STAT)\n✗ SMTP connect: ") {
		t.Errorf("with the private CA POP3 must pass:\n%s", got)
	}
	got = lines(run(caPEM, "wrong"))
	if !strings.Contains(got, "✓ POP3 TLS, certificate verified\n✗ POP3 login: ") || strings.Contains(got, "STAT") {
		t.Errorf("a wrong password must fail at login:\n%s", got)
	}
	t.Logf("\n%s", got)
}
