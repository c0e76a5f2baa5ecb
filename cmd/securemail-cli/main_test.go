package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"securemail/cli"
)

// windowLibraries are the import path prefixes of Fyne and the graphics
// libraries under it. Linking any of them costs every command about 20 MB
// of memory and its start-up (docs/BENCHMARKS.md, "Command line without
// the window"), which is what this program exists to avoid.
var windowLibraries = []string{"fyne.io/", "github.com/fyne-io/", "github.com/go-gl/", "github.com/go-text/"}

// deps lists the packages pkg links, with `go list -deps`.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// windowDeps returns the packages among list that belong to a window library.
func windowDeps(list []string) []string {
	var found []string
	for _, p := range list {
		for _, prefix := range windowLibraries {
			if strings.HasPrefix(p, prefix) {
				found = append(found, p)
			}
		}
	}
	return found
}

// TestLinksNoWindowLibrary fails when a package the command line imports
// pulls Fyne (or OpenGL, GLFW, the text shaper) into securemail-cli. The
// window binary is the control: it must show them, or the check reads
// nothing.
func TestLinksNoWindowLibrary(t *testing.T) {
	if found := windowDeps(deps(t, "securemail/cmd/securemail-cli")); len(found) > 0 {
		t.Errorf("securemail-cli links %d window packages, first %s: a package of the command line imports the window's libraries; keep them in ui/ and the root package", len(found), found[0])
	}
	if found := windowDeps(deps(t, "securemail")); len(found) == 0 {
		t.Errorf("the window binary's dependency list shows no window library: the check above cannot see them")
	}
}

// TestSameCommandLine builds securemail-cli without cgo (as for Windows and
// servers) and checks that it is the command line of `securemail`: the same
// list of commands, the same version, the same exit statuses.
func TestSameCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	bin := filepath.Join(t.TempDir(), "securemail-cli")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	var usage bytes.Buffer
	cli.Usage(&usage)
	for _, c := range []struct {
		args   []string
		code   int
		stdout string
	}{
		{nil, cli.ExitOK, usage.String()},
		{[]string{"--help"}, cli.ExitOK, usage.String()},
		{[]string{"version"}, cli.ExitOK, "securemail " + cli.Version + "\n"},
		{[]string{"no-such-command"}, cli.ExitError, ""},
	} {
		cmd := exec.Command(bin, c.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if code != c.code || stdout.String() != c.stdout {
			t.Errorf("securemail-cli %v: exit %d, stdout %q (stderr %q); want exit %d, stdout %q", c.args, code, stdout.String(), stderr.String(), c.code, c.stdout)
		}
	}
}
