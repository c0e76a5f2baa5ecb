// Package testenv starts the real peers that SecureMail's tests talk to
// (OpenSSL, gpgsm, Dovecot, Postfix, gnome-keyring, Xvfb) on 127.0.0.1 and
// stops them by PID when the test ends. In CI (CI=true) a missing peer fails
// the test; elsewhere it skips it, saying which package to install.
package testenv

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// InCI reports whether the tests run in CI, where every peer must be present.
func InCI() bool { return os.Getenv("CI") == "true" }

// RequireTool returns the path of an executable or ends the test: in CI with
// a failure, elsewhere with a skip naming the Debian package that has it.
func RequireTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/lib/postfix/sbin", "/sbin"} {
		p := dir + "/" + name
		if st, err := os.Stat(p); err == nil && st.Mode()&0o111 != 0 {
			return p
		}
	}
	msg := fmt.Sprintf("%s is not installed (Debian package %s; run scripts/install-deps.sh)", name, debianPackage)
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// WaitTCP waits until addr accepts a TCP connection or ctx ends.
func WaitTCP(ctx context.Context, addr string) error {
	var d net.Dialer
	return Until(ctx, func() error {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return fmt.Errorf("testenv: %s did not start listening: %w", addr, err)
		}
		c.Close()
		return nil
	})
}

// Run runs a command with stdin and returns its stdout; a failure includes
// stderr so the test log says what the peer complained about.
func Run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
