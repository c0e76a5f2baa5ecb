package packaging

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"securemail/tests/testenv"
)

// root is the repository's top folder (the tests run in tests/packaging).
const root = "../.."

// win10 is the supportedOS GUID of Windows 10 and 11.
const win10 = "{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"

// fyneVersion is FyneApp.toml's Version, which every package carries.
func fyneVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([0-9.]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}

// run runs a command in dir and returns its standard output, failing the
// test with its output when it fails.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// manifest is the part of a Windows application manifest the tests read.
type manifest struct {
	Identity struct {
		Version string `xml:"version,attr"`
	} `xml:"assemblyIdentity"`
	SupportedOS []struct {
		ID string `xml:"Id,attr"`
	} `xml:"compatibility>application>supportedOS"`
	DPIAwareness string `xml:"application>windowsSettings>dpiAwareness"`
	DPIAware     string `xml:"application>windowsSettings>dpiAware"`
	Level        struct {
		Level string `xml:"level,attr"`
	} `xml:"trustInfo>security>requestedPrivileges>requestedExecutionLevel"`
}

// checkManifest asserts what Windows reads from SecureMail.exe's manifest:
// Windows 10+ (no compatibility shims), sharp on every monitor, no
// administrator prompt, the version FyneApp.toml gives.
func checkManifest(t *testing.T, data []byte) {
	t.Helper()
	var m manifest
	if err := xml.Unmarshal(data, &m); err != nil {
		t.Fatalf("the manifest is not XML: %v\n%s", err, data)
	}
	found := false
	for _, os := range m.SupportedOS {
		found = found || strings.EqualFold(os.ID, win10)
	}
	if !found {
		t.Errorf("the manifest does not declare Windows 10 (supportedOS %s): %+v", win10, m.SupportedOS)
	}
	if !strings.HasPrefix(m.DPIAwareness, "PerMonitorV2") || m.DPIAware != "true/pm" {
		t.Errorf("DPI awareness %q / %q; want PerMonitorV2 and true/pm", m.DPIAwareness, m.DPIAware)
	}
	if m.Level.Level != "asInvoker" {
		t.Errorf("requestedExecutionLevel %q; want asInvoker (a per-user program)", m.Level.Level)
	}
	if want := fyneVersion(t) + ".0"; m.Identity.Version != want {
		t.Errorf("the manifest's version %q; FyneApp.toml says %q", m.Identity.Version, want)
	}
}

// TestWindowsManifestSource checks the manifest fyne package embeds (it reads
// <executable>.manifest beside package main, the executable being named
// after the module).
func TestWindowsManifestSource(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "securemail.exe.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	checkManifest(t, b)
}

// TestDesktopFile: the desktop lists SecureMail under Internet / Email,
// finds it by real keywords, groups its windows under its launcher and
// offers it for mailto: links, passing the link on the command line.
func TestDesktopFile(t *testing.T) {
	validate := testenv.RequireTool(t, "desktop-file-validate", "desktop-file-utils")
	file := filepath.Join(root, "packaging/linux/eu.tachonet.securemail.desktop")
	if out, err := exec.Command(validate, file).CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("desktop-file-validate: %v\n%s", err, out)
	}
	entry := desktopEntry(t, file)
	for key, want := range map[string]string{
		"Exec":           "securemail %u",
		"Categories":     "Network;Email;",
		"MimeType":       "x-scheme-handler/mailto;",
		"StartupWMClass": "SecureMail", // GLFW's WM_CLASS: the main window's title, or RESOURCE_NAME (gui.go)
		"Icon":           "eu.tachonet.securemail",
	} {
		if entry[key] != want {
			t.Errorf("%s=%q, want %q", key, entry[key], want)
		}
	}
	kw := ";" + strings.ToLower(entry["Keywords"])
	for _, w := range []string{"mail", "e-mail", "s/mime", "encrypt", "sign", "testa"} {
		if !strings.Contains(kw, ";"+w+";") {
			t.Errorf("Keywords %q lack %q", entry["Keywords"], w)
		}
	}
	if strings.Contains(kw, ";fyne;") || entry["Comment"] == "" {
		t.Errorf("Keywords %q / Comment %q: the Fyne defaults", entry["Keywords"], entry["Comment"])
	}
}

// desktopEntry reads the [Desktop Entry] group of a .desktop file.
func desktopEntry(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	entry := map[string]string{}
	group := ""
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == "[Desktop Entry]" {
			entry[k] = v
		}
	}
	return entry
}
