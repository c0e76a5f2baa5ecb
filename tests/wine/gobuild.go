package wine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"securemail/tests/testenv"
)

// The case in Go's internal/syscall/windows.Deleteat that falls back to the
// pre-Windows-10 way of deleting a file. Wine 8.0 answers the newer way
// (FileDispositionInformationEx) with STATUS_NOT_IMPLEMENTED where Windows
// answers STATUS_INVALID_INFO_CLASS, so without the fallback os.RemoveAll of
// a folder tree fails under Wine ("unlinkat …: Invalid function.") — and with
// it every t.TempDir cleanup.
const (
	deleteatFile   = "src/internal/syscall/windows/at_windows.go"
	deleteatAnchor = "\t\tSTATUS_NOT_SUPPORTED:"
	deleteatAdd    = "\t\tNTStatus(0xC0000002), // STATUS_NOT_IMPLEMENTED: what Wine 8.0 answers\n"
)

// GoEnv is the environment for cross-compiling Go programs that run under
// Wine: the caller's, with GOOS=windows, GOARCH=amd64 and CGO_ENABLED=0.
func GoEnv() []string {
	return append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
}

// RemoveAllOverlay writes into dir a `go build -overlay` file that adds Wine
// 8.0's answer to the fallback case of Go's Deleteat (see deleteatFile), and
// returns its path, or "" when this Go's source has no such case to extend.
// Only the test binaries run under Wine use it: on Windows 10 and later the
// unpatched code works, so the shipped program is built without it.
func RemoveAllOverlay(ctx context.Context, goTool, dir string) (string, error) {
	out, err := testenv.Run(ctx, nil, goTool, "env", "GOROOT")
	if err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	orig := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(deleteatFile))
	src, err := os.ReadFile(orig)
	if err != nil {
		return "", fmt.Errorf("wine: reading Go's source: %w", err)
	}
	s := string(src)
	i := strings.Index(s, deleteatAnchor)
	if i < 0 || strings.Count(s, deleteatAnchor) != 1 {
		return "", nil
	}
	patched := filepath.Join(dir, "at_windows.go")
	if err := os.WriteFile(patched, []byte(s[:i]+deleteatAdd+s[i:]), 0o644); err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	b, err := json.Marshal(map[string]map[string]string{"Replace": {orig: patched}})
	if err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlay, b, 0o644); err != nil {
		return "", fmt.Errorf("wine: %w", err)
	}
	return overlay, nil
}
