package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/displaytext"
	"securemail/internal/phrase"
	"securemail/ui/i18n"
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
	w := &AddressBookWindow{win: a.NewWindow(lang.L("book.title")), core: core, selected: -1, message: widget.NewLabel("")}
	w.list = newKeyList(func() int { return len(w.rows) }, newContactRow, w.updateRow)
	w.list.keys = escCloses(w.win, w.win.Close)
	w.closeBtn = widget.NewButton(lang.L("Close"), w.win.Close)
	w.list.OnSelected = func(id widget.ListItemID) { w.selected = id; w.propsBtn.Enable() }
	w.newBtn = widget.NewButtonWithIcon(lang.L("book.new"), theme.ContentAddIcon(), func() { w.editContact(nil) })
	w.propsBtn = widget.NewButtonWithIcon(lang.L("book.properties"), theme.InfoIcon(), func() {
		if w.selected >= 0 && w.selected < len(w.rows) {
			w.ShowContact(w.rows[w.selected])
		}
	})
	w.propsBtn.Disable()
	w.importBtn = widget.NewButtonWithIcon(lang.L("book.import"), theme.FolderOpenIcon(), w.importWithDialog)
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
		w.message.SetText(explain(err))
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

// sayReason is a verdict's sentence in the window's language: its phrase,
// or its English Reason when the core gave no phrase.
func sayReason(p phrase.Phrase, english string) string {
	if p.IsZero() {
		return english
	}
	return i18n.Say(p)
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
	grid.Objects[1].(*widget.Label).SetText(displaytext.Line(sayReason(cv.Verdict.Phrase, cv.Verdict.Reason)))
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
		dialog.ShowConfirm(lang.L("book.remove.title"), q, func(ok bool) {
			if ok {
				yes()
			}
		}, w.win)
	}
	d := dialog.NewCustom(lang.L("book.contact.properties"), lang.L("Close"), p.content, w.win)
	d.Resize(fyne.NewSize(700, 440))
	d.Show()
}

func (w *AddressBookWindow) importWithDialog() {
	openFile(w.win, w.core, "", func(_ string, data []byte) { w.ImportData(data) }, func(err error) { w.message.SetText(explain(err)) })
}

// ImportData imports a .p7b, .cer or .pem file of someone's Digital ID.
func (w *AddressBookWindow) ImportData(data []byte) {
	addrs, err := w.core.ImportDigitalID(data)
	if err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.message.SetText(lang.L("book.added", map[string]any{"Addresses": displaytext.Line(strings.Join(addrs, ", "))}))
	w.Reload()
}

// editContact opens the new / edit contact form.
func (w *AddressBookWindow) editContact(c *addressbook.Contact) {
	f := NewContactForm(w.core, c)
	var d dialog.Dialog
	f.OnSaved = func() { w.Reload(); d.Hide() }
	d = dialog.NewCustomWithoutButtons(lang.L("book.contact"), container.NewBorder(nil, container.NewHBox(f.saveBtn, widget.NewButton(lang.L("Cancel"), func() { d.Hide() })), nil, nil, f.content), w.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}
