package profile

import (
	"errors"
	"fmt"
	"os"
	"path"
	"runtime"
	"strings"
)

// Dirs are the folders SecureMail uses when none is given.
type Dirs struct {
	// Profile holds the settings, Digital IDs (certificates), address book
	// and trusted authorities of the default profile: small files a
	// roaming Windows profile may carry from machine to machine.
	Profile string
	// Mail is the default profile's mail store, which grows large: on
	// Windows it is kept where Windows programs keep such data
	// (%LOCALAPPDATA%), elsewhere inside Profile.
	Mail string
	// Network is the bundled TESTA network, shared by every profile of the
	// user so that two testers on one machine exchange mail.
	Network string
}

// ErrNoHome means the system gives no folder for SecureMail's files (the
// environment variables that name them are unset); give one with
// --profile (and --dir for the network).
var ErrNoHome = errors.New("profile: this system names no folder for SecureMail's files; give one with --profile")

// DefaultDirs returns the default folders on this system.
func DefaultDirs() (Dirs, error) { return Defaults(runtime.GOOS, os.Getenv) }

// Defaults computes the default folders for the system goos from its
// environment, as os.UserConfigDir and os.UserCacheDir do, so that the
// choice is tested for every system on any system. No folder is inside
// another even when names are compared case-insensitively (Windows and
// macOS compare them so):
//
//	linux    $XDG_CONFIG_HOME or ~/.config: SecureMail (profile, mail/ inside)
//	         and securemail/testnet — as in every release so far
//	windows  %APPDATA%\SecureMail (profile), %LOCALAPPDATA%\SecureMail\mail
//	         and %LOCALAPPDATA%\SecureMail\testnet
//	darwin   ~/Library/Application Support/SecureMail (profile, mail/ inside)
//	         and ~/Library/Application Support/SecureMail-testnet
func Defaults(goos string, getenv func(string) string) (Dirs, error) {
	switch goos {
	case "windows":
		roaming, local := getenv("APPDATA"), getenv("LOCALAPPDATA")
		if roaming == "" || local == "" {
			return Dirs{}, fmt.Errorf("%w (%%APPDATA%% or %%LOCALAPPDATA%% is not set)", ErrNoHome)
		}
		return Dirs{
			Profile: winJoin(roaming, "SecureMail"),
			Mail:    winJoin(local, "SecureMail", "mail"),
			Network: winJoin(local, "SecureMail", "testnet"),
		}, nil
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return Dirs{}, fmt.Errorf("%w ($HOME is not set)", ErrNoHome)
		}
		support := path.Join(home, "Library", "Application Support")
		return Dirs{
			Profile: path.Join(support, "SecureMail"),
			Mail:    path.Join(support, "SecureMail", "mail"),
			Network: path.Join(support, "SecureMail-testnet"),
		}, nil
	}
	config := getenv("XDG_CONFIG_HOME")
	if config == "" {
		home := getenv("HOME")
		if home == "" {
			return Dirs{}, fmt.Errorf("%w (neither $XDG_CONFIG_HOME nor $HOME is set)", ErrNoHome)
		}
		config = path.Join(home, ".config")
	} else if !path.IsAbs(config) {
		return Dirs{}, fmt.Errorf("%w ($XDG_CONFIG_HOME is a relative path)", ErrNoHome)
	}
	return Dirs{
		Profile: path.Join(config, "SecureMail"),
		Mail:    path.Join(config, "SecureMail", "mail"),
		Network: path.Join(config, "securemail", "testnet"),
	}, nil
}

// winJoin joins Windows path elements with backslashes (path/filepath
// joins with the separator of the system it runs on).
func winJoin(base string, elem ...string) string {
	return strings.TrimRight(base, `\/`) + `\` + strings.Join(elem, `\`)
}
