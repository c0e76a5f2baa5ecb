package packaging

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"securemail/tests/testenv"
)

// msiTable reads one table of an MSI with msitools' msiinfo: one map per row,
// keyed by column name.
func msiTable(t *testing.T, msi, table string) []map[string]string {
	t.Helper()
	out := run(t, "", testenv.RequireTool(t, "msiinfo", "msitools"), "export", msi, table)
	lines := strings.Split(strings.TrimRight(out, "\r\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("msiinfo export %s: %q", table, out)
	}
	cols := strings.Split(strings.TrimRight(lines[0], "\r"), "\t")
	var rows []map[string]string
	for _, l := range lines[3:] {
		vals := strings.Split(strings.TrimRight(l, "\r"), "\t")
		row := map[string]string{}
		for i, c := range cols {
			if i < len(vals) {
				row[c] = vals[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// standIns returns a folder with stand-ins for the files scripts/windows.sh
// gives wixl: the two programs and the icon.
func standIns(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"SecureMail.exe", "securemail-cli.exe", "SecureMail.ico"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("stand-in for "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildMSI runs wixl on packaging/windows/SecureMail.wxs with the .exe files
// found in dir.
func buildMSI(t *testing.T, dir string) string {
	t.Helper()
	wixl := testenv.RequireTool(t, "wixl", "wixl")
	msi := filepath.Join(t.TempDir(), "SecureMail.msi")
	wxs, err := filepath.Abs(filepath.Join(root, "packaging/windows/SecureMail.wxs"))
	if err != nil {
		t.Fatal(err)
	}
	// (wixl finds a File's Source only relative to its working folder.)
	run(t, dir, wixl, "-a", "x64", "-D", "Version="+fyneVersion(t), "-D", "SourceDir=.", "-o", msi, wxs)
	return msi
}

// TestMSIAuthoring builds the installer around stand-in files (the real
// program takes minutes to cross-compile; make windows-package-test builds that)
// and checks what Windows Installer will do with it.
func TestMSIAuthoring(t *testing.T) {
	checkMSI(t, buildMSI(t, standIns(t)))
}

// checkMSI asserts the installer's behaviour as a user and an administrator
// see it: per-user without elevation into %LOCALAPPDATA%\Programs\SecureMail,
// a Start-menu shortcut, mailto: links offered to SecureMail, both programs,
// and nothing that could remove the user's profile or mail.
func checkMSI(t *testing.T, msi string) {
	t.Helper()
	props := map[string]string{}
	for _, r := range msiTable(t, msi, "Property") {
		props[r["Property"]] = r["Value"]
	}
	if props["ALLUSERS"] != "2" || props["MSIINSTALLPERUSER"] != "1" {
		t.Errorf("ALLUSERS=%q MSIINSTALLPERUSER=%q; want 2 and 1 (per-user install)", props["ALLUSERS"], props["MSIINSTALLPERUSER"])
	}
	if props["ProductVersion"] != fyneVersion(t) || props["ProductName"] != "SecureMail" {
		t.Errorf("product %q %q; want SecureMail %s", props["ProductName"], props["ProductVersion"], fyneVersion(t))
	}
	suminfo := run(t, "", testenv.RequireTool(t, "msiinfo", "msitools"), "suminfo", msi)
	if words := field(suminfo, "Source"); words == "" || mustAtoi(t, words)&8 == 0 {
		t.Errorf("word count %q: the package asks for elevation (bit 8 unset)", words)
	}

	// Directories: INSTALLDIR = LocalAppDataFolder\Programs\SecureMail, nothing else owned.
	dirs := map[string]map[string]string{}
	for _, r := range msiTable(t, msi, "Directory") {
		dirs[r["Directory"]] = r
	}
	path := func(id string) string {
		var parts []string
		for id != "" && id != "TARGETDIR" {
			r := dirs[id]
			if r["DefaultDir"] == "." {
				parts = append([]string{id}, parts...)
			} else {
				parts = append([]string{r["DefaultDir"]}, parts...)
			}
			id = r["Directory_Parent"]
		}
		return strings.Join(parts, `\`)
	}
	if got := path("INSTALLDIR"); got != `LocalAppDataFolder\Programs\SecureMail` {
		t.Errorf("INSTALLDIR is %s", got)
	}
	for id := range dirs {
		if p := path(id); strings.EqualFold(p, `LocalAppDataFolder\SecureMail`) || strings.HasPrefix(p, "AppDataFolder") {
			t.Errorf("the installer owns %s, where the user's mail or profile lives", p)
		}
	}
	for _, r := range msiTable(t, msi, "RemoveFile") {
		if r["DirProperty"] != "INSTALLDIR" || r["FileName"] != "" {
			t.Errorf("uninstall removes %q in %s: only the empty program folder may go", r["FileName"], path(r["DirProperty"]))
		}
	}
	files := map[string]bool{}
	for _, r := range msiTable(t, msi, "File") {
		files[r["FileName"]] = true
	}
	if !files["SecureMail.exe"] || !files["securemail-cli.exe"] || len(files) != 2 {
		t.Errorf("files %v; want SecureMail.exe and securemail-cli.exe", files)
	}

	sc := msiTable(t, msi, "Shortcut")
	if len(sc) != 1 || sc[0]["Directory_"] != "ProgramMenuFolder" || sc[0]["Target"] != `[INSTALLDIR]SecureMail.exe` || sc[0]["Name"] != "SecureMail" {
		t.Errorf("Start-menu shortcut: %v", sc)
	}

	reg := map[string]string{}
	for _, r := range msiTable(t, msi, "Registry") {
		if r["Root"] != "1" {
			t.Errorf("registry value outside HKCU (root %s): %s", r["Root"], r["Key"])
		}
		reg[r["Key"]+`\\`+r["Name"]] = r["Value"]
	}
	open := `"[INSTALLDIR]SecureMail.exe" "%1"`
	for key, want := range map[string]string{
		`Software\Classes\mailto\shell\open\command\\`:             open,
		`Software\Classes\mailto\\URL Protocol`:                    "",
		`Software\Classes\SecureMail.mailto\shell\open\command\\`:  open,
		`Software\SecureMail\Capabilities\URLAssociations\\mailto`: "SecureMail.mailto",
		`Software\RegisteredApplications\\SecureMail`:              `Software\SecureMail\Capabilities`,
		`Software\SecureMail\Capabilities\\ApplicationName`:        "SecureMail",
	} {
		if got, ok := reg[key]; !ok || got != want {
			t.Errorf(`HKCU\%s = %q (present: %v); want %q`, key, got, ok, want)
		}
	}
}

// field returns the value of "Name: value" in msiinfo suminfo's output.
func field(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, name+": "); ok {
			return strings.Fields(v)[0]
		}
	}
	return ""
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}
