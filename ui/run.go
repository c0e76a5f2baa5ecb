package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Start shows the first-run wizard when the profile has no account yet, then
// (or directly) the main window. The caller runs a.Run().
func Start(a fyne.App, core Core, net Network) {
	a.SetIcon(appIcon())
	a.Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	if core.HasAccount() {
		NewMainWindow(a, core, net).Show()
		return
	}
	w := NewWizard(a, core, net)
	w.OnDone = func() {
		NewMainWindow(a, core, net).Show()
		w.Win.Close()
	}
	w.Show()
}
