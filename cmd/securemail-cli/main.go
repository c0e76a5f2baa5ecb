// Command securemail-cli is SecureMail's command line alone: the same
// commands, output and exit statuses as `securemail COMMAND`, in a program
// that links no window library (no Fyne, no OpenGL, no X11), so that scripts
// and servers pay neither their memory nor their start-up, and that builds
// without cgo (CGO_ENABLED=0) for every system. With no command it prints
// the list of commands. docs/BENCHMARKS.md ("Command line without the
// window") has its figures beside the window binary's and OpenSSL's.
package main

import (
	"os"

	"securemail/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
