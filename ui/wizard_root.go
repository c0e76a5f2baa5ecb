package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app/digitalid"
	"securemail/internal/displaytext"
	"securemail/ui/i18n"
)

// rootStep is the wizard's "Trusted authority" step: Root_CA.cer, shown
// with its fingerprint, and the explicit tick that trusts it.
type rootStep struct {
	open  *widget.Button
	info  *widget.Label
	trust *widget.Check

	authority *digitalid.Authority // the root opened, nil while refused
	data      []byte
}

func (w *Wizard) rootPage() fyne.CanvasObject {
	s := &w.root
	s.info = para(lang.L("wizard.nofile"))
	s.open = w.openButton(lang.L("wizard.root.open"), w.loadRoot)
	s.trust = widget.NewCheck(lang.L(trustRootTick), func(bool) { w.validate() })
	return container.NewVBox(heading(lang.L("wizard.step.root")),
		para(lang.L("wizard.root.intro")),
		s.open, s.info, s.trust)
}

// rootProblem: a root must be opened, accepted and ticked as trusted.
func (w *Wizard) rootProblem() stepCheck {
	if c := w.fileCheck(StepRoot, w.root.authority != nil); c.blocked {
		return c
	}
	if !w.root.trust.Checked {
		return stepCheck{true, lang.L("wizard.root.tickfirst")}
	}
	return stepCheck{}
}

// trustRootTick is the explicit tick without which no root is trusted, in
// the wizard and in Settings → Trusted authorities.
const trustRootTick = "wizard.root.trust"

// inspectRoot reads a Root CA file as the wizard and Settings show it: the
// authority when it can be trusted (nil when refused), its description
// (empty when the file holds no authority) and the refusal in words.
func inspectRoot(data []byte, now time.Time) (root *digitalid.Authority, info, problem string) {
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		return nil, "", explain(err)
	case !a.SelfSigned:
		return nil, describeAuthority(a, now), lang.L("wizard.root.notroot", map[string]any{"Issuer": displaytext.Line(a.Certificate.Issuer.CommonName)})
	case now.After(a.NotAfter):
		return nil, describeAuthority(a, now), lang.L("wizard.root.expired", map[string]any{"Date": i18n.Date(a.NotAfter.UTC())})
	}
	return a, describeAuthority(a, now), ""
}

// loadRoot reads and describes a Root CA file.
func (w *Wizard) loadRoot(data []byte) {
	s := &w.root
	a, info, problem := inspectRoot(data, w.now())
	s.authority, s.data, w.problems[StepRoot] = a, nil, problem
	if a != nil {
		s.data = data
	}
	s.info.SetText(info)
	if w.chain.authority != nil {
		w.loadChain(w.chain.data)
	}
	w.validate()
}

// describeAuthority is a CA as the wizard shows it: name, fingerprint, validity.
func describeAuthority(a *digitalid.Authority, now time.Time) string {
	state := lang.L("authority.state.valid")
	if now.After(a.NotAfter) {
		state = lang.L("authority.state.expired")
	}
	return lang.L("authority.describe", map[string]any{"Name": displaytext.Line(a.Name), "Fingerprint": a.Fingerprint,
		"From": i18n.Date(a.NotBefore.UTC()), "Until": i18n.Date(a.NotAfter.UTC()), "State": state})

}
