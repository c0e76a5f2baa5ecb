//go:build !windows

// Starts Postfix and Dovecot, Linux daemons: not part of the Windows build of the
// tests.

package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// TestDiagSMTPAgainstPostfix runs `diag smtp` against a real Postfix
// (STARTTLS submission, AUTH through Dovecot SASL, delivery into Dovecot's
// Maildirs): every step passing with a test message, then one failure per
// step.
func TestDiagSMTPAgainstPostfix(t *testing.T) {
	const (
		marie   = "Marie.Curie@tcn.f.eu-admin.net"
		jan     = "Jan.Novak@tcn.cz.eu-admin.net"
		refused = "Pierre.Refus@tcn.f.eu-admin.net"
	)
	dc := testenv.StartDovecot(t, testenv.DovecotOptions{Users: map[string]string{"jan": "Novak-1957", "marie": "Curie-1867"}, AuthSocket: true})
	pf := testenv.StartPostfix(t, testenv.PostfixOptions{
		Users:      map[string]string{marie: dc.Maildir("marie"), jan: dc.Maildir("jan")},
		MailUID:    dc.MailUID,
		MailGID:    dc.MailGID,
		AuthSocket: dc.AuthSocket,
		Refuse:     map[string]string{refused: "550 5.1.1 no such person here"},
	})
	pw := writeDiagSMTPFile(t, "pw", "Novak-1957\n")
	bad := writeDiagSMTPFile(t, "bad", "wrong\n")
	common := []string{"--server", pf.Submission, "--tls", "starttls", "--ca", pf.CAFile}

	t.Run("every step passes", func(t *testing.T) {
		code, out, errs := runDiagSMTPTest(t, append(common, "--user", "jan", "--password-file", pw, "--from", jan, "--to", marie)...)
		if code != ExitOK || errs != "" {
			t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
		}
		t.Logf("diag smtp output:\n%s", out)
		for _, want := range []string{
			"banner:       220 localhost ESMTP Postfix (SecureMail test peer)",
			"AUTH PLAIN", "SIZE 52428800", "8BITMIME",
			"TLS:          TLS 1.3", "certificate:  CN=localhost", "(verified for 127.0.0.1)",
			"authentication: OK as jan (AUTH PLAIN)",
			"test message: accepted for " + marie,
			"server reply: 250 2.0.0 Ok: queued as ",
			"result:       all checks passed",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		files := pf.WaitMaildir(t, dc.Maildir("marie"), 1, 30*time.Second)
		data, err := os.ReadFile(files[0])
		if err != nil || !bytes.Contains(data, []byte("Subject: SecureMail connection test")) {
			t.Errorf("the test message did not arrive in Marie's Maildir: %v\n%s", err, data)
		}
	})

	t.Run("without credentials", func(t *testing.T) {
		code, out, errs := runDiagSMTPTest(t, common...)
		if code != ExitOK || !strings.Contains(out, "authentication: skipped") || !strings.Contains(out, "test message: skipped") {
			t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
		}
	})

	// The seed's "telnet to port 25": no TLS, no password, no permission
	// needed. A password in clear still needs --allow-cleartext-login, and
	// the old name of that permission is accepted with a notice.
	t.Run("plain check without credentials", func(t *testing.T) {
		code, out, errs := runDiagSMTPTest(t, "--server", pf.Submission, "--tls", "none")
		if code != ExitOK || errs != "" || !strings.Contains(out, "TLS:          none (the connection is not encrypted)") ||
			!strings.Contains(out, "banner:       220 localhost ESMTP Postfix") || !strings.Contains(out, "result:       all checks passed") {
			t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
		}
	})
	t.Run("password in clear refused", func(t *testing.T) {
		code, out, errs := runDiagSMTPTest(t, "--server", pf.Submission, "--tls", "none", "--user", "jan", "--password-file", pw)
		if code != ExitNegative || !strings.Contains(out, `FAILED at step "authentication"`) ||
			!strings.Contains(errs, "does not send your password over a connection without TLS") {
			t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
		}
	})
	t.Run("old flag name", func(t *testing.T) {
		code, out, errs := runDiagSMTPTest(t, "--server", pf.Submission, "--tls", "none", "--allow-plain")
		if code != ExitOK || errs != "securemail: diag smtp: --allow-plain is deprecated; use --allow-cleartext-login\n" {
			t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
		}
	})

	failures := []struct {
		name       string
		args       []string
		step, want string
	}{
		{"untrusted certificate", []string{"--server", pf.Submission, "--ca", dc.CAFile},
			"TLS", "TLS failed: The server's certificate is not trusted for 127.0.0.1"},
		{"implicit TLS on a STARTTLS port", []string{"--server", pf.Submission, "--tls", "implicit", "--ca", pf.CAFile},
			"TLS", "did not answer with TLS"},
		{"recipient refused", append(common, "--user", "jan", "--password-file", pw, "--from", jan, "--to", refused),
			"test message", "The server refused every recipient, so nothing was sent: <" + refused + "> (550 5.1.1"},
		{"one recipient of two refused", append(common, "--user", "jan", "--password-file", pw, "--from", jan, "--to", marie, "--to", refused),
			"test message", "The server refused the recipient <" + refused + ">: it answered \"550 5.1.1"},
		{"server down", []string{"--server", closedPort(t)},
			"connection", "connection failed: Connection refused by"},
		// Last: Dovecot delays logins from an address after a failed one.
		{"wrong password", append(common, "--user", "jan", "--password-file", bad),
			"authentication", "authentication failed: The SMTP server refused the login: it answered \"535 5.7.8"},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			code, out, errs := runDiagSMTPTest(t, f.args...)
			if code != ExitNegative {
				t.Errorf("exit %d, want %d (a failed check)", code, ExitNegative)
			}
			if f.name == "one recipient of two refused" && (!strings.Contains(out, "test message: accepted for "+marie) || !strings.Contains(out, "refused:      "+refused+": 550 5.1.1")) {
				t.Errorf("stdout does not list who accepted and who refused:\n%s", out)
			}
			if !strings.Contains(out, `FAILED at step "`+f.step+`"`) {
				t.Errorf("stdout does not name the step %q:\n%s", f.step, out)
			}
			if !strings.HasPrefix(errs, "securemail: diag smtp: "+f.step+" failed: ") || !strings.Contains(errs, f.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("stderr %q, want one line about %q containing %q", errs, f.step, f.want)
			}
		})
	}
}
