package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/digitalid"
	"securemail/internal/displaytext"
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
	s.info = para("No file opened yet.")
	s.open = w.openButton("Open Root_CA.cer…", w.loadRoot)
	s.trust = widget.NewCheck(trustRootTick, func(bool) { w.validate() })
	return container.NewVBox(heading("Trusted authority"),
		para("Open the Root CA file (Root_CA.cer). Check its name and fingerprint with the ones your national contact point gave you, then trust it."),
		s.open, s.info, s.trust)
}

// rootProblem: a root must be opened, accepted and ticked as trusted.
func (w *Wizard) rootProblem() stepCheck {
	if c := w.fileCheck(StepRoot, w.root.authority != nil); c.blocked {
		return c
	}
	if !w.root.trust.Checked {
		return stepCheck{true, "Tick \"Trust this authority to identify e-mail senders\" once you have checked its fingerprint; without it no signature can be shown as valid."}
	}
	return stepCheck{}
}

// trustRootTick is the explicit tick without which no root is trusted, in
// the wizard and in Settings → Trusted authorities.
const trustRootTick = "Trust this authority to identify e-mail senders"

// inspectRoot reads a Root CA file as the wizard and Settings show it: the
// authority when it can be trusted (nil when refused), its description
// (empty when the file holds no authority) and the refusal in words.
func inspectRoot(data []byte, now time.Time) (root *digitalid.Authority, info, problem string) {
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		return nil, "", app.Explain(err).String()
	case !a.SelfSigned:
		return nil, describeAuthority(a, now), fmt.Sprintf("This file is not a root authority: it was issued by %s. Open Root_CA.cer, the Root CA file of your handout.", displaytext.Line(a.Certificate.Issuer.CommonName))
	case now.After(a.NotAfter):
		return nil, describeAuthority(a, now), fmt.Sprintf("This authority expired on %s, so nothing it issued can be trusted; ask for a current Root_CA.cer.", a.NotAfter.UTC().Format("2 January 2006"))
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
	state := "valid"
	if now.After(a.NotAfter) {
		state = "EXPIRED"
	}
	return fmt.Sprintf("Name: %s\nSHA-256 fingerprint: %s\nValid from %s until %s (%s)", displaytext.Line(a.Name), a.Fingerprint,
		a.NotBefore.UTC().Format("2 January 2006"), a.NotAfter.UTC().Format("2 January 2006"), state)
}
