package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/ui/i18n"
)

// ContactProperties is a contact's properties: General and Digital IDs tabs.
type ContactProperties struct {
	content       fyne.CanvasObject
	ids           *widget.List
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
	p.ids = widget.NewList(func() int { return len(p.cv.Verdict.IDs) },
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
			text := sayReason(v.Phrase, v.Reason) // a damaged Digital ID has no name or date to show
			if cert := v.ID.Certificate(); cert != nil {
				text = lang.L("contact.id.until", map[string]any{"Name": cert.Subject.CommonName, "Date": i18n.Date(v.NotAfter.UTC())})
				if v.ID.Default {
					text = lang.L("contact.id.untildefault", map[string]any{"Name": cert.Subject.CommonName, "Date": i18n.Date(v.NotAfter.UTC())})
				}
				if v.Reason != "" {
					text += " · " + sayReason(v.Phrase, v.Reason)
				}
			}
			c.Objects[0].(*widget.Label).SetText(displaytext.Line(text))
		})
	p.ids.OnSelected = func(id widget.ListItemID) {
		p.selected = id
		p.viewBtn.Enable()
		p.removeBtn.Enable()
		p.setDefaultBtn.Enable()
	}
	p.viewBtn = widget.NewButton(lang.L("contact.view"), p.view)
	p.removeBtn = widget.NewButton(lang.L("contact.remove"), p.remove)
	p.setDefaultBtn = widget.NewButton(lang.L("contact.setdefault"), p.setDefault)
	p.importBtn = widget.NewButton(lang.L("contact.import"), nil) // the window sets it: the file dialog needs a parent
	for _, b := range []*widget.Button{p.viewBtn, p.removeBtn, p.setDefaultBtn} {
		b.Disable()
	}
	m, word := ContactMark(cv.Verdict)
	// A long address breaks onto a second line rather than widen the
	// dialog past its window (German's longer field names leave it less room).
	addr := widget.NewLabel(displaytext.Line(cv.Contact.Address))
	addr.Wrapping = fyne.TextWrapBreak
	general := widget.NewForm(
		widget.NewFormItem(lang.L("contact.address"), addr),
		widget.NewFormItem(lang.L("contact.name"), widget.NewLabel(displaytext.Line(cv.Contact.Name))),
		widget.NewFormItem(lang.L("contact.status"), container.NewBorder(nil, nil, widget.NewIcon(m.Icon()), nil, para(displaytext.Line(word+" — "+sayReason(cv.Verdict.Phrase, cv.Verdict.Reason))))),
		widget.NewFormItem(lang.L("link.title"), widget.NewLabel(LinkStateText(cv.Contact.Link))),
	)
	ids := container.NewBorder(nil, container.NewVBox(container.NewHBox(p.viewBtn, p.setDefaultBtn, p.removeBtn, p.importBtn), p.details, p.message), nil, nil, p.ids)
	p.content = container.NewAppTabs(container.NewTabItem(lang.L("contact.tab.general"), general), container.NewTabItem(lang.L("contact.tab.ids"), ids))
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
	if c == nil {
		p.details.SetText(sayReason(v.Phrase, v.Reason))
		return
	}
	p.details.SetText(lang.L("contact.id.details", map[string]any{
		"Subject": displaytext.Line(identity.NameText(c.Subject)), "Issuer": displaytext.Line(identity.NameText(c.Issuer)),
		"From": i18n.Date(c.NotBefore.UTC()), "To": i18n.Date(c.NotAfter.UTC()), "Fingerprint": v.ID.Fingerprint(),
		"Reason": displaytext.Line(orText(sayReason(v.Phrase, v.Reason), lang.L("contact.id.usable")))}))
}

func (p *ContactProperties) remove() {
	v := p.current()
	if v == nil {
		return
	}
	fp := v.ID.Fingerprint()
	p.Confirm(lang.L("contact.id.removeq", map[string]any{"Address": p.cv.Contact.Address}), func() {
		if err := p.core.RemoveDigitalID(p.cv.Contact.Address, fp); err != nil {
			p.message.SetText(explain(err))
			return
		}
		p.message.SetText(lang.L("contact.id.removed"))
		p.changed()
	})
}

func (p *ContactProperties) setDefault() {
	v := p.current()
	if v == nil {
		return
	}
	if err := p.core.SetDefaultDigitalID(p.cv.Contact.Address, v.ID.Fingerprint()); err != nil {
		p.message.SetText(explain(err))
		return
	}
	p.message.SetText(lang.L("contact.id.isdefault", map[string]any{"Address": p.cv.Contact.Address}))
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
	p.ids.UnselectAll()
	p.ids.Refresh()
	if p.OnChange != nil {
		p.OnChange()
	}
}
