package ui

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/testaaddr"
	"securemail/ui/i18n"
)

// addressStep is the wizard's "Your address" step: first name, surname and
// country make the TESTA address; on the bundled network the user may pick
// one of its testers instead, which fills in every later step.
type addressStep struct {
	first, surname *widget.Entry
	country        *widget.Select
	shown          *widget.Label  // the address being set up
	tester         *widget.Select // the bundled network's testers

	handouts []Handout
	handout  *Handout // the tester picked (or matching the address typed)
}

func (w *Wizard) addressPage() fyne.CanvasObject {
	s := &w.addr
	s.first, s.surname = widget.NewEntry(), widget.NewEntry()
	s.first.SetPlaceHolder(lang.L("wizard.address.first.example"))
	s.surname.SetPlaceHolder(lang.L("wizard.address.surname.example"))
	var names []string
	for _, c := range testaaddr.Countries() {
		names = append(names, countryLabel(c))
	}
	i18n.SortStrings(names)
	s.country = widget.NewSelect(names, func(string) { w.validate() })
	s.country.PlaceHolder = lang.L("wizard.address.country.choose")
	s.shown = widget.NewLabel("")
	s.shown.TextStyle.Bold = true
	s.shown.Wrapping = fyne.TextWrapWord
	s.first.OnChanged = func(string) { w.validate() }
	s.surname.OnChanged = func(string) { w.validate() }
	s.tester = widget.NewSelect(nil, w.pickHandout)
	s.tester.PlaceHolder = lang.L("wizard.address.tester.choose")
	items := []fyne.CanvasObject{
		heading(lang.L("wizard.step.address")),
		widget.NewForm(widget.NewFormItem(lang.L("wizard.address.first"), s.first), widget.NewFormItem(lang.L("wizard.address.surname"), s.surname),
			widget.NewFormItem(lang.L("wizard.address.country"), s.country)),
		para(lang.L("wizard.address.willbe")), s.shown,
	}
	if w.net != nil {
		items = append(items, widget.NewSeparator(), para(lang.L("wizard.address.ortester")), s.tester)
	}
	return container.NewVBox(items...)
}

// countryLabel names a country of Annex A in the window's language, with
// its distinguishing sign: "Allemagne (D)".
func countryLabel(c testaaddr.Country) string {
	return i18n.CountryName(c.Region) + " (" + c.Code + ")"
}

func (w *Wizard) countryCode() string {
	s := w.addr.country.Selected
	if i := strings.LastIndex(s, "("); i >= 0 {
		return strings.TrimSuffix(s[i+1:], ")")
	}
	return ""
}

// errIncomplete: the address step is not filled in yet.
func errIncomplete() error {
	return &app.Problem{What: lang.L("wizard.address.incomplete.what"), Do: lang.L("wizard.address.incomplete.do")}
}

// Address is the address being set up, or an error saying what to fix.
func (w *Wizard) Address() (string, error) {
	first, surname := strings.TrimSpace(w.addr.first.Text), strings.TrimSpace(w.addr.surname.Text)
	if first == "" || surname == "" || w.countryCode() == "" {
		return "", errIncomplete()
	}
	a, err := testaaddr.Make(first, surname, w.countryCode())
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// showAddress shows the address being set up, or nothing while it is not valid.
func (w *Wizard) showAddress() {
	if a, err := w.Address(); err == nil {
		w.addr.shown.SetText(a)
	} else {
		w.addr.shown.SetText("")
	}
}

// addressProblem blocks Next until the address is valid; the refusal shows
// once every field is filled in.
func (w *Wizard) addressProblem() stepCheck {
	if _, err := w.Address(); err != nil {
		shown := ""
		if w.addr.first.Text != "" && w.addr.surname.Text != "" && w.countryCode() != "" {
			shown = explain(err)
		}
		return stepCheck{true, shown}
	}
	return stepCheck{}
}

func (w *Wizard) loadHandouts() {
	if w.net == nil || w.addr.handouts != nil {
		return
	}
	hs, err := w.net.Handouts()
	if err != nil {
		w.problems[StepAddress] = explain(err)
		return
	}
	w.addr.handouts = hs
	var opts []string
	for _, h := range hs {
		opts = append(opts, h.Address)
	}
	w.addr.tester.SetOptions(opts)
}

// pickHandout fills the wizard from a bundled-network tester's handout.
func (w *Wizard) pickHandout(addr string) {
	for i := range w.addr.handouts {
		if w.addr.handouts[i].Address != addr {
			continue
		}
		h := w.addr.handouts[i]
		w.addr.handout = &h
		if a, err := testaaddr.Parse(addr); err == nil {
			w.addr.first.SetText(a.FirstName)
			w.addr.surname.SetText(a.Surname)
			w.addr.country.SetSelected(countryLabel(a.Country))
		}
		w.servers.choice.SetSelected(serversBundled())
		if data, err := os.ReadFile(filepath.Join(h.Dir, "Root_CA.cer")); err == nil {
			w.loadRoot(data)
		}
		if data, err := os.ReadFile(filepath.Join(h.Dir, "EC_CA.cer")); err == nil {
			w.loadChain(data)
		}
		if pw, err := os.ReadFile(filepath.Join(h.Dir, "password.txt")); err == nil {
			w.id.password.SetText(strings.TrimSpace(string(pw)))
		}
		if data, err := os.ReadFile(filepath.Join(h.Dir, "Mail.pfx")); err == nil {
			w.loadDigitalID(data)
		}
	}
	w.validate()
}

// bundledTester is the handout of the bundled network's tester with the
// address being set up: the one picked, else the one the address matches.
func (w *Wizard) bundledTester(addr string) *Handout {
	if w.addr.handout == nil || !testaaddr.Equal(w.addr.handout.Address, addr) {
		w.addr.handout = w.findHandout(addr)
	}
	return w.addr.handout
}

// findHandout is the bundled network's tester with this address, or nil.
func (w *Wizard) findHandout(addr string) *Handout {
	for i := range w.addr.handouts {
		if testaaddr.Equal(w.addr.handouts[i].Address, addr) {
			h := w.addr.handouts[i]
			return &h
		}
	}
	return nil
}
