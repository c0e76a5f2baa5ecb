//go:build windowstest

// The full Windows build takes minutes on a cold cache (the cgo build of
// Fyne with mingw-w64), too long for every `make test`: `make windows-package-test`
// runs this file (go test -tags windowstest).

package packaging

import (
	"debug/pe"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"securemail/tests/testenv"
)

// TestWindowsArtefacts builds SecureMail.exe, securemail-cli.exe, the MSI and
// the zip with scripts/windows.sh and checks what Windows and its user see:
// a window program (no console on double-click) with its icon, version
// resource and manifest; a console command line; both stripped, both with a
// full version resource (company, product, version: go-winres's patch). The
// signing hook runs with a throw-away code-signing certificate made here, and every
// artefact must carry a signature that osslsigncode verifies against it.
func TestWindowsArtefacts(t *testing.T) {
	wrestool := testenv.RequireTool(t, "wrestool", "icoutils")
	osslsigncode := testenv.RequireTool(t, "osslsigncode", "osslsigncode")
	keys := t.TempDir()
	cert, key := filepath.Join(keys, "cert.pem"), filepath.Join(keys, "key.pem")
	run(t, "", testenv.RequireTool(t, "openssl", "openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
		"-keyout", key, "-out", cert, "-subj", "/CN=SecureMail test code signing", "-days", "2",
		"-addext", "extendedKeyUsage=codeSigning")
	out := buildWindows(t, "SIGN_CERT="+cert, "SIGN_KEY="+key)
	v := fyneVersion(t)
	for _, name := range []string{"SecureMail.exe", "securemail-cli.exe", "SecureMail-" + v + "-x64.msi", "SecureMail-" + v + "-windows-x64.zip"} {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %.1f MB", name, float64(st.Size())/1e6)
		if filepath.Ext(name) != ".zip" {
			run(t, "", osslsigncode, "verify", "-CAfile", cert, "-in", filepath.Join(out, name))
		}
	}

	gui := filepath.Join(out, "SecureMail.exe")
	checkPE(t, gui, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	checkPE(t, filepath.Join(out, "securemail-cli.exe"), pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)

	list := run(t, "", wrestool, "-l", gui)
	for _, typ := range []string{"--type=14", "--type=16", "--type=24"} { // icon group, version, manifest
		if !strings.Contains(list, typ) {
			t.Errorf("SecureMail.exe has no %s resource:\n%s", typ, list)
		}
	}
	checkManifest(t, []byte(run(t, "", wrestool, "-x", "--raw", "--type=24", gui)))
	checkVersionInfo(t, wrestool, gui, "SecureMail")
	checkVersionInfo(t, wrestool, filepath.Join(out, "securemail-cli.exe"), "SecureMail command line")
	checkMSI(t, filepath.Join(out, "SecureMail-"+v+"-x64.msi"))
}

// buildWindows builds the Windows artefacts with scripts/windows.sh (env
// added to the caller's) into a temporary folder and returns the folder.
func buildWindows(t *testing.T, env ...string) string {
	t.Helper()
	testenv.RequireTool(t, "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
	testenv.RequireTool(t, "wixl", "wixl")
	out := t.TempDir()
	start := time.Now()
	cmd := exec.Command("bash", "scripts/windows.sh", out)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/windows.sh: %v\n%s", err, b)
	}
	t.Logf("scripts/windows.sh took %s", time.Since(start).Round(time.Second))
	return out
}

// checkPE asserts a Windows executable's subsystem and that it is stripped
// (no COFF symbol table, no DWARF sections).
func checkPE(t *testing.T, path string, subsystem uint16) {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("%s is not a 64-bit program", path)
	}
	if oh.Subsystem != subsystem {
		t.Errorf("%s: subsystem %d, want %d", filepath.Base(path), oh.Subsystem, subsystem)
	}
	if f.FileHeader.NumberOfSymbols != 0 || len(f.Symbols) != 0 {
		t.Errorf("%s: %d symbols; want a stripped program", filepath.Base(path), len(f.Symbols))
	}
	for _, s := range f.Sections {
		// (Go's linker keeps a .symtab of 4 bytes: the empty COFF string table.)
		if strings.HasPrefix(s.Name, ".debug") || strings.HasPrefix(s.Name, ".zdebug") || s.Name == ".symtab" && s.VirtualSize > 4 {
			t.Errorf("%s: section %s; want a stripped program", filepath.Base(path), s.Name)
		}
	}
}

// checkVersionInfo asserts that exe has exactly one version resource and that
// it says what Explorer's Details tab shows: the company, copyright and product
// of packaging/windows/winres.json, the program's own description and file
// name, and FyneApp.toml's Version.Build as file and product version.
func checkVersionInfo(t *testing.T, wrestool, exe, description string) {
	t.Helper()
	name := filepath.Base(exe)
	if n := strings.Count(run(t, "", wrestool, "-l", "--type=16", exe), "--type=16"); n != 1 {
		t.Errorf("%s has %d version resources, want 1", name, n)
	}
	b, err := os.ReadFile(filepath.Join(root, "packaging", "windows", "winres.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Version struct {
			One struct {
				EnUS struct {
					Info struct {
						EnUS map[string]string `json:"0409"`
					} `json:"info"`
				} `json:"0409"`
			} `json:"#1"`
		} `json:"RT_VERSION"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("packaging/windows/winres.json: %v", err)
	}
	info := res.Version.One.EnUS.Info.EnUS
	if info["CompanyName"] == "" || info["LegalCopyright"] == "" {
		t.Fatalf("packaging/windows/winres.json names no CompanyName or LegalCopyright: %v", info)
	}
	v := fyneVersion(t) + "." + fyneBuild(t)
	// VS_VERSIONINFO: each string's key and value, NUL-terminated and padded.
	version := strings.Join(strings.FieldsFunc(utf16String([]byte(run(t, "", wrestool, "-x", "--raw", "--type=16", exe))),
		func(r rune) bool { return r == 0 }), "\x00")
	for key, want := range map[string]string{
		"CompanyName":      info["CompanyName"],
		"LegalCopyright":   info["LegalCopyright"],
		"ProductName":      "SecureMail",
		"FileDescription":  description,
		"OriginalFilename": name,
		"FileVersion":      v,
		"ProductVersion":   v,
	} {
		if !strings.Contains(version, key+"\x00"+want+"\x00") {
			t.Errorf("%s: the version resource lacks %s %q: %q", name, key, want, version)
		}
	}
}

// fyneBuild returns FyneApp.toml's Build number.
func fyneBuild(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Build\s*=\s*([0-9]+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Build")
	}
	return string(m[1])
}

// utf16String decodes the UTF-16LE text of a resource (odd trailing byte dropped).
func utf16String(b []byte) string {
	b = b[:len(b)&^1]
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}
