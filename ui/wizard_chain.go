package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

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
	s.info = para(lang.L("wizard.nofile"))
	s.open = w.openButton(lang.L("wizard.chain.open"), w.loadChain)
	return container.NewVBox(heading(lang.L("wizard.step.chain")),
		para(lang.L("wizard.chain.intro")),
		s.open, s.info)
}

// loadChain reads an EC CA file; it must be issued by the trusted root.
func (w *Wizard) loadChain(data []byte) {
	s, root := &w.chain, w.root.authority
	s.authority, s.data, w.problems[StepChain] = nil, data, ""
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		w.problems[StepChain] = explain(err)
		s.info.SetText("")
	case root == nil:
		w.problems[StepChain] = lang.L("wizard.chain.rootfirst")
		s.info.SetText(describeAuthority(a, w.now()))
	case a.Certificate.CheckSignatureFrom(root.Certificate) != nil:
		w.problems[StepChain] = lang.L("wizard.chain.otherroot", map[string]any{"Root": displaytext.Line(root.Name), "Issuer": displaytext.Line(a.Certificate.Issuer.CommonName)})
		s.info.SetText(describeAuthority(a, w.now()))
	default:
		s.authority = a
		s.info.SetText(describeAuthority(a, w.now()) + "\n" + lang.L("wizard.chain.issuedbyroot"))

	}
	if w.id.data != nil {
		w.checkID()
	}
	w.validate()
}
