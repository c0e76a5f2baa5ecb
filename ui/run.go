package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Start shows the first-run wizard when the profile has no account yet, then
// (or directly) the main window. The caller runs a.Run(). trace may be nil.
func Start(a fyne.App, core Core, net Network, trace Trace) {
	a.SetIcon(appIcon())
	a.Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	main := func() {
		m := NewMainWindow(a, core, net)
		if trace != nil {
			m.SetTrace(trace)
		}
		m.Show()
	}
	if core.HasAccount() {
		main()
		return
	}
	w := NewWizard(a, core, net)
	w.OnDone = func() {
		main()
		w.Win.Close()
	}
	w.Show()
}
