package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runDiagPOP3Test(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Run(ctx, env, args)
	return code, out.String(), errb.String()
}

func writeDiagPOP3File(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiagPOP3Usage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--server HOST:PORT is required"},
		{[]string{"--server", "127.0.0.1:1", "--tls", "ssl"}, "--tls must be none, starttls or implicit"},
		{[]string{"--server", "127.0.0.1:1", "--user", "u"}, "--user needs --password-file"},
		{[]string{"--server", "127.0.0.1:1", "--user", "u", "--password-file", "/nonexistent"}, "cannot read the password file"},
		{[]string{"--server", "127.0.0.1:1", "--ca", "/nonexistent"}, "cannot read the CA file"},
	} {
		code, _, errs := runDiagPOP3Test(t, append([]string{"diag", "pop3"}, tc.args...)...)
		if code != ExitError || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	code, out, _ := runDiagPOP3Test(t, "diag", "pop3", "--help")
	if code != ExitOK || !strings.Contains(out, "Exit status: 0") || !strings.Contains(out, "-allow-cleartext") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
