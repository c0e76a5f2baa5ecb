package testenv_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"securemail/internal/testenv"
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
