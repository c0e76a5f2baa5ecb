// Package profile is SecureMail's data folder: the settings of one account,
// the trusted authorities, the user's own Digital IDs (certificates only —
// private keys and passwords live in the OS keyring), and the mail store.
// Two profiles never share a file or a keyring entry.
package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"securemail/internal/durable"
	"securemail/internal/filelock"
)

// Settings are what the user chooses; they are stored as settings.json.
type Settings struct {
	Version  int      `json:"version"`
	Account  Account  `json:"account"`
	Security Security `json:"security"`
	// CheckEvery is how often the app fetches new mail; 0 means never automatically.
	CheckEvery Duration `json:"check_every"`
	// LeaveOnServerDays keeps fetched mail on the server for that many days;
	// 0 deletes it once it is safely stored here; -1 keeps it for ever.
	LeaveOnServerDays int `json:"leave_on_server_days"`
	// HarvestDigitalIDs adds the Digital IDs of validly signed mail to the
	// address book automatically.
	HarvestDigitalIDs bool `json:"harvest_digital_ids"`
	// Bundled is true when the account uses the bundled offline network.
	Bundled bool `json:"bundled,omitempty"`
	// Language is the window's language for this profile ("fr", a file of
	// ui/i18n/translations); "" follows the system. It applies at the next
	// start. The command line stays English.
	Language string `json:"language,omitempty"`
	// MaxMessageSize is the largest message, in octets as sent (after
	// base64 and encryption), the composer accepts when the SMTP server
	// has not said its own limit (SIZE); 0 means 10 MB.
	MaxMessageSize int64 `json:"max_message_size,omitempty"`
	// ServerMaxSize is the SMTP server's SIZE limit as it last said it
	// (0: not known yet), with ServerMaxSizeOf the server it is for.
	ServerMaxSize   int64  `json:"server_max_size,omitempty"`
	ServerMaxSizeOf string `json:"server_max_size_of,omitempty"`
}

// Account is the mail account: the TESTA address and its servers.
type Account struct {
	Address     string `json:"address"`
	DisplayName string `json:"display_name,omitempty"`
	POP3        Server `json:"pop3"`
	SMTP        Server `json:"smtp"`
	// ServerCA is a file in the profile folder holding the CA that issued the
	// servers' TLS certificates, when they are private ("" = system roots).
	ServerCA string `json:"server_ca,omitempty"`
}

// Server is one mail server. The password is not here: it is in the keyring.
type Server struct {
	Address  string `json:"address"` // host:port
	TLS      string `json:"tls"`     // none | starttls | implicit
	Username string `json:"username"`
	// AllowCleartextLogin permits sending the password on a connection
	// without TLS (a test network only). Settings written before it had
	// this name say "allow_cleartext"; UnmarshalJSON reads both.
	AllowCleartextLogin bool `json:"allow_cleartext_login,omitempty"`
}

// UnmarshalJSON reads a server, taking the old key "allow_cleartext" as
// AllowCleartextLogin.
func (s *Server) UnmarshalJSON(b []byte) error {
	type plain Server // without this method
	var v struct {
		plain
		Old bool `json:"allow_cleartext"`
	}
	v.plain = plain(*s)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Server(v.plain)
	s.AllowCleartextLogin = s.AllowCleartextLogin || v.Old
	return nil
}

// Security holds the seed's defaults for outgoing mail.
type Security struct {
	SignAll    bool `json:"sign_all"`
	EncryptAll bool `json:"encrypt_all"`
	// ShowSubjectOutside leaves the real Subject on the outside of encrypted
	// mail. Off by default: an encrypted message's outer Subject is "[...]",
	// the real one travels protected inside (RFC 9788 header protection).
	ShowSubjectOutside bool `json:"show_subject_outside,omitempty"`
}

// Duration is a time.Duration written as text ("5m0s") in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a duration written as text.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("profile: a duration must be text such as \"5m\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	*d = Duration(v)
	return nil
}

// DefaultSettings are the calm defaults of docs/UX.md §5: sign and encrypt all
// outgoing mail, check every 5 minutes, delete from the server once stored,
// harvest Digital IDs from validly signed mail.
func DefaultSettings() Settings {
	return Settings{
		Version:           1,
		Security:          Security{SignAll: true, EncryptAll: true},
		CheckEvery:        Duration(5 * time.Minute),
		HarvestDigitalIDs: true,
	}
}

// Profile is an opened data folder.
type Profile struct {
	Dir string
	// MailDir is the mail store's folder: Dir/mail, except for the default
	// profile on Windows, whose mail is kept apart (see [Defaults]).
	MailDir string
}

// ErrNoAccount means the profile has no account yet (the first-run wizard or
// `securemail account setup` creates it).
var ErrNoAccount = errors.New("profile: no account is set up yet; run the first-run wizard or 'securemail account setup'")

// DefaultDir is the profile folder used when none is given: SecureMail
// under the OS configuration folder ([DefaultDirs]).
func DefaultDir() (string, error) {
	d, err := DefaultDirs()
	if err != nil {
		return "", err
	}
	return d.Profile, nil
}

// Open opens (creating if needed, mode 0700) the profile folder dir.
func Open(dir string) (*Profile, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	for _, sub := range []string{"", "trust", "ids", "contacts"} {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o700); err != nil {
			return nil, fmt.Errorf("profile: cannot create the profile folder %s: %w", abs, err)
		}
	}
	return &Profile{Dir: abs, MailDir: mailDir(abs)}, nil
}

// mailDir is the mail store's folder for the profile in dir: dir/mail when
// it exists or dir is not the default profile, else the default mail
// folder ([Dirs.Mail]).
func mailDir(dir string) string {
	inside := filepath.Join(dir, "mail")
	if _, err := os.Stat(inside); err == nil {
		return inside
	}
	d, err := DefaultDirs()
	if err != nil || !sameDir(dir, d.Profile) {
		return inside
	}
	return filepath.FromSlash(d.Mail)
}

// sameDir reports whether a and b name one folder, comparing names
// case-insensitively where the system does (Windows, macOS).
func sameDir(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// lockFile is held (locked, not merely present) by the running SecureMail
// that owns the profile.
const lockFile = ".lock"

// InUseError means another running SecureMail holds the profile.
type InUseError struct {
	Dir string
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("The profile folder %s is already open in another SecureMail window; use that window, or close it and start SecureMail again", e.Dir)
}

// Lock makes this process the one running SecureMail of the profile until
// unlock is called or the process ends (even by a crash: the operating
// system drops the lock). A second holder gets an [*InUseError].
func (p *Profile) Lock() (unlock func() error, err error) {
	l, err := filelock.TryLock(p.Path(lockFile))
	var held *filelock.HeldError
	if errors.As(err, &held) {
		return nil, &InUseError{Dir: p.Dir}
	}
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	return l.Unlock, nil
}

// Path returns the path of a file or folder inside the profile.
func (p *Profile) Path(elem ...string) string {
	return filepath.Join(append([]string{p.Dir}, elem...)...)
}

// HasAccount reports whether settings.json exists.
func (p *Profile) HasAccount() bool {
	_, err := os.Stat(p.Path("settings.json"))
	return err == nil
}

// Load reads the settings; ErrNoAccount when there are none yet.
func (p *Profile) Load() (Settings, error) {
	b, err := os.ReadFile(p.Path("settings.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultSettings(), ErrNoAccount
	}
	if err != nil {
		return Settings{}, fmt.Errorf("profile: cannot read the settings: %w", err)
	}
	s := DefaultSettings()
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, fmt.Errorf("profile: the settings file %s is damaged (%v); fix it or set the account up again", p.Path("settings.json"), err)
	}
	return s, nil
}

// Save writes the settings atomically.
func (p *Profile) Save(s Settings) error {
	if s.Version == 0 {
		s.Version = 1
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := durable.WriteFile(p.Path("settings.json"), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}

// WindowAppID is the application ID the window toolkit is started with for
// this profile. The toolkit keeps a preferences file per ID and rewrites it
// (truncate, then write) whenever one of its windows closes; two profiles
// open at once under one ID read each other's half-written file, which the
// toolkit reports as "Preferences load error: EOF". The default profile
// keeps the plain ID (its desktop entry and notifications use it); any
// other profile gets the ID followed by a digest of its folder, so each
// profile's window owns its file (profiles lock their folder: one window each).
func (p *Profile) WindowAppID() string {
	const base = "eu.tachonet.securemail"
	if d, err := DefaultDir(); err == nil && sameDir(d, p.Dir) {
		return base
	}
	sum := sha256.Sum256([]byte(filepath.Clean(p.Dir)))
	return base + ".p" + hex.EncodeToString(sum[:6])
}
