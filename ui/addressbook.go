package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/testaaddr"
)

// AddressBookWindow lists the contacts with V / red X and the reason in
// words; double-click (or Properties) opens a contact's properties.
type AddressBookWindow struct {
	win       fyne.Window
	core      AddressBook
	list      *keyList
	rows      []app.ContactView
	newBtn    *widget.Button
	propsBtn  *widget.Button
	importBtn *widget.Button
	message   *widget.Label
	closeBtn  *widget.Button // Esc does the same
	selected  int
}

// NewAddressBookWindow builds the address book window.
func NewAddressBookWindow(a fyne.App, core AddressBook) *AddressBookWindow {
	w := &AddressBookWindow{win: a.NewWindow("Address Book"), core: core, selected: -1, message: widget.NewLabel("")}
	w.list = newKeyList(func() int { return len(w.rows) }, newContactRow, w.updateRow)
	w.list.keys = escCloses(w.win, w.win.Close)
	w.closeBtn = widget.NewButton("Close", w.win.Close)
	w.list.OnSelected = func(id widget.ListItemID) { w.selected = id; w.propsBtn.Enable() }
	w.newBtn = widget.NewButtonWithIcon("New contact", theme.ContentAddIcon(), func() { w.editContact(nil) })
	w.propsBtn = widget.NewButtonWithIcon("Properties", theme.InfoIcon(), func() {
		if w.selected >= 0 && w.selected < len(w.rows) {
			w.ShowContact(w.rows[w.selected])
		}
	})
	w.propsBtn.Disable()
	w.importBtn = widget.NewButtonWithIcon("Import Digital ID…", theme.FolderOpenIcon(), w.importWithDialog)
	w.message.Wrapping = fyne.TextWrapWord
	w.win.SetContent(container.NewBorder(container.NewHBox(w.newBtn, w.propsBtn, w.importBtn),
		container.NewBorder(nil, nil, nil, w.closeBtn, w.message), nil, nil, w.list))
	w.win.Resize(fyne.NewSize(760, 480))
	w.Reload()
	return w
}

// Show opens the window.
func (w *AddressBookWindow) Show() { w.win.Show() }

// Reload reads the contacts again.
func (w *AddressBookWindow) Reload() {
	rows, err := w.core.Contacts()
	if err != nil {
		w.message.SetText(app.Explain(err).String())
	}
	w.rows = rows
	w.list.Refresh()
}

// ContactMark is the V or red X of a contact, with its word.
func ContactMark(v addressbook.ContactVerdict) (Mark, string) {
	if v.Status == addressbook.Valid {
		return MarkContactOK, "V"
	}
	return MarkInvalid, "X"
}

func newContactRow() fyne.CanvasObject {
	word := widget.NewLabel("X")
	word.TextStyle.Bold = true
	name := widget.NewLabel("Firstname.Surname@tcn.xx.eu-admin.net")
	name.Truncation = fyne.TextTruncateEllipsis
	reason := widget.NewLabel("")
	reason.Truncation = fyne.TextTruncateEllipsis
	r := &tapRow{content: container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(nil), word), nil,
		container.NewGridWithColumns(2, name, reason))}
	r.ExtendBaseWidget(r)
	return r
}

func (w *AddressBookWindow) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	row := o.(*tapRow)
	cv := w.rows[id]
	b := row.content.(*fyne.Container)
	left := b.Objects[1].(*fyne.Container)
	grid := b.Objects[0].(*fyne.Container)
	m, word := ContactMark(cv.Verdict)
	left.Objects[0].(*widget.Icon).SetResource(m.Icon())
	left.Objects[1].(*widget.Label).SetText(word)
	label := cv.Contact.Address
	if cv.Contact.Name != "" {
		label = cv.Contact.Name + " <" + cv.Contact.Address + ">"
	}
	grid.Objects[0].(*widget.Label).SetText(displaytext.Line(label))
	grid.Objects[1].(*widget.Label).SetText(displaytext.Line(cv.Verdict.Reason))
	row.onDouble = func() { w.list.Select(id); w.ShowContact(cv) }
}

// ShowContact opens a contact's properties with the Digital IDs tab.
func (w *AddressBookWindow) ShowContact(cv app.ContactView) {
	p := NewContactProperties(w.core, cv, time.Now())
	p.OnChange = w.Reload
	p.importBtn.OnTapped = func() {
		w.importWithDialog()
	}
	p.Confirm = func(q string, yes func()) {
		dialog.ShowConfirm("Remove Digital ID", q, func(ok bool) {
			if ok {
				yes()
			}
		}, w.win)
	}
	d := dialog.NewCustom("Contact properties", "Close", p.content, w.win)
	d.Resize(fyne.NewSize(700, 440))
	d.Show()
}

func (w *AddressBookWindow) importWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err == nil {
			w.ImportData(data)
		}
	}, w.win)
}

// ImportData imports a .p7b, .cer or .pem file of someone's Digital ID.
func (w *AddressBookWindow) ImportData(data []byte) {
	addrs, err := w.core.ImportDigitalID(data)
	if err != nil {
		w.message.SetText(app.Explain(err).String())
		return
	}
	w.message.SetText("Digital ID added for " + displaytext.Line(strings.Join(addrs, ", ")) + ".")
	w.Reload()
}

// editContact opens the new / edit contact form.
func (w *AddressBookWindow) editContact(c *addressbook.Contact) {
	f := NewContactForm(w.core, c)
	var d dialog.Dialog
	f.OnSaved = func() { w.Reload(); d.Hide() }
	d = dialog.NewCustomWithoutButtons("Contact", container.NewBorder(nil, container.NewHBox(f.saveBtn, widget.NewButton("Cancel", func() { d.Hide() })), nil, nil, f.content), w.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}

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
	f.saveBtn = widget.NewButton("Save", f.save)
	f.address.OnChanged = func(s string) {
		if _, err := testaaddr.Parse(strings.TrimSpace(s)); err != nil {
			f.check.SetText(app.Explain(err).String())
			f.saveBtn.Disable()
		} else {
			f.check.SetText("")
			f.saveBtn.Enable()
		}
	}
	if c == nil {
		f.saveBtn.Disable()
	}
	f.content = container.NewVBox(widget.NewForm(widget.NewFormItem("Address", f.address), widget.NewFormItem("Name", f.name)), f.check)
	return f
}

func (f *ContactForm) save() {
	c := f.contact
	if c == nil {
		a, err := testaaddr.Parse(strings.TrimSpace(f.address.Text))
		if err != nil {
			f.check.SetText(app.Explain(err).String())
			return
		}
		c = &addressbook.Contact{Address: a.String(), Link: addressbook.LinkNone}
	}
	c.Name = strings.TrimSpace(f.name.Text)
	if err := f.core.SaveContact(c); err != nil {
		f.check.SetText(app.Explain(err).String())
		return
	}
	if f.OnSaved != nil {
		f.OnSaved()
	}
}

// ContactProperties is a contact's properties: General and Digital IDs tabs.
type ContactProperties struct {
	content       fyne.CanvasObject
	iDs           *widget.List
	viewBtn       *widget.Button
	removeBtn     *widget.Button
	setDefaultBtn *widget.Button
	importBtn     *widget.Button
	details       *widget.Label
	message       *widget.Label
	OnChange      func()
	core          AddressBook
	cv            app.ContactView
	selected      int
	// Confirm asks before removing (the address book window asks with a
	// dialog; on its own the sheet goes ahead).
	Confirm func(question string, yes func())
}

// NewContactProperties builds the properties of one contact.
func NewContactProperties(core AddressBook, cv app.ContactView, now time.Time) *ContactProperties {
	p := &ContactProperties{core: core, cv: cv, selected: -1, details: widget.NewLabel(""), message: widget.NewLabel("")}
	p.Confirm = func(q string, yes func()) { yes() }
	p.details.Wrapping = fyne.TextWrapWord
	p.iDs = widget.NewList(func() int { return len(p.cv.Verdict.IDs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			v := p.cv.Verdict.IDs[id]
			c := o.(*fyne.Container)
			m := MarkContactOK
			if v.Problem != "" {
				m = MarkInvalid
			}
			c.Objects[1].(*widget.Icon).SetResource(m.Icon())
			text := fmt.Sprintf("%s · until %s", v.ID.Certificate().Subject.CommonName, v.NotAfter.UTC().Format("2 Jan 2006"))
			if v.ID.Default {
				text += " · default"
			}
			if v.Reason != "" {
				text += " · " + v.Reason
			}
			c.Objects[0].(*widget.Label).SetText(displaytext.Line(text))
		})
	p.iDs.OnSelected = func(id widget.ListItemID) {
		p.selected = id
		p.viewBtn.Enable()
		p.removeBtn.Enable()
		p.setDefaultBtn.Enable()
	}
	p.viewBtn = widget.NewButton("View", p.view)
	p.removeBtn = widget.NewButton("Remove", p.remove)
	p.setDefaultBtn = widget.NewButton("Set as default", p.setDefault)
	p.importBtn = widget.NewButton("Import…", nil) // the window sets it: the file dialog needs a parent
	for _, b := range []*widget.Button{p.viewBtn, p.removeBtn, p.setDefaultBtn} {
		b.Disable()
	}
	m, word := ContactMark(cv.Verdict)
	general := widget.NewForm(
		widget.NewFormItem("Address", widget.NewLabel(displaytext.Line(cv.Contact.Address))),
		widget.NewFormItem("Name", widget.NewLabel(displaytext.Line(cv.Contact.Name))),
		widget.NewFormItem("Status", container.NewHBox(widget.NewIcon(m.Icon()), widget.NewLabel(displaytext.Line(word+" — "+cv.Verdict.Reason)))),
		widget.NewFormItem("Secure link", widget.NewLabel(LinkStateText(cv.Contact.Link))),
	)
	ids := container.NewBorder(nil, container.NewVBox(container.NewHBox(p.viewBtn, p.setDefaultBtn, p.removeBtn, p.importBtn), p.details, p.message), nil, nil, p.iDs)
	p.content = container.NewAppTabs(container.NewTabItem("General", general), container.NewTabItem("Digital IDs", ids))
	_ = now
	return p
}

func (p *ContactProperties) current() *addressbook.Verdict {
	if p.selected < 0 || p.selected >= len(p.cv.Verdict.IDs) {
		return nil
	}
	return &p.cv.Verdict.IDs[p.selected]
}

func (p *ContactProperties) view() {
	v := p.current()
	if v == nil {
		return
	}
	c := v.ID.Certificate()
	p.details.SetText(fmt.Sprintf("Digital ID (certificate) of %s\nIssued by %s\nValid %s to %s\nSHA-256 %s\n%s",
		displaytext.Line(identity.NameText(c.Subject)), displaytext.Line(identity.NameText(c.Issuer)), c.NotBefore.UTC().Format("2 January 2006"),
		c.NotAfter.UTC().Format("2 January 2006"), v.ID.Fingerprint(), displaytext.Line(orText(v.Reason, "Usable to encrypt mail."))))
}

func (p *ContactProperties) remove() {
	v := p.current()
	if v == nil {
		return
	}
	fp := v.ID.Fingerprint()
	p.Confirm("Remove this Digital ID of "+p.cv.Contact.Address+"?", func() {
		if err := p.core.RemoveDigitalID(p.cv.Contact.Address, fp); err != nil {
			p.message.SetText(app.Explain(err).String())
			return
		}
		p.message.SetText("Digital ID removed.")
		p.changed()
	})
}

func (p *ContactProperties) setDefault() {
	v := p.current()
	if v == nil {
		return
	}
	if err := p.core.SetDefaultDigitalID(p.cv.Contact.Address, v.ID.Fingerprint()); err != nil {
		p.message.SetText(app.Explain(err).String())
		return
	}
	p.message.SetText("This Digital ID is now the default for " + p.cv.Contact.Address + ".")
	p.changed()
}

func (p *ContactProperties) changed() {
	if cs, err := p.core.Contacts(); err == nil {
		for _, c := range cs {
			if strings.EqualFold(c.Contact.Address, p.cv.Contact.Address) {
				p.cv = c
			}
		}
	}
	p.iDs.UnselectAll()
	p.iDs.Refresh()
	if p.OnChange != nil {
		p.OnChange()
	}
}

// tapRow is a list row that opens on double-click.
type tapRow struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	onDouble func()
}

// CreateRenderer draws the row's content.
func (r *tapRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// DoubleTapped opens the row.
func (r *tapRow) DoubleTapped(*fyne.PointEvent) {
	if r.onDouble != nil {
		r.onDouble()
	}
}
