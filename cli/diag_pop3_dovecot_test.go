//go:build !windows

// Starts Dovecot, a Linux daemon: not part of the Windows build of the tests.

package cli

import (
	"strings"
	"testing"

	"securemail/tests/testenv"
)

func TestDiagPOP3AgainstDovecot(t *testing.T) {
	d := testenv.StartDovecot(t, testenv.DovecotOptions{Users: map[string]string{"marie": "Curie-1867"}, Host: "127.0.0.12"})
	d.Deliver(t, "marie", []byte("Subject: one\r\n\r\nbody\r\n"))
	d.Deliver(t, "marie", []byte("Subject: two\r\n\r\nbody\r\n"))
	pw := writeDiagPOP3File(t, "pw", "Curie-1867\n")
	bad := writeDiagPOP3File(t, "bad", "wrong\n")

	for _, tc := range []struct {
		mode, addr string
	}{{"starttls", d.POP3}, {"implicit", d.POP3S}} {
		code, out, errs := runDiagPOP3Test(t, "diag", "pop3", "--server", tc.addr, "--tls", tc.mode, "--user", "marie", "--password-file", pw, "--ca", d.CAFile)
		if code != ExitOK {
			t.Fatalf("%s: exit %d, stderr %q\n%s", tc.mode, code, errs, out)
		}
		for _, want := range []string{"banner:       +OK Dovecot", "PIPELINING", "TLS:          TLS 1.3", "certificate:  CN=localhost",
			"login:        OK as marie", "mailbox:      2 messages, 44 octets", "all checks passed"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.mode, want, out)
			}
		}
	}

	// Cleartext allowed explicitly.
	code, out, errs := runDiagPOP3Test(t, "diag", "pop3", "--server", d.POP3, "--tls", "none", "--user", "marie", "--password-file", pw, "--allow-cleartext-login")
	if code != ExitOK || !strings.Contains(out, "not encrypted") {
		t.Errorf("--allow-cleartext-login: exit %d, %q\n%s", code, errs, out)
	}

	// Each failure: exit 1, the step and a reason on stderr.
	refused := testenv.RefusedAddr(t, "127.0.0.12")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"wrong password", []string{"--server", d.POP3, "--user", "marie", "--password-file", bad, "--ca", d.CAFile}, `login failed: The POP3 server refused the login: it answered "[AUTH] Authentication failed."; check the user name and password.`},
		{"untrusted certificate", []string{"--server", d.POP3S, "--tls", "implicit"}, `TLS failed: The server's certificate is not trusted for 127.0.0.12`},
		{"server down", []string{"--server", refused}, "connection failed: Connection refused by " + refused},
		{"cleartext refused", []string{"--server", d.POP3, "--tls", "none", "--user", "marie", "--password-file", pw}, "login failed: SecureMail does not send your password over a connection without TLS"},
	} {
		code, out, errs := runDiagPOP3Test(t, append([]string{"diag", "pop3"}, tc.args...)...)
		if code != ExitNegative || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line with %q\n%s", tc.name, code, errs, tc.want, out)
		}
	}

}
