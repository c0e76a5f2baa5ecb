package ui

import (
	"crypto/x509"
	"errors"
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/testaaddr"
)

// digitalIDStep is the wizard's "Your Digital ID" step: Mail.pfx and its
// password, checked against the address and the trusted chain. Next sets
// the account up.
type digitalIDStep struct {
	open     *widget.Button
	password *widget.Entry
	info     *widget.Label

	data []byte             // the Mail.pfx opened
	id   *identity.Identity // the Digital ID accepted, nil while refused
}

func (w *Wizard) digitalIDPage() fyne.CanvasObject {
	s := &w.id
	s.info = para("No file opened yet.")
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("the password delivered separately")
	s.password.OnChanged = func(string) { w.checkID() }
	s.open = w.openButton("Open Mail.pfx…", w.loadDigitalID)
	return container.NewVBox(heading("Your Digital ID"),
		para("Open your Mail.pfx and type its password. It must be issued for your address, under the authority you trust."),
		s.open, widget.NewForm(widget.NewFormItem("Password", s.password)), s.info)
}

// loadDigitalID reads a Mail.pfx; it is checked with the typed password.
func (w *Wizard) loadDigitalID(data []byte) {
	w.id.data = data
	w.checkID()
}

// checkID opens the Mail.pfx with the password and checks it against the
// address and the trusted chain.
func (w *Wizard) checkID() {
	s := &w.id
	s.id, w.problems[StepDigitalID] = nil, ""
	defer w.validate()
	if s.data == nil {
		return
	}
	if s.password.Text == "" {
		s.info.SetText("Type the password of your Mail.pfx.")
		return
	}
	id, err := identity.ParsePFX(s.data, s.password.Text)
	if err != nil {
		msg := app.Explain(err).String()
		if errors.Is(err, identity.ErrWrongPassword) {
			msg += " Type the password that was delivered separately from the file."
		}
		w.problems[StepDigitalID] = msg
		s.info.SetText("")
		return
	}
	c := id.Certificate
	addr, _ := w.Address()
	idAddr := identity.Address(c)
	days := int(math.Floor(c.NotAfter.Sub(w.now()).Hours() / 24))
	s.info.SetText(fmt.Sprintf("Name: %s\nAddress: %s\nIssued by: %s\nValid until: %s (%d days left)",
		displaytext.Line(c.Subject.CommonName), displaytext.Line(idAddr), displaytext.Line(c.Issuer.CommonName), c.NotAfter.UTC().Format("2 January 2006"), days))
	root, ec := w.root.authority, w.chain.authority
	switch {
	case !testaaddr.Equal(idAddr, addr):
		w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID is for %s, but your address is %s, so you could not sign or encrypt with it. Open the Mail.pfx issued for %s, or go Back and correct your address.",
			orText(idAddr, "no address"), addr, addr)
	case w.now().After(c.NotAfter):
		w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID expired on %s; test Digital IDs live one month and cannot be renewed, so ask for a new Mail.pfx.", c.NotAfter.UTC().Format("2 January 2006"))
	case root == nil || ec == nil:
		w.problems[StepDigitalID] = "Open and trust the Root CA and the EC CA first (go Back)."
	default:
		roots, inter := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(root.Certificate)
		inter.AddCert(ec.Certificate)
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: w.now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID was not issued under the authority you trust (%s), so it could not identify you to others. Open the Mail.pfx of the same handout as the two authority files.", displaytext.Line(root.Name))
			return
		}
		s.id = id
	}
}
