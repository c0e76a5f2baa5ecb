package app

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"securemail/app/profile"
	"securemail/pop3client"
	"securemail/smtpclient"
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

// tlsServer runs serve on every connection of an implicit-TLS listener on
// 127.0.0.1, closed in t.Cleanup; it returns the address.
func tlsServer(t *testing.T, cert tls.Certificate, serve func(say func(string), r *bufio.Reader)) string {
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
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				serve(func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }, bufio.NewReader(c))
			}()
		}
	}()
	return l.Addr().String()
}

// serveCommands greets, then answers each command line through answer
// until the client hangs up or answer returns false.
func serveCommands(say func(string), r *bufio.Reader, greeting string, answer func(cmd, arg string) bool) {
	say(greeting)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		if !answer(strings.ToUpper(cmd), arg) {
			return
		}
	}
}

// servePOP3 is a POP3 server with one user marie/pw and two messages.
func servePOP3(say func(string), r *bufio.Reader) {
	user := ""
	serveCommands(say, r, "+OK test POP3 ready", func(cmd, arg string) bool {
		switch cmd {
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
			return false
		default:
			say("-ERR unknown command")
		}
		return true
	})
}

// serveSMTP is an SMTP server that takes AUTH PLAIN for marie/smtp-pw only.
func serveSMTP(say func(string), r *bufio.Reader) {
	serveCommands(say, r, "220 test ESMTP", func(cmd, arg string) bool {
		switch cmd {
		case "EHLO":
			say("250-test\r\n250-SIZE 1000000\r\n250 AUTH PLAIN")
		case "AUTH":
			_, b64, _ := strings.Cut(arg, " ")
			if creds, _ := base64.StdEncoding.DecodeString(b64); string(creds) == "\x00marie\x00smtp-pw" {
				say("235 2.7.0 ok")
			} else {
				say("535 5.7.8 bad credentials")
			}
		case "QUIT":
			say("221 bye")
			return false
		default:
			say("502 5.5.2 not implemented")
		}
		return true
	})
}

// stepLines is a test's view of the reported steps: "✓ POP3 login" or
// "✗ SMTP login".
func stepLines(steps []ConnStep) string {
	var out []string
	for _, st := range steps {
		mark := "✓"
		switch {
		case st.Err != nil:
			mark = "✗"
		case st.Skipped != "":
			mark = "–"
		}
		out = append(out, mark+" "+string(st.Protocol)+" "+st.Kind.String())
	}
	return strings.Join(out, "\n")
}

// TestConnectionSteps runs the real checks against TLS servers whose
// certificate comes from a private CA: every step in order with the CA
// file; refused at TLS with the system's authorities; refused at login
// with a wrong password; and SMTP logs in with its own password, not
// POP3's.
func TestConnectionSteps(t *testing.T) {
	caPEM, cert := privateCA(t)
	pop3 := tlsServer(t, cert, servePOP3)
	smtp := tlsServer(t, cert, serveSMTP)
	run := func(s Setup) (string, []ConnStep, error) {
		s.POP3 = profile.Server{Address: pop3, TLS: "implicit", Username: "marie"}
		s.SMTP = profile.Server{Address: smtp, TLS: "implicit", Username: "marie"}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var steps []ConnStep
		err := TestConnection(ctx, s, func(st ConnStep) { steps = append(steps, st) })
		return stepLines(steps), steps, err
	}

	got, steps, err := run(Setup{POP3Password: "pw", SMTPPassword: "smtp-pw", ServerCA: caPEM})
	want := `✓ POP3 name lookup (DNS)
✓ POP3 connection
✓ POP3 TLS, certificate verified
✓ POP3 greeting
✓ POP3 capabilities
✓ POP3 login
✓ POP3 mailbox size
✓ POP3 logout
✓ SMTP name lookup (DNS)
✓ SMTP connection
✓ SMTP TLS, certificate verified
✓ SMTP greeting
✓ SMTP capabilities
✓ SMTP login
– SMTP test message
✓ SMTP logout`
	if err != nil || got != want {
		t.Fatalf("err %v, steps:\n%s\nwant:\n%s", err, got, want)
	}
	if steps[6].Messages != 2 || steps[6].Octets != 320 || steps[3].Banner != "test POP3 ready" || steps[2].TLS == nil ||
		steps[12].MaxSize != 1000000 || steps[13].Mechanism != "PLAIN" {
		t.Errorf("what the steps found: %+v", steps)
	}

	got, _, err = run(Setup{POP3Password: "pw", SMTPPassword: "smtp-pw"})
	if !strings.HasPrefix(got, "✓ POP3 name lookup (DNS)\n✓ POP3 connection\n✗ POP3 TLS, certificate verified\n") ||
		!strings.Contains(Explain(err).String(), "The server's certificate is not trusted for 127.0.0.1") {
		t.Errorf("with the system's authorities TLS must fail: %v\n%s", err, got)
	}

	got, _, err = run(Setup{POP3Password: "wrong", SMTPPassword: "smtp-pw", ServerCA: caPEM})
	if !strings.Contains(got, "✓ POP3 capabilities\n✗ POP3 login\n✓ SMTP") || strings.Contains(got, "mailbox") ||
		!strings.Contains(Explain(err).String(), "The POP3 server refused the login") {
		t.Errorf("a wrong POP3 password must fail at login, and SMTP still be checked: %v\n%s", err, got)
	}

	// The SMTP password is its own; the POP3 one is used only when none
	// was given.
	got, _, err = run(Setup{POP3Password: "pw", ServerCA: caPEM})
	if !strings.Contains(got, "✗ SMTP login") || !strings.Contains(Explain(err).String(), "The SMTP server refused the login") {
		t.Errorf("without an SMTP password the POP3 one is tried (and refused here): %v\n%s", err, got)
	}

	if err := TestConnection(context.Background(), Setup{ServerCA: []byte("not a certificate")}, func(ConnStep) {}); !strings.Contains(
		Explain(err).String(), "open the PEM or DER file of the authority") {
		t.Errorf("a bad servers' CA file: %v", err)
	}
}

// TestConnectionNoServer: a port where nobody listens fails at the
// connection, for each server, in words.
func TestConnectionNoServer(t *testing.T) {
	addr := testenv.RefusedAddr(t, "127.0.0.1")
	var steps []ConnStep
	s := Setup{POP3: profile.Server{Address: addr, TLS: "implicit", Username: "marie"},
		SMTP: profile.Server{Address: addr, TLS: "starttls", Username: "marie"}, POP3Password: "pw"}
	err := TestConnection(context.Background(), s, func(st ConnStep) { steps = append(steps, st) })
	if got := stepLines(steps); err == nil || got != "✓ POP3 name lookup (DNS)\n✗ POP3 connection\n✓ SMTP name lookup (DNS)\n✗ SMTP connection" {
		t.Fatalf("err %v, steps:\n%s", err, got)
	}
	if !strings.HasPrefix(Explain(err).String(), "Connection refused by "+addr+": no server is listening there") {
		t.Errorf("sentence %q", Explain(err))
	}
}

// TestFailedStep is the one classifier: each client failure lands on the
// step a user would name.
func TestFailedStep(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want StepKind
	}{
		{&net.DNSError{Name: "x"}, StepDNS},
		{&pop3client.ConnError{Step: "connect", Err: errors.New("refused")}, StepTCP},
		{&smtpclient.ConnError{Step: "connect", Err: &net.DNSError{Name: "x"}}, StepDNS},
		{&pop3client.ConnError{Step: "TLS handshake"}, StepTLS},
		{&smtpclient.ConnError{Step: "STARTTLS"}, StepTLS},
		{pop3client.ErrTLSNotOffered, StepTLS},
		{smtpclient.ErrTLSNotOffered, StepTLS},
		{&pop3client.ConnError{Step: "greeting"}, StepGreeting},
		{&smtpclient.Error{Command: "greeting", Code: 554}, StepGreeting},
		{&smtpclient.Error{Command: "EHLO", Code: 501}, StepCapabilities},
		{&pop3client.Error{Command: "PASS"}, StepLogin},
		{pop3client.ErrCleartextLogin, StepLogin},
		{smtpclient.ErrCleartextAuth, StepLogin},
		{&pop3client.Error{Command: "STAT"}, StepMailbox},
		{&smtpclient.Error{Command: "RCPT TO"}, StepTestMessage},
		{errors.New("anything else"), StepTCP},
	} {
		if got := FailedStep(tc.err); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestAccountAgainstTheBundledNetwork: Settings' check of a saved account
// reads the servers from the settings and the passwords from the keyring,
// and passes against the bundled network's real servers.
func TestAccountAgainstTheBundledNetwork(t *testing.T) {
	a := tester(t, startNet(t), alain, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var steps []ConnStep
	if err := a.TestAccount(ctx, func(st ConnStep) { steps = append(steps, st) }); err != nil {
		t.Fatalf("%v\n%s", Explain(err), stepLines(steps))
	}
	got := stepLines(steps)
	for _, want := range []string{"✓ POP3 login\n✓ POP3 mailbox size\n✓ POP3 logout", "✓ SMTP TLS, certificate verified\n✓ SMTP login", "✓ SMTP logout"} {
		if !strings.Contains(got, want) {
			t.Errorf("steps lack %q:\n%s", want, got)
		}
	}
}
