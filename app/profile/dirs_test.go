package profile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// inside reports whether folder a is b or inside b, with either separator,
// comparing names case-insensitively when fold (as Windows and macOS do).
func inside(a, b string, fold bool) bool {
	norm := func(s string) string {
		s = strings.TrimRight(strings.ReplaceAll(s, `\`, "/"), "/")
		if fold {
			s = strings.ToLower(s)
		}
		return s
	}
	a, b = norm(a), norm(b)
	return a == b || strings.HasPrefix(a, b+"/")
}

// insideFold is inside with names compared case-insensitively.
func insideFold(a, b string) bool { return inside(a, b, true) }

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsPerSystem(t *testing.T) {
	for _, tc := range []struct {
		goos string
		env  map[string]string
		want Dirs
	}{
		{"linux", map[string]string{"HOME": "/home/anna"}, Dirs{
			Profile: "/home/anna/.config/SecureMail",
			Mail:    "/home/anna/.config/SecureMail/mail",
			Network: "/home/anna/.config/securemail/testnet",
		}},
		{"linux", map[string]string{"HOME": "/home/anna", "XDG_CONFIG_HOME": "/srv/cfg/"}, Dirs{
			Profile: "/srv/cfg/SecureMail",
			Mail:    "/srv/cfg/SecureMail/mail",
			Network: "/srv/cfg/securemail/testnet",
		}},
		{"windows", map[string]string{"APPDATA": `C:\Users\anna\AppData\Roaming`, "LOCALAPPDATA": `C:\Users\anna\AppData\Local\`}, Dirs{
			Profile: `C:\Users\anna\AppData\Roaming\SecureMail`,
			Mail:    `C:\Users\anna\AppData\Local\SecureMail\mail`,
			Network: `C:\Users\anna\AppData\Local\SecureMail\testnet`,
		}},
		{"darwin", map[string]string{"HOME": "/Users/anna"}, Dirs{
			Profile: "/Users/anna/Library/Application Support/SecureMail",
			Mail:    "/Users/anna/Library/Application Support/SecureMail/mail",
			Network: "/Users/anna/Library/Application Support/SecureMail-testnet",
		}},
	} {
		t.Run(tc.goos, func(t *testing.T) {
			got, err := Defaults(tc.goos, env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			// The network is shared by the user's profiles: never inside
			// one, nor one inside it, nor it inside the mail store — with
			// names compared as the system compares them: case-insensitively
			// on Windows and macOS. (On Linux ~/.config/securemail/testnet
			// is not inside ~/.config/SecureMail, and stays where it was.)
			fold := tc.goos != "linux"
			for _, p := range [][2]string{{got.Network, got.Profile}, {got.Profile, got.Network}, {got.Network, got.Mail}, {got.Mail, got.Network}} {
				if inside(p[0], p[1], fold) {
					t.Errorf("%s is inside %s (case-insensitive: %v)", p[0], p[1], fold)
				}
			}
			// On Windows the large mail store stays out of the roaming profile.
			if tc.goos == "windows" && (insideFold(got.Mail, got.Profile) || insideFold(got.Profile, got.Mail)) {
				t.Errorf("the mail store %s and the profile %s nest", got.Mail, got.Profile)
			}
		})
	}
}

// TestOldWindowsLayoutWasNested: the check above catches the layout it
// replaces (the network's securemail\testnet under the profile's
// SecureMail in %APPDATA%).
func TestOldWindowsLayoutWasNested(t *testing.T) {
	if !insideFold(`C:\Users\anna\AppData\Roaming\securemail\testnet`, `C:\Users\anna\AppData\Roaming\SecureMail`) {
		t.Fatal("insideFold misses the old nesting")
	}
}

// TestDefaultsKeepTodaysFoldersOnThisSystem: on Linux the folders are
// exactly those of earlier releases (existing profiles and networks keep
// working); on Windows they are %APPDATA% and %LOCALAPPDATA%, as Go finds
// them.
func TestDefaultsKeepTodaysFoldersOnThisSystem(t *testing.T) {
	got, err := DefaultDirs()
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	switch runtime.GOOS {
	case "windows":
		local, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		want := Dirs{Profile: filepath.Join(config, "SecureMail"), Mail: filepath.Join(local, "SecureMail", "mail"), Network: filepath.Join(local, "SecureMail", "testnet")}
		if got != want {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	case "linux":
		want := Dirs{Profile: filepath.Join(config, "SecureMail"), Mail: filepath.Join(config, "SecureMail", "mail"), Network: filepath.Join(config, "securemail", "testnet")}
		if got != want {
			t.Errorf("got  %+v\nwant %+v (the folders of earlier releases)", got, want)
		}
	}
}

func TestDefaultsWithoutEnvironment(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		if _, err := Defaults(goos, env(nil)); !errors.Is(err, ErrNoHome) {
			t.Errorf("%s with no environment: %v, want ErrNoHome", goos, err)
		}
	}
	if _, err := Defaults("linux", env(map[string]string{"XDG_CONFIG_HOME": "rel/cfg", "HOME": "/h"})); !errors.Is(err, ErrNoHome) {
		t.Errorf("a relative XDG_CONFIG_HOME: %v, want ErrNoHome (as os.UserConfigDir)", err)
	}
}

// TestMailStaysInAGivenProfile: a profile given with --profile keeps its
// mail inside it (profiles never share state), and an existing mail folder
// inside a profile is always kept.
func TestMailStaysInAGivenProfile(t *testing.T) {
	dir := t.TempDir()
	p, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.MailDir != filepath.Join(p.Dir, "mail") {
		t.Errorf("MailDir %s, want %s", p.MailDir, filepath.Join(p.Dir, "mail"))
	}
}
