//go:build !windows

// The test takes the keyring away by pointing D-Bus nowhere, which only
// works for the Secret Service: Windows' Credential Manager cannot be
// switched off, so the test is not part of the Windows build.

package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"securemail/testnet"
)

// TestNoKeyringNamesTheFallback runs account set-up in a child process
// whose session bus points nowhere (a machine without a desktop keyring):
// it must fail with one sentence that names --key-file-passphrase-file;
// with a passphrase the same set-up works, keeps the secrets sealed in the
// profile, and later commands that need them ask for the passphrase.
func TestNoKeyringNamesTheFallback(t *testing.T) {
	if os.Getenv("CLI_NO_KEYRING_CHILD") == "1" {
		noKeyringChild(t)
		return
	}
	netDir := t.TempDir()
	cfg, _, err := testnet.Prepare(netDir, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Release() // only the handout is used
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoKeyringNamesTheFallback$", "-test.v")
	cmd.Env = append(os.Environ(), "CLI_NO_KEYRING_CHILD=1", "CLI_NET_DIR="+netDir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func noKeyringChild(t *testing.T) {
	handout := testnet.HandoutDir(os.Getenv("CLI_NET_DIR"), "Marie.Curie@tcn.f.eu-admin.net")
	profile := t.TempDir()
	run := func(getenv func(string) string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv}
		code := Run(context.Background(), env, append([]string{"--profile", profile}, args...))
		return code, out.String(), errb.String()
	}
	none := func(string) string { return "" }
	code, _, stderr := run(none, "account", "setup", "--from-handout", handout, "--trust-root")
	if code != ExitError || !strings.Contains(stderr, "no OS keyring") || !strings.Contains(stderr, "--key-file-passphrase-file") ||
		strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("set-up without a keyring: exit %d, stderr %q; want one sentence naming --key-file-passphrase-file", code, stderr)
	}
	withPass := func(k string) string {
		if k == "SECUREMAIL_KEY_PASSPHRASE" {
			return "a long enough passphrase"
		}
		return ""
	}
	if code, _, stderr := run(withPass, "account", "setup", "--from-handout", handout, "--trust-root"); code != ExitOK {
		t.Fatalf("set-up with the key-file passphrase: exit %d, %s", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(profile, "keys", "*.sealed")); len(m) < 3 {
		t.Fatalf("%d sealed secrets in the profile; want the key and both passwords", len(m))
	}
	code, _, stderr = run(none, "fetch")
	if code != ExitError || !strings.Contains(stderr, "passphrase") {
		t.Fatalf("fetch without the passphrase: exit %d, %q; want a request for the passphrase", code, stderr)
	}
	if code, out, stderr := run(none, "account", "show"); code != ExitOK || !strings.Contains(out, "Marie.Curie@tcn.f.eu-admin.net") {
		t.Fatalf("account show (needs no secret): exit %d, %s %s", code, out, stderr)
	}
}
