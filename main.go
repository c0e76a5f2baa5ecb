// Command securemail is the SecureMail desktop mail client for TACHOnet's
// TESTA secure mail. With no command it opens its window; with a command it
// runs that workflow from the command line (see `securemail --help`).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	_ "env.securemail.invalid/localefix" // before Fyne reads the locale
	fyneapp "fyne.io/fyne/v2/app"

	"securemail/app"
	"securemail/app/cli"
	"securemail/app/keystore"
	"securemail/app/profile"
	"securemail/ui"
	"securemail/ui/bundled"
)

func main() {
	if profileDir, gui := guiRequested(os.Args[1:], os.Getenv); gui {
		if err := runGUI(profileDir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(cli.ExitError)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := cli.Run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// guiRequested reports whether the arguments hold no command (only the
// global --profile), in which case the window opens on that profile.
func guiRequested(args []string, getenv func(string) string) (profileDir string, gui bool) {
	profileDir = getenv("SECUREMAIL_PROFILE")
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--profile" || a == "-profile":
			if i+1 >= len(args) {
				return "", false // let the CLI explain
			}
			profileDir = args[i+1]
			i++
		case strings.HasPrefix(a, "--profile=") || strings.HasPrefix(a, "-profile="):
			profileDir = a[strings.Index(a, "=")+1:]
		default:
			return "", false
		}
	}
	return profileDir, true
}

// runGUI opens the profile, starts the bundled network when the account
// uses it (or no account exists yet), and runs the window until it closes.
func runGUI(profileDir string) error {
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
	var keys keystore.Store
	if pass := os.Getenv("SECUREMAIL_KEY_PASSPHRASE"); pass != "" {
		if keys, err = keystore.NewSealedFiles(p.Path("keys"), []byte(pass)); err != nil {
			return err
		}
	}
	core, err := app.Open(ctx, p.Dir, app.Options{Keys: keys})
	if err != nil {
		return err
	}
	defer core.Close()

	var network ui.Network
	s, serr := core.Settings()
	if serr != nil || s.Bundled {
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
			defer n.Close()
			network = n
		}
	}
	var trace ui.Trace
	if os.Getenv("SECUREMAIL_TRACE") == "1" {
		start := time.Now()
		trace = func(event string) {
			fmt.Fprintf(os.Stderr, "trace: %.1f ms %s\n", float64(time.Since(start).Microseconds())/1000, event)
		}
	}
	a := fyneapp.NewWithID("eu.tachonet.securemail")
	ui.Start(a, ui.AppCore(core), network, trace)
	// Fyne's driver quits on SIGINT / SIGTERM; the main window then saves
	// its sizes (ui's OnStopped) and the deferred Close closes the store.
	a.Run()
	return nil
}
