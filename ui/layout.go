package ui

import "securemail/app/profile"

// LayoutKeeper remembers the main window's layout per profile. A core that
// is not one keeps it in the Fyne app's preferences (per app).
type LayoutKeeper interface {
	LoadLayout() profile.Layout
	SaveLayout(l profile.Layout) error
}

// defaultLayout is the first-run layout.
var defaultLayout = profile.Layout{Width: 1100, Height: 640, SplitFolders: 0.16, SplitReader: 0.34}

// loadLayout returns the remembered layout, defaults filling what is not.
func (m *MainWindow) loadLayout() profile.Layout {
	var l profile.Layout
	if k, ok := m.core.(LayoutKeeper); ok {
		l = k.LoadLayout()
	} else {
		prefs := m.fyneApp.Preferences()
		l = profile.Layout{Width: prefs.Float("window.width"), Height: prefs.Float("window.height"),
			SplitFolders: prefs.Float("split.folders"), SplitReader: prefs.Float("split.reader"),
			Sort: prefs.String("list.sort"), FromWidth: prefs.Float("list.from_width"), DateWidth: prefs.Float("list.date_width")}
	}
	if l.Width < 100 || l.Height < 100 {
		l.Width, l.Height = defaultLayout.Width, defaultLayout.Height
	}
	if l.SplitFolders <= 0 || l.SplitFolders >= 1 {
		l.SplitFolders = defaultLayout.SplitFolders
	}
	if l.SplitReader <= 0 || l.SplitReader >= 1 {
		l.SplitReader = defaultLayout.SplitReader
	}
	return l
}

// saveLayout remembers the window's size and split positions.
func (m *MainWindow) saveLayout() {
	l := profile.Layout{SplitFolders: m.split.Offset, SplitReader: m.readerSplit.Offset, Sort: sortName(m.list.order),
		FromWidth: float64(m.list.cols[colFrom]), DateWidth: float64(m.list.cols[colDate])}
	if size := m.win.Canvas().Size(); size.Width > 100 {
		l.Width, l.Height = float64(size.Width), float64(size.Height)
	}
	if k, ok := m.core.(LayoutKeeper); ok {
		old := k.LoadLayout()
		if l.Width == 0 {
			l.Width, l.Height = old.Width, old.Height
		}
		l.LastFolder = old.LastFolder
		k.SaveLayout(l) // best effort: a lost layout only costs the default size
		return
	}
	prefs := m.fyneApp.Preferences()
	if l.Width > 0 {
		prefs.SetFloat("window.width", l.Width)
		prefs.SetFloat("window.height", l.Height)
	}
	prefs.SetFloat("split.folders", l.SplitFolders)
	prefs.SetFloat("split.reader", l.SplitReader)
	prefs.SetString("list.sort", l.Sort)
	prefs.SetFloat("list.from_width", l.FromWidth)
	prefs.SetFloat("list.date_width", l.DateWidth)
}

// applyLayout takes the remembered order and column widths; unknown or
// out-of-range ones keep the defaults.
func (m *messageList) applyLayout(l profile.Layout) {
	if o, ok := sortNames[l.Sort]; ok {
		m.order = o
	}
	for col, w := range map[int]float64{colFrom: l.FromWidth, colDate: l.DateWidth} {
		if w >= minColumn && w <= maxColumn {
			m.cols[col] = float32(w)
		}
	}
	m.header.refresh()
}
