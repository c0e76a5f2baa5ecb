package ui

import (
	"crypto/x509"
	"errors"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/testaaddr"
	"securemail/ui/i18n"
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
	s.info = para(lang.L("wizard.nofile"))
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder(lang.L("wizard.id.password.hint"))
	s.password.OnChanged = func(string) { w.checkID() }
	s.open = w.openButton(lang.L("wizard.id.open"), w.loadDigitalID)
	return container.NewVBox(heading(lang.L("wizard.step.digitalid")),
		para(lang.L("wizard.id.intro")),
		s.open, widget.NewForm(widget.NewFormItem(lang.L("wizard.password"), s.password)), s.info)
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
		s.info.SetText(lang.L("wizard.id.typepassword"))
		return
	}
	id, err := identity.ParsePFX(s.data, s.password.Text)
	if err != nil {
		msg := explain(err)
		if errors.Is(err, identity.ErrWrongPassword) {
			msg += " " + lang.L("wizard.id.wrongpassword")
		}
		w.problems[StepDigitalID] = msg
		s.info.SetText("")
		return
	}
	c := id.Certificate
	addr, _ := w.Address()
	idAddr := identity.Address(c)
	days := int(math.Floor(c.NotAfter.Sub(w.now()).Hours() / 24))
	s.info.SetText(lang.N("wizard.id.describe", days, map[string]any{"Name": displaytext.Line(c.Subject.CommonName), "Address": displaytext.Line(idAddr),
		"Issuer": displaytext.Line(c.Issuer.CommonName), "Until": i18n.Date(c.NotAfter.UTC()), "Days": days}))
	root, ec := w.root.authority, w.chain.authority
	switch {
	case !testaaddr.Equal(idAddr, addr):
		w.problems[StepDigitalID] = lang.L("wizard.id.otheraddress", map[string]any{"IDAddress": orText(idAddr, lang.L("wizard.id.noaddress")), "Address": addr})
	case w.now().After(c.NotAfter):
		w.problems[StepDigitalID] = lang.L("wizard.id.expired", map[string]any{"Date": i18n.Date(c.NotAfter.UTC())})
	case root == nil || ec == nil:
		w.problems[StepDigitalID] = lang.L("wizard.id.authoritiesfirst")
	default:
		roots, inter := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(root.Certificate)
		inter.AddCert(ec.Certificate)
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: w.now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			w.problems[StepDigitalID] = lang.L("wizard.id.otherroot", map[string]any{"Root": displaytext.Line(root.Name)})

			return
		}
		s.id = id
	}
}
