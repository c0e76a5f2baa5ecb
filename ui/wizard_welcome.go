package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcomeStep is the wizard's first step: what set-up asks for, and the
// shortcut to the bundled offline network.
type welcomeStep struct {
	useBundled *widget.Button
}

func (w *Wizard) welcomePage() fyne.CanvasObject {
	s := &w.welcome
	s.useBundled = widget.NewButtonWithIcon(lang.L("wizard.welcome.bundled"), theme.ComputerIcon(), func() {
		w.servers.choice.SetSelected(serversBundled())
		w.show(StepAddress)
	})
	if w.net == nil {
		s.useBundled.Disable()
	}
	return container.NewVBox(
		heading(lang.L("wizard.welcome.heading")),
		para(lang.L("wizard.welcome.intro")),
		para(lang.L("wizard.welcome.files")),
		para(lang.L("wizard.welcome.after")),

		s.useBundled,
	)
}
