package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"securemail/app/profile"
)

// layoutCore is a fake core that keeps the layout as a profile would.
type layoutCore struct {
	*fakeCore
	layout profile.Layout
	saves  int
}

func (c *layoutCore) LoadLayout() profile.Layout { return c.layout }
func (c *layoutCore) SaveLayout(l profile.Layout) error {
	c.layout = l
	c.saves++
	return nil
}

func TestMainWindowLayoutIsPerProfile(t *testing.T) {
	a := test.NewTempApp(t)
	c := &layoutCore{fakeCore: newFakeCore(), layout: profile.Layout{Width: 900, Height: 600, SplitFolders: 0.25, SplitReader: 0.5}}
	m := NewMainWindow(a, c, nil)
	if m.split.Offset != 0.25 || m.readerSplit.Offset != 0.5 {
		t.Fatalf("splits %v %v; want the profile's 0.25 0.5", m.split.Offset, m.readerSplit.Offset)
	}
	if s := m.win.Canvas().Size(); s.Width < 899 || s.Width > 901 {
		t.Fatalf("window width %v; want the profile's 900", s.Width)
	}
	m.win.Resize(fyne.NewSize(1000, 700))
	m.split.SetOffset(0.3)
	m.win.Close()
	if c.saves != 1 || c.layout.SplitFolders != 0.3 || c.layout.Width < 999 || c.layout.Width > 1001 {
		t.Fatalf("saved %d times: %+v; want width 1000 and folders 0.3", c.saves, c.layout)
	}
	if a.Preferences().Float("split.folders") != 0 {
		t.Error("the layout also went to the app-wide preferences")
	}
}

// TestFileDialogsOpenInTheFolderLastUsed (issue 14 point 5): the first time,
// a file dialog opens in the bundled network's handouts folder; then in the
// folder a file was last opened from, remembered in the profile (the main
// window's layout saves keep it) until that folder is gone.
func TestFileDialogsOpenInTheFolderLastUsed(t *testing.T) {
	root := t.TempDir()
	handouts := filepath.Join(root, "handouts")
	other := filepath.Join(root, "Downloads")
	for _, d := range []string{filepath.Join(handouts, "marie"), other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	net := &fakeNet{dir: root, handouts: []Handout{{Address: marie, Dir: filepath.Join(handouts, "marie")}}}
	if got := handoutsFolder(net); got != handouts {
		t.Fatalf("handouts folder %q, want %q", got, handouts)
	}
	c := &layoutCore{fakeCore: newFakeCore()}
	if got := startFolder(c, handoutsFolder(net)); got != handouts {
		t.Fatalf("first dialog opens in %q, want the handouts %q", got, handouts)
	}
	rememberFolder(c, other)
	if got := startFolder(c, handoutsFolder(net)); got != other {
		t.Fatalf("dialog opens in %q, want the folder last used %q", got, other)
	}
	a := test.NewTempApp(t)
	m := NewMainWindow(a, c, nil)
	m.win.Close() // saves the layout
	if c.layout.LastFolder != other {
		t.Fatalf("the layout save lost the folder last used: %+v", c.layout)
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	if got := startFolder(c, handoutsFolder(net)); got != handouts {
		t.Errorf("folder last used is gone: dialog opens in %q, want %q", got, handouts)
	}
	if got := startFolder(newFakeCore(), ""); got != "" {
		t.Errorf("no profile, no network: %q, want Fyne's default", got)
	}
}
