package ui

import (
	"context"

	"fyne.io/fyne/v2"
)

// screenContext is a screen's context: the work the screen starts (a test
// of the servers, a set-up, a request sent) runs under it, and closing the
// screen's window cancels it.
func screenContext(win fyne.Window) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	win.SetOnClosed(cancel)
	return ctx, cancel
}
