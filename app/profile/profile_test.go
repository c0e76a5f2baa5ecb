package profile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestNewProfileHasNoAccountAndDefaults(t *testing.T) {
	p, err := Open(filepath.Join(t.TempDir(), "p"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Load()
	if !errors.Is(err, ErrNoAccount) {
		t.Fatalf("Load on a new profile: %v", err)
	}
	if !s.Security.SignAll || !s.Security.EncryptAll || time.Duration(s.CheckEvery) != 5*time.Minute {
		t.Fatalf("defaults are not the seed's: %+v", s)
	}
	// Windows file modes carry no permission bits (only read-only); there
	// the profile lives in the user's own %APPDATA%.
	if fi, _ := os.Stat(p.Dir); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("profile folder mode %v, want 0700", fi.Mode().Perm())
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	p, _ := Open(t.TempDir())
	s := DefaultSettings()
	s.Account = Account{Address: "Marie.Curie@tcn.f.eu-admin.net",
		POP3: Server{Address: "127.0.0.1:1110", TLS: "starttls", Username: "marie"}}
	s.Security.EncryptAll = false
	s.LeaveOnServerDays = 7
	if err := p.Save(s); err != nil {
		t.Fatal(err)
	}
	got, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Account != s.Account || got.Security != s.Security || got.LeaveOnServerDays != 7 || got.CheckEvery != s.CheckEvery {
		t.Fatalf("round trip: got %+v, want %+v", got, s)
	}
	// Windows file modes carry no permission bits (only read-only).
	if fi, _ := os.Stat(p.Path("settings.json")); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("settings.json mode %v", fi.Mode().Perm())
	}
}

func TestDamagedSettingsSaySo(t *testing.T) {
	p, _ := Open(t.TempDir())
	os.WriteFile(p.Path("settings.json"), []byte("{not json"), 0o600)
	_, err := p.Load()
	if err == nil || errors.Is(err, ErrNoAccount) {
		t.Fatalf("damaged settings: %v", err)
	}
}

// TestWindowAppIDPerProfile: two profiles open at once never share the
// window toolkit's preferences file (the cause of "Preferences load error:
// EOF"), and one profile keeps its ID from one start to the next.
func TestWindowAppIDPerProfile(t *testing.T) {
	a, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Open(a.Dir + string(filepath.Separator))
	if err != nil {
		t.Fatal(err)
	}
	if a.WindowAppID() == b.WindowAppID() {
		t.Fatalf("two profiles share the window ID %q", a.WindowAppID())
	}
	if a.WindowAppID() != again.WindowAppID() {
		t.Fatalf("one profile, two IDs: %q and %q", a.WindowAppID(), again.WindowAppID())
	}
	if !strings.HasPrefix(a.WindowAppID(), "eu.tachonet.securemail.") {
		t.Fatalf("ID %q", a.WindowAppID())
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("APPDATA", os.Getenv("XDG_CONFIG_HOME"))
	t.Setenv("HOME", os.Getenv("XDG_CONFIG_HOME"))
	def, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	if def.WindowAppID() != "eu.tachonet.securemail" {
		t.Fatalf("the default profile's ID is %q; want the plain one (desktop entry, notifications)", def.WindowAppID())
	}
}

// TestOldCleartextKeyStillRead: a settings file written before the
// permission was named allow_cleartext_login keeps its meaning, and is
// written back under the new name.
func TestOldCleartextKeyStillRead(t *testing.T) {
	p, _ := Open(t.TempDir())
	old := `{"version":1,"account":{"address":"Marie.Curie@tcn.f.eu-admin.net",
	 "pop3":{"address":"127.0.0.1:110","tls":"none","username":"marie","allow_cleartext":true},
	 "smtp":{"address":"127.0.0.1:25","tls":"starttls","username":"marie"}}}`
	if err := os.WriteFile(p.Path("settings.json"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !s.Account.POP3.AllowCleartextLogin || s.Account.SMTP.AllowCleartextLogin || s.Account.POP3.Username != "marie" {
		t.Fatalf("old key: POP3 %+v, SMTP %+v", s.Account.POP3, s.Account.SMTP)
	}
	if err := p.Save(s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p.Path("settings.json"))
	if !strings.Contains(string(b), `"allow_cleartext_login": true`) || strings.Contains(string(b), `"allow_cleartext":`) {
		t.Errorf("saved settings do not use the new key:\n%s", b)
	}
}
