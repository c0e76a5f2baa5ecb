//go:build !windows

// Postfix is a Linux daemon: not part of the Windows build of the tests.

package testenv_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"securemail/tests/testenv"
)

// TestPostfixDeliversToMaildir starts Postfix without SASL and checks that
// a message submitted over STARTTLS lands in the recipient's Maildir, that
// a refused recipient gets the configured reply, and that plain MAIL FROM
// without TLS is refused.
func TestPostfixDeliversToMaildir(t *testing.T) {
	maildir := filepath.Join(t.TempDir(), "marie", "Maildir")
	pf := testenv.StartPostfix(t, testenv.PostfixOptions{
		Users: map[string]string{
			"Marie.Curie@tcn.f.eu-admin.net": maildir,
			"Jan.Novak@tcn.cz.eu-admin.net":  filepath.Join(t.TempDir(), "jan", "Maildir"),
		},
		Refuse: map[string]string{
			"Jan.Novak@tcn.cz.eu-admin.net": "450 4.2.1 try again later",
		},
	})
	if !testenv.Alive(pf.PID) {
		t.Fatalf("Postfix master %d is not running", pf.PID)
	}

	// Without TLS, Postfix must refuse the transaction (TLS is required).
	plain, err := smtp.Dial(pf.Submission)
	if err != nil {
		t.Fatal(err)
	}
	err = plain.Mail("Jan.Novak@tcn.cz.eu-admin.net", nil)
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 530 {
		t.Errorf("MAIL without TLS: got %v, want 530 (STARTTLS first)", err)
	}
	plain.Close()

	c, err := smtp.DialStartTLS(pf.Submission, &tls.Config{RootCAs: pf.CAPool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("STARTTLS with the test CA: %v", err)
	}
	defer c.Close()
	if size, ok := c.MaxMessageSize(); !ok || size != 50<<20 {
		t.Errorf("SIZE = %d, %v; want %d", size, ok, 50<<20)
	}
	if err := c.Mail("Jan.Novak@tcn.cz.eu-admin.net", nil); err != nil {
		t.Fatal(err)
	}
	err = c.Rcpt("Jan.Novak@tcn.cz.eu-admin.net", nil)
	if !errors.As(err, &se) || se.Code != 450 {
		t.Errorf("RCPT to the refused address: got %v, want 450", err)
	}
	if err := c.Rcpt("Marie.Curie@tcn.f.eu-admin.net", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	// No Date or Message-ID: Postfix must not add them (it would append
	// them to the submitted header, which breaks byte-exact round trips).
	body := "From: Jan.Novak@tcn.cz.eu-admin.net\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: hello\r\n\r\n.leading dot\r\nbye\r\n"
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}

	files := pf.WaitMaildir(t, maildir, 1, 20*time.Second)
	got, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// Maildir files use LF line ends; the body must come back otherwise intact.
	want := strings.ReplaceAll(body, "\r\n", "\n")
	if !bytes.HasSuffix(got, []byte("\n"+want)) {
		t.Errorf("delivered message does not end with what was sent:\n%s", got)
	}
	if !bytes.Contains(bytes.ToLower(got), []byte("\ndelivered-to: marie.curie@tcn.f.eu-admin.net\n")) {
		t.Errorf("no Delivered-To header from Postfix's virtual agent:\n%s", got)
	}
}

// TestPostfixChain chains three instances as the TESTA topology does —
// submission on the first, relayed over verified STARTTLS with client
// certificates to the second's inbound service, then to the third, which
// delivers to a Maildir — with the seed's queue settings, and checks that
// the inbound service refuses a server without a client certificate.
func TestPostfixChain(t *testing.T) {
	ca, err := testenv.NewPostfixCA()
	if err != nil {
		t.Fatal(err)
	}
	maildir := filepath.Join(t.TempDir(), "marie", "Maildir")
	f := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "f-server.localdomain", CA: ca, Inbound: true,
		Users: map[string]string{"Marie.Curie@tcn.f.eu-admin.net": maildir}, Settings: testenv.SeedQueueSettings()})
	relay := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "relay.localdomain", CA: ca, Inbound: true,
		RelayHost: f.Inbound, Settings: testenv.SeedQueueSettings()})
	b := testenv.StartPostfix(t, testenv.PostfixOptions{Hostname: "b-server.localdomain", CA: ca,
		RelayHost: relay.Inbound, Settings: testenv.SeedQueueSettings()})

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := testenv.Run(ctx, nil, "/usr/sbin/postconf", "-c", filepath.Join(relay.Dir, "conf"), "-h",
		"minimal_backoff_time", "maximal_backoff_time", "delay_warning_time", "maximal_queue_lifetime", "relayhost", "smtp_tls_security_level")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(strings.Fields(string(out)), " "), "2m 2m 4h 5d ["+strings.Replace(f.Inbound, ":", "]:", 1)+" secure"; got != want {
		t.Errorf("relay's settings: %q, want %q", got, want)
	}

	// A server without a client certificate: the inbound service refuses.
	if c, err := smtp.DialStartTLS(relay.Inbound, &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"}); err == nil {
		if err := c.Mail("Jan.Novak@tcn.b.eu-admin.net", nil); err == nil {
			t.Error("the inbound service accepted MAIL from a client without a certificate")
		}
		c.Close()
	}

	c, err := smtp.DialStartTLS(b.Submission, &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := "From: Jan.Novak@tcn.b.eu-admin.net\r\nTo: Marie.Curie@tcn.f.eu-admin.net\r\nSubject: three hops\r\n\r\nhello\r\n"
	if err := c.SendMail("Jan.Novak@tcn.b.eu-admin.net", []string{"Marie.Curie@tcn.f.eu-admin.net"}, strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	files := f.WaitMaildir(t, maildir, 1, 30*time.Second)
	got, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// Each hop adds a Received header naming the server and the TLS used.
	for _, hop := range []string{"by b-server.localdomain", "by relay.localdomain", "by f-server.localdomain"} {
		if !bytes.Contains(got, []byte(hop)) {
			t.Errorf("no Received header %q:\n%s", hop, got)
		}
	}
	// Each relaying hop verified the next server's certificate, and each
	// inbound service verified the client certificate ("Trusted").
	for _, p := range []*testenv.Postfix{b, relay} {
		if !strings.Contains(p.Log(), "Verified TLS connection established to 127.0.0.1") {
			t.Errorf("no verified TLS connection to the next hop:\n%s", p.Log())
		}
	}
	for _, p := range []*testenv.Postfix{relay, f} {
		if !strings.Contains(p.Log(), "postfix/inbound/smtpd") || !strings.Contains(p.Log(), "Trusted TLS connection established from") {
			t.Errorf("the inbound service did not verify a client certificate:\n%s", p.Log())
		}
	}
}
