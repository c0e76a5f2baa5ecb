package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/digitalid"
	"securemail/internal/displaytext"
)

// chainStep is the wizard's "Authority chain" step: EC_CA.cer, which must
// be issued by the trusted root.
type chainStep struct {
	open *widget.Button
	info *widget.Label

	authority *digitalid.Authority // the EC CA accepted, nil while refused
	data      []byte               // the file opened, kept to recheck it against a new root
}

func (w *Wizard) chainPage() fyne.CanvasObject {
	s := &w.chain
	s.info = para("No file opened yet.")
	s.open = w.openButton("Open EC_CA.cer…", w.loadChain)
	return container.NewVBox(heading("Authority chain"),
		para("Open the EC CA file (EC_CA.cer): the authority between the one you trust and your Digital ID."),
		s.open, s.info)
}

// loadChain reads an EC CA file; it must be issued by the trusted root.
func (w *Wizard) loadChain(data []byte) {
	s, root := &w.chain, w.root.authority
	s.authority, s.data, w.problems[StepChain] = nil, data, ""
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		w.problems[StepChain] = app.Explain(err).String()
		s.info.SetText("")
	case root == nil:
		w.problems[StepChain] = "Open and trust the Root CA first (go Back one step)."
		s.info.SetText(describeAuthority(a, w.now()))
	case a.Certificate.CheckSignatureFrom(root.Certificate) != nil:
		w.problems[StepChain] = fmt.Sprintf("This authority was not issued by the one you trust (%s) but by %s. Open the EC_CA.cer that came with your Root_CA.cer.",
			displaytext.Line(root.Name), displaytext.Line(a.Certificate.Issuer.CommonName))
		s.info.SetText(describeAuthority(a, w.now()))
	default:
		s.authority = a
		s.info.SetText(describeAuthority(a, w.now()) + "\nIssued by the authority you trust: yes.")
	}
	if w.id.data != nil {
		w.checkID()
	}
	w.validate()
}
