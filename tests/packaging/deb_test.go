package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"securemail/tests/testenv"
)

// TestDeb builds the Debian package with scripts/deb.sh and checks it as
// Debian's lintian and a user installing it would: no lintian error, the
// two programs (securemail and securemail-cli), .desktop file, icon,
// copyright and changelog where Debian keeps them, and the libraries the
// window needs in Depends.
func TestDeb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole program")
	}
	testenv.RequireTool(t, "dpkg-deb", "dpkg")
	testenv.RequireTool(t, "dpkg-shlibdeps", "dpkg-dev")
	lintian := testenv.RequireTool(t, "lintian", "lintian")
	bin := filepath.Join(t.TempDir(), "securemail")
	build := exec.Command("go", "build", "-ldflags", "-s -w", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	out := run(t, root, "bash", "scripts/deb.sh", dir, bin)
	debs, _ := filepath.Glob(filepath.Join(dir, "securemail_"+fyneVersion(t)+"_*.deb"))
	if len(debs) != 1 {
		t.Fatalf("scripts/deb.sh said %q and wrote %q", out, debs)
	}
	deb := debs[0]
	if st, err := os.Stat(deb); err != nil {
		t.Fatalf("scripts/deb.sh said %q: %v", out, err)
	} else {
		t.Logf("%s: %d bytes", filepath.Base(deb), st.Size())
	}

	contents := run(t, "", "dpkg-deb", "-c", deb)
	for _, want := range []string{
		"-rwxr-xr-x root/root .* ./usr/bin/securemail$",
		"-rwxr-xr-x root/root .* ./usr/bin/securemail-cli$",
		"-rw-r--r-- root/root .* ./usr/share/applications/eu.tachonet.securemail.desktop$",
		"./usr/share/icons/hicolor/512x512/apps/eu.tachonet.securemail.png$",
		"./usr/share/icons/hicolor/scalable/apps/eu.tachonet.securemail.svg$",
		"./usr/share/doc/securemail/copyright$",
		"./usr/share/doc/securemail/changelog.gz$",
	} {
		if !containsLine(contents, want) {
			t.Errorf("the package lacks %s:\n%s", want, contents)
		}
	}
	control := run(t, "", "dpkg-deb", "-f", deb, "Package", "Version", "Depends")
	for _, want := range []string{"Package: securemail", "Version: " + fyneVersion(t), "libgl1", "libx11-6", "libc6 (>= "} {
		if !strings.Contains(control, want) {
			t.Errorf("control lacks %q:\n%s", want, control)
		}
	}

	cmd := exec.Command(lintian, "--tag-display-limit", "0", deb)
	report, err := cmd.CombinedOutput()
	if err != nil { // lintian exits 1 on errors (and 2 when it cannot run)
		t.Errorf("lintian: %v", err)
	}
	for _, l := range strings.Split(string(report), "\n") {
		if strings.HasPrefix(l, "E: ") {
			t.Errorf("lintian error: %s", l)
		}
	}
	t.Logf("lintian:\n%s", report)
}

// containsLine reports whether a line of text matches the regular expression.
func containsLine(text, re string) bool {
	return regexp.MustCompile(`(?m)` + re).MatchString(text)
}
