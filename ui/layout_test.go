package ui

import (
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
