// Command securemail is the SecureMail desktop mail client for TACHOnet's
// TESTA secure mail. With no command it opens its window; with a command it
// runs that workflow from the command line (see `securemail --help`).
//
// This program links Fyne's window libraries, which cost every process
// about 20 MB of memory and some start-up even when no window opens; the
// same commands without them are cmd/securemail-cli (docs/BENCHMARKS.md,
// "Command line without the window").
package main

import (
	"fmt"
	"os"
	"strings"

	"securemail/cli"
)

func main() {
	if profileDir, mailto, gui := guiRequested(os.Args[1:], os.Getenv); gui {
		if err := runGUI(profileDir, mailto); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(cli.ExitError)
		}
		return
	}
	os.Exit(cli.Main(os.Args[1:]))
}

// guiRequested reports whether the arguments hold no command (only the
// global --profile), in which case the window opens on that profile, and
// returns the one mailto: link the desktop passes when SecureMail is the
// default mail program (Windows: SecureMail.exe "mailto:…"; Linux: %u).
func guiRequested(args []string, getenv func(string) string) (profileDir, mailto string, gui bool) {
	profileDir = getenv("SECUREMAIL_PROFILE")
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--profile" || a == "-profile":
			if i+1 >= len(args) {
				return "", "", false // let the CLI explain
			}
			profileDir = args[i+1]
			i++
		case strings.HasPrefix(a, "--profile=") || strings.HasPrefix(a, "-profile="):
			profileDir = a[strings.Index(a, "=")+1:]
		case mailto == "" && len(a) >= len("mailto:") && strings.EqualFold(a[:len("mailto:")], "mailto:"):
			mailto = a
		default:
			return "", "", false
		}
	}
	return profileDir, mailto, true
}
