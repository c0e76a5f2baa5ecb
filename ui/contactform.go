package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app/addressbook"
	"securemail/testaaddr"
)

// ContactForm is the new / edit contact form with live address validation.
type ContactForm struct {
	address, name *widget.Entry
	check         *widget.Label
	saveBtn       *widget.Button
	content       fyne.CanvasObject
	OnSaved       func()
	core          AddressBook
	contact       *addressbook.Contact
}

// NewContactForm edits c, or a new contact when c is nil.
func NewContactForm(core AddressBook, c *addressbook.Contact) *ContactForm {
	f := &ContactForm{core: core, contact: c, address: widget.NewEntry(), name: widget.NewEntry(), check: widget.NewLabel("")}
	f.check.Wrapping = fyne.TextWrapWord
	if c != nil {
		f.address.SetText(c.Address)
		f.address.Disable()
		f.name.SetText(c.Name)
	}
	f.saveBtn = widget.NewButton(lang.L("Save"), f.save)
	f.address.OnChanged = func(s string) {
		if _, err := testaaddr.Parse(strings.TrimSpace(s)); err != nil {
			f.check.SetText(explain(err))
			f.saveBtn.Disable()
		} else {
			f.check.SetText("")
			f.saveBtn.Enable()
		}
	}
	if c == nil {
		f.saveBtn.Disable()
	}
	f.content = container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("contact.address"), f.address), widget.NewFormItem(lang.L("contact.name"), f.name)), f.check)
	return f
}

func (f *ContactForm) save() {
	c := f.contact
	if c == nil {
		a, err := testaaddr.Parse(strings.TrimSpace(f.address.Text))
		if err != nil {
			f.check.SetText(explain(err))
			return
		}
		c = &addressbook.Contact{Address: a.String(), Link: addressbook.LinkNone}
	}
	c.Name = strings.TrimSpace(f.name.Text)
	if err := f.core.SaveContact(c); err != nil {
		f.check.SetText(explain(err))
		return
	}
	if f.OnSaved != nil {
		f.OnSaved()
	}
}
