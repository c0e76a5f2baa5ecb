package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestGUIRequested(t *testing.T) {
	env := func(string) string { return "" }
	for _, c := range []struct {
		args   []string
		dir    string
		mailto string
		gui    bool
	}{
		{nil, "", "", true},
		{[]string{"--profile", "/p"}, "/p", "", true},
		{[]string{"--profile=/q"}, "/q", "", true},
		{[]string{"fetch"}, "", "", false},
		{[]string{"--profile", "/p", "fetch"}, "", "", false},
		{[]string{"--help"}, "", "", false},
		{[]string{"--profile"}, "", "", false},
		{[]string{"mailto:a@b.eu-admin.net?subject=x"}, "", "mailto:a@b.eu-admin.net?subject=x", true},
		{[]string{"--profile", "/p", "MAILTO:a@b"}, "/p", "MAILTO:a@b", true},
		{[]string{"mailto:a@b", "mailto:c@d"}, "", "", false},
		{[]string{"mailto:a@b", "fetch"}, "", "", false},
	} {
		dir, mailto, gui := guiRequested(c.args, env)
		if dir != c.dir || mailto != c.mailto || gui != c.gui {
			t.Errorf("%v: %q %q %v, want %q %q %v", c.args, dir, mailto, gui, c.dir, c.mailto, c.gui)
		}
	}
	if dir, _, gui := guiRequested(nil, func(string) string { return "/env" }); dir != "/env" || !gui {
		t.Errorf("SECUREMAIL_PROFILE: %q %v", dir, gui)
	}
}

// TestCommandsPrintNothingExtraUnderCLocale builds the real binary and runs
// a command under the C.UTF-8 locale of Debian containers: its stderr must be
// empty (Fyne used to complain about the locale before any command ran).
func TestCommandsPrintNothingExtraUnderCLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole program")
	}
	bin := filepath.Join(t.TempDir(), "securemail")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, env := range [][]string{{"LANG=C.UTF-8"}, {"LC_ALL=C"}, {"LANG=POSIX"}} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(filteredEnv(), env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v securemail version: %v\n%s", env, err, stderr.String())
		}
		if stderr.Len() != 0 || !bytes.HasPrefix(stdout.Bytes(), []byte("securemail ")) {
			t.Errorf("%v: stdout %q, stderr %q", env, stdout.String(), stderr.String())
		}
	}
}

// filteredEnv is the test's environment without locale variables.
func filteredEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		switch {
		case bytes.HasPrefix([]byte(kv), []byte("LANG=")), bytes.HasPrefix([]byte(kv), []byte("LC_")),
			bytes.HasPrefix([]byte(kv), []byte("LANGUAGE=")):
			continue
		}
		out = append(out, kv)
	}
	return out
}
