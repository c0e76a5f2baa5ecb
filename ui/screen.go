package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
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
// the dialog opens in the folder last used (remembered per profile when core
// is a LayoutKeeper), else in first (the bundled network's handouts; "" for
// Fyne's default).
func openFile(win fyne.Window, core any, first string, load func(name string, data []byte), failed func(error)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		if r.URI().Scheme() == "file" {
			rememberFolder(core, filepath.Dir(r.URI().Path()))
		}
		data, err := io.ReadAll(r)
		if err != nil {
			failed(err)
			return
		}
		load(r.URI().Name(), data)
	}, win)
	if dir := startFolder(core, first); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// startFolder is where a file dialog opens: the folder last used if it
// still exists, else first if it exists, else "" (Fyne's default).
func startFolder(core any, first string) string {
	if k, ok := core.(LayoutKeeper); ok {
		if d := k.LoadLayout().LastFolder; d != "" && isDir(d) {
			return d
		}
	}
	if first != "" && isDir(first) {
		return first
	}
	return ""
}

// rememberFolder keeps dir as the folder last used, in the profile.
func rememberFolder(core any, dir string) {
	if k, ok := core.(LayoutKeeper); ok {
		l := k.LoadLayout()
		l.LastFolder = dir
		k.SaveLayout(l) // best effort: a lost folder only costs a click
	}
}

func isDir(d string) bool {
	fi, err := os.Stat(d)
	return err == nil && fi.IsDir()
}

// handoutsFolder is the bundled network's folder of handouts (nil net: "").
func handoutsFolder(net Network) string {
	if net == nil {
		return ""
	}
	hs, err := net.Handouts()
	if err != nil || len(hs) == 0 {
		return ""
	}
	return filepath.Dir(hs[0].Dir)
}
