package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runDiagSMTPTest(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Run(ctx, env, append([]string{"diag", "smtp"}, args...))
	return code, out.String(), errb.String()
}

func writeDiagSMTPFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiagSMTPUsage(t *testing.T) {
	code, out, _ := runDiagSMTPTest(t, "--help")
	if code != ExitOK || !strings.Contains(out, "Exit status: 0 every step passed; 1 a step failed") || !strings.Contains(out, "-allow-plain") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{},
		{"--server", "127.0.0.1:25", "--tls", "ssl"},
		{"--server", "127.0.0.1:25", "--from", "a@b.example"},
		{"--server", "127.0.0.1:25", "--user", "jan"},
		{"--server", "127.0.0.1:25", "--tls", "none", "--allow-cleartext-login", "--user", "jan", "--password-file", "/nonexistent"},
		{"--server", "127.0.0.1:25", "--user", "jan", "--password-file", "/nonexistent/pw"},
		{"--server", "127.0.0.1:25", "--from", "a@b.example", "--to", "c@d.example\r\nRCPT TO:<x@y>"},
	} {
		code, _, errs := runDiagSMTPTest(t, args...)
		if code != ExitError || !strings.HasPrefix(errs, "securemail: diag smtp") {
			t.Errorf("%q: exit %d, stderr %q; want a usage error (2)", args, code, errs)
		}
	}
}

// closedPort returns a 127.0.0.1 address where nothing listens.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
