package cli

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"securemail/app"
	"securemail/app/keystore"
)

// TestWithApp: what the command does decides the exit status; an error it
// returns is printed as the one sentence of the failure (the keyring's with
// the way out); the profile is closed afterwards, so the next command
// opens it again.
func TestWithApp(t *testing.T) {
	profile := t.TempDir()
	env := func(stderr *bytes.Buffer) *Env {
		return &Env{Stdout: &bytes.Buffer{}, Stderr: stderr, Profile: profile, Getenv: func(k string) string {
			if k == "SECUREMAIL_KEY_PASSPHRASE" {
				return "a long enough passphrase" // no OS keyring needed
			}
			return ""
		}}
	}
	var opened *app.App
	for _, c := range []struct {
		name   string
		code   int
		err    error
		want   int
		stderr string
	}{
		{"success", ExitOK, nil, ExitOK, ""},
		{"negative verdict", ExitNegative, nil, ExitNegative, ""},
		{"error", ExitOK, fmt.Errorf("app: %w", keystore.ErrUnavailable), ExitError,
			"securemail: no OS keyring is available; " + keyFileAdvice + "\n"},
	} {
		var stderr bytes.Buffer
		got := withApp(context.Background(), env(&stderr), profileOptions{}, func(a *app.App) (int, error) {
			if opened == a {
				t.Errorf("%s: the same App twice", c.name)
			}
			opened = a
			return c.code, c.err
		})
		if got != c.want || stderr.String() != c.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", c.name, got, stderr.String(), c.want, c.stderr)
		}
		if _, err := opened.Store.Count(context.Background(), "Inbox"); err == nil {
			t.Errorf("%s: the store still answers after withApp returned: the profile was not closed", c.name)
		}
	}
}
