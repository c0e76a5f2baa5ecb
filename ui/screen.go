package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// screenContext is a screen's context: the work the screen starts (a test
// of the servers, a set-up, a request sent) runs under it, and closing the
// screen's window cancels it.
func screenContext(win fyne.Window) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	win.SetOnClosed(cancel)
	return ctx, cancel
}

// openFile lets the user pick a file and hands its name and bytes to load;
// a file that cannot be read goes to failed, to be said in words. Nothing
// happens when the user cancels.
func openFile(win fyne.Window, load func(name string, data []byte), failed func(error)) {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err != nil {
			failed(err)
			return
		}
		load(r.URI().Name(), data)
	}, win)
}
