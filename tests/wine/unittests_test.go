package wine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// windowsPackages are the packages whose unit tests run under Wine in
// `make windows-test` (SECUREMAIL_WINE_FULL=1). Tests that need a Linux peer
// (Dovecot, Postfix, openssl, gpgsm, gnome-keyring, Xvfb) are kept out of the
// Windows build by their files' build constraints. The window (ui) and the
// Linux-only test harnesses are not in the list.
var windowsPackages = []string{
	"./app/...",
	"./internal/...",
	"./mailstore/...",
	"./pop3client/...",
	"./smime/...",
	"./smtpclient/...",
	"./testaaddr/...",
	"./testnet/...",
}

// windowsShortPackages are those `make test` runs under Wine: the packages
// where Windows differs (file writes and locks, names, network errors, the
// keyring, the profile), so that the Windows part of `make test` stays
// short; TestCLIEndToEndUnderWine covers the rest through the real program.
var windowsShortPackages = []string{
	"./app/keystore/...",
	"./app/profile/...",
	"./internal/durable/...",
	"./internal/filelock/...",
	"./internal/mailnet/...",
	"./internal/safefile/...",
	"./pop3client/...",
	"./smtpclient/...",
}

// TestUnitTestsUnderWine cross-compiles each package's tests for Windows
// (GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c) and runs them under
// Wine in one prefix. Every Windows test appears as a subtest
// <package>/<test> with its own verdict, so `make test`'s closing line counts
// them; a package that fails to build or crashes is one failed subtest.
func TestUnitTestsUnderWine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	goTool := goCommand(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	patterns := windowsShortPackages
	if os.Getenv("SECUREMAIL_WINE_FULL") == "1" {
		patterns = windowsPackages
	}
	if s := os.Getenv("SECUREMAIL_WINE_PACKAGES"); s != "" {
		patterns = strings.Fields(s) // a developer's focus, e.g. "./mailstore"
	}
	pkgs := listTestPackages(ctx, t, goTool, root, patterns)
	start := time.Now()
	p := NewPrefix(ctx, t)
	t.Logf("wine prefix ready in %s", time.Since(start).Round(100*time.Millisecond))

	bin := t.TempDir()
	buildArgs := []string{"test", "-c"}
	overlay, err := RemoveAllOverlay(ctx, goTool, bin)
	if err != nil {
		t.Fatal(err)
	}
	if overlay != "" {
		buildArgs = append(buildArgs, "-overlay", overlay)
	} else {
		t.Log("Go's Deleteat has changed: building without the Wine 8.0 overlay for os.RemoveAll")
	}
	for _, pkg := range pkgs {
		t.Run(strings.TrimPrefix(pkg.ImportPath, "securemail/"), func(t *testing.T) {
			exe := filepath.Join(bin, strings.ReplaceAll(pkg.ImportPath, "/", "_")+".test.exe")
			build := exec.CommandContext(ctx, goTool, append(buildArgs, "-o", exe, pkg.ImportPath)...)
			build.Dir = root
			build.Env = GoEnv()
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("building the Windows test binary of %s: %v\n%s", pkg.ImportPath, err, out)
			}
			runUnderWine(ctx, t, p, goTool, pkg, exe)
		})
	}
}

// testPackage is what `go list` says about a package with tests.
type testPackage struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
}

// listTestPackages lists the packages matching patterns that have test
// files in their Windows build.
func listTestPackages(ctx context.Context, t *testing.T, goTool, root string, patterns []string) []testPackage {
	t.Helper()
	cmd := exec.CommandContext(ctx, goTool, append([]string{"list", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles"}, patterns...)...)
	cmd.Dir = root
	cmd.Env = GoEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list for windows: %v\n%s", err, stderr.String())
	}
	var pkgs []testPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p testPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no package with tests for windows")
	}
	return pkgs
}

// testEvent is one line of test2json output.
type testEvent struct {
	Action string
	Test   string
	Output string
}

// testResult is the verdict and output of one Windows test.
type testResult struct {
	action string
	output strings.Builder
}

// runUnderWine runs a Windows test binary in the package's folder (where
// its testdata is) and reports each of its tests as a subtest of t.
func runUnderWine(ctx context.Context, t *testing.T, p *Prefix, goTool string, pkg testPackage, exe string) {
	t.Helper()
	run := p.Command(ctx, exe, "-test.v=test2json", "-test.count=1", "-test.timeout=8m")
	run.Dir = pkg.Dir
	var raw bytes.Buffer
	run.Stdout, run.Stderr = &raw, &raw
	runErr := run.Run()

	conv := exec.CommandContext(ctx, goTool, "tool", "test2json", "-p", pkg.ImportPath)
	conv.Stdin = bytes.NewReader(raw.Bytes())
	js, err := conv.Output()
	if err != nil {
		t.Fatalf("go tool test2json: %v", err)
	}
	var order []string
	results := map[string]*testResult{}
	var pkgOutput strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(js))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e testEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			continue
		}
		if e.Test == "" {
			if e.Action == "output" {
				pkgOutput.WriteString(e.Output)
			}
			continue
		}
		r := results[e.Test]
		if r == nil {
			r = &testResult{}
			results[e.Test] = r
			order = append(order, e.Test)
		}
		switch e.Action {
		case "output":
			r.output.WriteString(e.Output)
		case "pass", "fail", "skip":
			r.action = e.Action
		}
	}
	failed := false
	for _, name := range order {
		r := results[name]
		if r.action == "fail" || r.action == "" {
			failed = true
		}
		t.Run(name, func(t *testing.T) {
			switch r.action {
			case "pass":
			case "skip":
				if strings.Contains(r.output.String(), "not installed") {
					// testenv.RequireTool says "… is not installed": a Linux peer.
					t.Fatalf("needs a Linux peer, so its file must carry //go:build !windows (with a comment saying why) rather than skip under Wine:\n%s", r.output.String())
				}
				t.Skip("under Wine: " + strings.TrimSpace(r.output.String()))
			case "fail":
				t.Errorf("failed under Wine:\n%s", r.output.String())
			default:
				t.Errorf("did not finish under Wine (crash or timeout):\n%s", r.output.String())
			}
		})
	}
	if runErr != nil && !failed {
		t.Errorf("%s under Wine: %v\n%s", filepath.Base(exe), runErr, tail(pkgOutput.String(), 4000))
	}
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// goCommand is the go tool the tests were started with.
func goCommand(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	t.Fatal("the go command is not on PATH: it cross-compiles the Windows tests")
	return ""
}
