package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/mailheader"
	"securemail/testaaddr"
)

// The composer's recipients: the To and Cc fields, completion from the address book, and the chips that mark who can receive encrypted mail.

// setContacts keeps the address book by address (the one comparison,
// mailheader.AddressKey).
func (c *Composer) setContacts(cs []app.ContactView) {
	c.contacts = make(map[string]app.ContactView, len(cs))
	for _, cv := range cs {
		c.contacts[mailheader.AddressKey(cv.Contact.Address)] = cv
	}
}

// contactsChanged reads the address book again (off the UI goroutine) and
// updates the recipients' marks and, when Send was refused for want of a
// Digital ID, the refusal: gone once every recipient has one.
func (c *Composer) contactsChanged() {
	cs, err := c.core.Contacts()
	if err != nil {
		return // the marks stay as they were; Send checks again
	}
	c.do(func() {
		c.setContacts(cs)
		c.refreshChips()
		if !c.refusal.Visible() {
			return
		}
		if missing := c.missingIDs(c.Recipients()); len(missing) > 0 {
			c.refuse(missing)
			return
		}
		c.refusal.Hide()
		c.showMessage(lang.L("compose.allids"))
	})
}

// missingIDs lists the recipients mail cannot be encrypted for, and why
// (Reason in the window's language).
func (c *Composer) missingIDs(rcpts []string) []app.MissingID {
	var missing []app.MissingID
	for _, r := range rcpts {
		if m, why := c.recipientMark(r); m != MarkKey {
			missing = append(missing, app.MissingID{Address: r, Reason: why, Verdict: c.verdict(r)})
		}
	}
	return missing
}

func (c *Composer) recipientEntry() *recipientField {
	e := &recipientField{onSend: c.send}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetPlaceHolder("Firstname.Surname@tcn.xx.eu-admin.net")
	e.OnChanged = func(s string) {
		e.SetOptions(c.completions(s))
		c.refreshChips()
		c.changed()
	}
	return e
}

// completions proposes address-book addresses for the recipient being typed
// (the text after the last comma); each option is the whole field's text.
func (c *Composer) completions(text string) []string {
	head, last := "", strings.TrimSpace(text)
	if i := strings.LastIndex(text, ","); i >= 0 {
		head, last = strings.TrimSpace(text[:i])+", ", strings.TrimSpace(text[i+1:])
	}
	if last == "" {
		return nil
	}
	var out []string
	for addr, cv := range c.contacts {
		if strings.Contains(addr, strings.ToLower(last)) || strings.Contains(strings.ToLower(cv.Contact.Name), strings.ToLower(last)) {
			if addr != mailheader.AddressKey(last) {
				out = append(out, head+cv.Contact.Address)
			}
		}
	}
	sortStrings(out)
	if len(out) > 8 {
		out = out[:8]
	}
	return out
}

// Recipients returns the addresses in To and Cc.
func (c *Composer) Recipients() []string {
	var out []string
	for _, e := range []*recipientField{c.to, c.cc} {
		for _, p := range strings.Split(e.Text, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// verdict is the address book's verdict on addr (status None when addr is
// not in it).
func (c *Composer) verdict(addr string) addressbook.ContactVerdict {
	if cv, ok := c.contacts[mailheader.AddressKey(addr)]; ok {
		return cv.Verdict
	}
	return addressbook.ContactVerdict{Status: addressbook.None}
}

// recipientMark says whether mail to addr can be encrypted, and why not.
func (c *Composer) recipientMark(addr string) (Mark, string) { return verdictMark(c.verdict(addr)) }

// verdictMark says whether mail to a contact with verdict v can be
// encrypted, and why not, in the window's language.
func verdictMark(v addressbook.ContactVerdict) (Mark, string) {
	switch v.Status {
	case addressbook.None:
		return MarkNoKey, lang.L("compose.recipient.noid")
	case addressbook.Valid:
		return MarkKey, sayReason(v.Phrase, v.Reason)
	}
	return MarkNoKey, lang.L("compose.recipient.unusable", map[string]any{"Reason": strings.TrimSuffix(sayReason(v.Phrase, v.Reason), ".")})
}

func (c *Composer) refreshChips() {
	if c.chips == nil {
		return
	}
	c.chips.RemoveAll()
	for _, r := range c.Recipients() {
		// Fyne has no tooltips: the reason a key is struck is written beside it.
		m, why := c.recipientMark(r)
		text := lang.L("compose.chip.key", map[string]any{"Address": r})
		if m == MarkNoKey {
			text = lang.L("compose.chip.nokey", map[string]any{"Address": r, "Why": strings.TrimSuffix(why, ".")})
		}
		l := widget.NewLabel(text)
		if _, err := testaaddr.Parse(r); err != nil {
			l.SetText(r + " — " + explain(err))
			m = MarkInvalid
		}
		c.chips.Add(container.NewHBox(widget.NewIcon(m.Icon()), l))
	}
	c.chips.Refresh()
}

// recipientField is To or Cc: an entry with address-book completion.
type recipientField struct {
	widget.SelectEntry
	onSend func()
}

// TypedShortcut sends on Ctrl+Enter and passes everything else on.
func (e *recipientField) TypedShortcut(s fyne.Shortcut) {
	if isSendShortcut(s) {
		e.onSend()
		return
	}
	e.SelectEntry.TypedShortcut(s)
}
