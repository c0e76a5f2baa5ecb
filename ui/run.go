package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"securemail/app/compose"
)

// Start shows the first-run wizard when the profile has no account yet, then
// (or directly) the main window. The caller runs a.Run(). trace may be nil.
func Start(a fyne.App, core Core, net Network, trace Trace) {
	StartComposing(a, core, net, trace, nil)
}

// StartComposing is Start that also opens a composer on the draft once the
// main window shows (after the wizard, on a new profile): what a mailto: link
// asks for. A nil draft opens no composer.
func StartComposing(a fyne.App, core Core, net Network, trace Trace, d *compose.Draft) {
	a.SetIcon(appIcon())
	a.Settings().SetTheme(lightTheme{theme.DefaultTheme()})
	main := func() {
		m := NewMainWindow(a, core, net)
		if trace != nil {
			m.SetTrace(trace)
		}
		m.Show()
		if d != nil {
			m.compose(d)
		}
	}
	if core.HasAccount() {
		main()
		return
	}
	w := NewWizard(a, core, net)
	w.OnDone = func() {
		main()
		w.Close()
	}
	w.Show()
}
