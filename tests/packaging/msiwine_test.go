package packaging

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemail/tests/wine"
)

// TestMSIInstallUnderWine installs the installer (around stand-in files, as
// TestMSIAuthoring) with msiexec in a fresh WINEPREFIX, as a user without
// administrator rights would, then uninstalls it: the program, the
// Start-menu shortcut and the mailto: handler come and go, the user's
// profile and mail stay.
func TestMSIInstallUnderWine(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	msi := buildMSI(t, standIns(t))
	p := wine.NewPrefix(ctx, t)
	msiexec := func(args ...string) {
		t.Helper()
		if out, err := p.Command(ctx, "msiexec", args...).CombinedOutput(); err != nil {
			t.Fatalf("msiexec %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	regCommand := func() (string, bool) {
		out, err := p.Command(ctx, "reg", "query", `HKCU\Software\Classes\mailto\shell\open\command`, "/ve").CombinedOutput()
		return string(out), err == nil
	}
	users := filepath.Join(p.Dir, "drive_c", "users")
	glob := func(pattern string) []string {
		m, _ := filepath.Glob(filepath.Join(users, "*", pattern))
		return m
	}

	msiexec("/i", wine.WindowsPath(msi), "/qn")
	exe := glob(`AppData/Local/Programs/SecureMail/SecureMail.exe`)
	if len(exe) != 1 || len(glob(`AppData/Local/Programs/SecureMail/securemail-cli.exe`)) != 1 {
		t.Fatalf("after install: %q; want SecureMail.exe and securemail-cli.exe in %%LOCALAPPDATA%%\\Programs\\SecureMail", exe)
	}
	if len(glob(`AppData/Roaming/Microsoft/Windows/Start Menu/Programs/SecureMail.lnk`)) != 1 {
		t.Error("no SecureMail shortcut in the user's Start menu")
	}
	if out, ok := regCommand(); !ok || !strings.Contains(out, `\AppData\Local\Programs\SecureMail\SecureMail.exe" "%1"`) {
		t.Errorf("mailto: handler after install: %s", out)
	}

	// The user's profile and mail, as SecureMail writes them.
	user := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(exe[0])))))
	kept := []string{filepath.Join(user, "AppData", "Roaming", "SecureMail", "settings.json"),
		filepath.Join(user, "AppData", "Local", "SecureMail", "mail", "1.eml")}
	for _, f := range kept {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("the user's"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	msiexec("/x", wine.WindowsPath(msi), "/qn")
	if left := glob(`AppData/Local/Programs/SecureMail`); len(left) != 0 {
		t.Errorf("after uninstall the program folder is still there: %q", left)
	}
	if len(glob(`AppData/Roaming/Microsoft/Windows/Start Menu/Programs/SecureMail.lnk`)) != 0 {
		t.Error("after uninstall the shortcut is still there")
	}
	if out, ok := regCommand(); ok {
		t.Errorf("after uninstall the mailto: handler is still registered: %s", out)
	}
	for _, f := range kept {
		if b, err := os.ReadFile(f); err != nil || string(b) != "the user's" {
			t.Errorf("uninstall touched %s: %v", f, err)
		}
	}
}
