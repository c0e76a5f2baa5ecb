package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	s.useBundled = widget.NewButtonWithIcon("No files yet? Use the bundled offline network", theme.ComputerIcon(), func() {
		w.servers.choice.SetSelected(serversBundled)
		w.show(StepAddress)
	})
	if w.net == nil {
		s.useBundled.Disable()
	}
	return container.NewVBox(
		heading("Welcome to SecureMail"),
		para("SecureMail sends and receives signed and encrypted mail over the TESTA network. This set-up takes a few minutes: "+
			"your address, your mail servers, then the three files your national contact point sent you:"),
		para("  •  Root_CA.cer — the authority you will trust to identify e-mail senders\n"+
			"  •  EC_CA.cer — the authority chain between it and you\n"+
			"  •  Mail.pfx — your own Digital ID, with its password (delivered separately)"),
		para("Afterwards every mail you send is signed and encrypted, and every mail you read says who really sent it."),
		s.useBundled,
	)
}
