// Package wine runs Windows programs under Wine for the tests, so a Windows
// regression shows up in `make test` on Linux.
//
// A Prefix is a fresh WINEPREFIX owned by one test: NewPrefix builds the stub
// bcryptprimitives.dll (Go's runtime needs ProcessPrng, which Wine 8.0 lacks;
// see stub/bcryptprimitives.c) with mingw-w64, initialises the prefix with
// wineboot and puts the stub in its system32. Programs run with
// WINEDLLOVERRIDES=bcryptprimitives=n, WINEDEBUG=-all and no DISPLAY. When the
// test ends, the prefix's wineserver (and with it every Windows process of
// that prefix, nothing else) is stopped and the prefix removed.
//
// In CI (CI=true) a missing wine or mingw-w64 fails the test; elsewhere it
// skips it, naming the Debian package.
package wine

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/tests/testenv"
)

// The stub's source, kept in the repository and compiled at test time.
var (
	//go:embed stub/bcryptprimitives.c
	stubC []byte
	//go:embed stub/bcryptprimitives.def
	stubDef []byte
)

// Compiler is the mingw-w64 C compiler that builds the stub DLL.
const Compiler = "x86_64-w64-mingw32-gcc"

// Prefix is a WINEPREFIX owned by one test.
type Prefix struct {
	// Dir is the prefix folder (its drive_c is C:).
	Dir        string
	wine       string
	wineserver string
}

// Require checks that Wine and mingw-w64 are installed and returns the path
// of wine. A missing tool fails the test in CI and skips it elsewhere.
func Require(t testing.TB) string {
	t.Helper()
	testenv.RequireTool(t, Compiler, "gcc-mingw-w64-x86-64")
	testenv.RequireTool(t, "wineboot", "wine")
	testenv.RequireTool(t, "wineserver", "wine")
	return testenv.RequireTool(t, "wine", "wine wine64")
}

// NewPrefix creates a fresh WINEPREFIX under the test's temporary folder,
// ready to run 64-bit Go programs. The prefix's wineserver is stopped when
// the test ends. Creating a prefix takes 10-30 s (wineboot).
func NewPrefix(ctx context.Context, t testing.TB) *Prefix {
	t.Helper()
	wine := Require(t)
	ws, _ := exec.LookPath("wineserver")
	root := t.TempDir()
	p := &Prefix{Dir: filepath.Join(root, "prefix"), wine: wine, wineserver: ws}
	t.Cleanup(p.stop)

	dll, err := BuildStub(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	boot := exec.CommandContext(ctx, "wineboot", "--init")
	boot.Env = p.Env()
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("wine: wineboot --init in %s: %v\n%s", p.Dir, err, out)
	}
	sys32 := filepath.Join(p.Dir, "drive_c", "windows", "system32")
	b, err := os.ReadFile(dll)
	if err == nil {
		err = os.WriteFile(filepath.Join(sys32, "bcryptprimitives.dll"), b, 0o644)
	}
	if err != nil {
		t.Fatalf("wine: putting the stub DLL into %s: %v", sys32, err)
	}
	return p
}

// BuildStub compiles stub/bcryptprimitives.c into dir/bcryptprimitives.dll
// with mingw-w64 and returns the DLL's path.
func BuildStub(ctx context.Context, dir string) (string, error) {
	src := filepath.Join(dir, "bcryptprimitives.c")
	def := filepath.Join(dir, "bcryptprimitives.def")
	dll := filepath.Join(dir, "bcryptprimitives.dll")
	if err := os.WriteFile(src, stubC, 0o644); err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	if err := os.WriteFile(def, stubDef, 0o644); err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	if _, err := testenv.Run(ctx, nil, Compiler, "-shared", "-O2", "-s", "-o", dll, src, def, "-ladvapi32"); err != nil {
		return "", fmt.Errorf("wine: building the stub bcryptprimitives.dll: %w", err)
	}
	return dll, nil
}

// Env is the environment Windows programs of this prefix run with: the
// caller's, with this WINEPREFIX, the stub DLL preferred over Wine's, Wine's
// own debug output off and no display (console programs need none).
func (p *Prefix) Env() []string {
	env := make([]string, 0, len(os.Environ())+3)
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "WINEPREFIX", "WINEDLLOVERRIDES", "WINEDEBUG", "DISPLAY", "WAYLAND_DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "WINEPREFIX="+p.Dir, "WINEDLLOVERRIDES=bcryptprimitives=n", "WINEDEBUG=-all")
}

// Command returns a command that runs the Windows program exe (a Linux path)
// with args under this prefix. Set Dir, Stdin and so on as for any command;
// add to Env rather than replacing it.
func (p *Prefix) Command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, p.wine, append([]string{exe}, args...)...)
	cmd.Env = p.Env()
	// wine's own process may end before the Windows program's children;
	// do not let a leftover pipe holder block Wait for ever.
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// WindowsPath is the path a Windows program of this prefix sees for the
// Linux path path: Wine maps / to drive Z:.
func WindowsPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// stop ends this prefix's wineserver, and with it every Windows process
// running in the prefix, and waits until it has gone.
func (p *Prefix) stop() {
	if p.wineserver == "" {
		return
	}
	if _, err := os.Stat(p.Dir); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, arg := range []string{"-k", "-w"} {
		cmd := exec.CommandContext(ctx, p.wineserver, arg)
		cmd.Env = p.Env()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		_ = cmd.Run() // -k fails when no wineserver runs: nothing to stop
	}
}
