//go:build !nogui

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	_ "env.securemail.invalid/localefix" // before Fyne reads the locale
	fyneapp "fyne.io/fyne/v2/app"

	"securemail/app"
	"securemail/app/bundled"
	"securemail/app/compose"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/ui"
	"securemail/ui/i18n"
)

// runGUI opens the profile, starts the bundled network when the account
// uses it (or no account exists yet), and runs the window until it closes.
// A mailto: link (mailto may be "") opens a composer filled from it.
func runGUI(profileDir, mailto string) error {
	if err := checkDisplay(runtime.GOOS, os.Getenv); err != nil {
		return err
	}
	var draft *compose.Draft
	if mailto != "" {
		d, err := compose.ParseMailto(mailto)
		if err != nil { // the window still opens: the link was the only thing wrong
			fmt.Fprintln(os.Stderr, err)
		}
		draft = d
	}
	ctx := context.Background()
	if profileDir == "" {
		d, err := profile.DefaultDir()
		if err != nil {
			return fmt.Errorf("securemail: %w", err)
		}
		profileDir = d
	}
	p, err := profile.Open(profileDir)
	if err != nil {
		return err
	}
	// One window per profile: a second would share the mail store and fetch
	// the same mail.
	unlock, err := p.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	// The window's language: the profile's choice, else the system's. A
	// profile without an account yet (the wizard) follows the system.
	choice := ""
	if s, err := p.Load(); err == nil {
		choice = s.Language
	}
	if _, err := i18n.Use(choice); err != nil { // the window still opens, in the system's language
		fmt.Fprintln(os.Stderr, "securemail: the language chosen in Settings has no translation here; the window follows the system's language")
	}
	var trace ui.Trace
	if os.Getenv("SECUREMAIL_TRACE") == "1" {
		start := time.Now()
		trace = func(event string) {
			fmt.Fprintf(os.Stderr, "trace: %.1f ms %s\n", float64(time.Since(start).Microseconds())/1000, event)
		}
	}
	// GLFW gives each X11 window the class of its title ("New message", …)
	// and the instance name in RESOURCE_NAME: with it every window groups
	// under the launcher (the .desktop file's StartupWMClass=SecureMail).
	if os.Getenv("RESOURCE_NAME") == "" {
		os.Setenv("RESOURCE_NAME", "SecureMail")
	}
	// One toolkit ID per profile: each keeps its own preferences file.
	a := fyneapp.NewWithID(p.WindowAppID())
	// open opens the core with the keystore chosen (at once, or after the
	// passphrase prompt) and shows the wizard or the main window.
	var core *app.App
	var network *bundled.Net
	defer func() {
		if network != nil {
			network.Close()
		}
		if core != nil {
			core.Close()
		}
	}()
	open := func(keys keystore.Store) error {
		if core != nil { // a retry after a refusal in the passphrase prompt
			core.Close()
			core = nil
		}
		c, err := app.Open(ctx, p.Dir, app.Options{Keys: keys})
		if err != nil {
			return err
		}
		core = c
		var un ui.Network
		if network != nil {
			un = network
		} else if s, serr := core.Settings(); serr != nil || s.Bundled {
			dir := os.Getenv("SECUREMAIL_TESTNET")
			if dir == "" {
				if dir, err = bundled.DefaultDir(); err != nil {
					return err
				}
			}
			n, err := bundled.Open(ctx, dir)
			if err != nil {
				fmt.Fprintln(os.Stderr, err) // the window still opens, for real servers
			} else {
				network, un = n, n
			}
		}
		ui.StartComposing(a, ui.AppCore(core), un, trace, draft)
		return nil
	}
	if pass := os.Getenv("SECUREMAIL_KEY_PASSPHRASE"); pass != "" {
		keys, err := keystore.NewSealedFiles(p.Path("keys"), []byte(pass))
		if err != nil {
			return err
		}
		if err := open(keys); err != nil {
			return err
		}
	} else if _, err := ui.OpenKeys(a, ui.ProfileKeys(p), open); err != nil {
		return err
	}
	// Fyne's driver quits on SIGINT / SIGTERM; the main window then saves
	// its sizes (ui's OnStopped) and the deferred Close closes the store.
	a.Run()
	return nil
}

// checkDisplay refuses, in one sentence, to open the window where there is
// no screen to open it on (a terminal over SSH, a container), instead of the
// graphics library's panic.
func checkDisplay(goos string, getenv func(string) string) error {
	switch goos {
	case "windows", "darwin", "android", "ios", "js":
		return nil
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("securemail: there is no screen to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); start it in a desktop session, or use the command line: securemail --help")
	}
	return nil
}
