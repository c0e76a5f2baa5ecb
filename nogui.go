//go:build nogui

package main

import "errors"

// runGUI in a build without the window (go build -tags nogui: the command
// line alone, for servers and scripts, without Fyne's libraries) explains
// how to get one.
func runGUI(_, _ string) error {
	return errors.New("securemail: this build has no window (it was built with -tags nogui); run 'securemail --help' for the commands, or build without that tag")
}
