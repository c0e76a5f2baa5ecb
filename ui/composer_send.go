package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/testaaddr"
)

// Sending from the composer: Send, the refusal when a recipient has no Digital ID, and its two ways out; Ctrl+Enter sends.

// send checks principle 3 before anything leaves, then sends off the UI goroutine.
func (c *Composer) send() {
	if c.sending {
		return
	}
	rcpts := c.Recipients()
	if len(rcpts) == 0 {
		c.showMessage(lang.L("compose.norecipient"))
		return
	}
	for _, r := range rcpts {
		if _, err := testaaddr.Parse(r); err != nil {
			// The mark line beside the address already says what is wrong
			// with it (refreshChips): it is not said a second time here.
			c.showMessage(lang.L("compose.fix.marked"))
			return
		}
	}
	if strings.TrimSpace(c.subject.Text) == "" && !c.noSubjectOK {
		c.askNoSubject()
		return
	}
	if c.encrypt {
		if missing := c.missingIDs(rcpts); len(missing) > 0 {
			c.refuse(missing)
			return
		}
	}
	c.doSend(app.SendOptions{Sign: c.sign, Encrypt: c.encrypt})
}

func (c *Composer) doSend(opts app.SendOptions) {
	if c.savingDraft { // the draft being stored is the one Send removes: send once it is
		c.pendingSend = &opts
		return
	}
	c.sending = true
	c.sendBtn.Disable()
	c.showMessage(lang.L("link.sending"))
	d := c.Draft()
	opts.Draft = c.draftID
	go func() {
		res, err := c.core.Send(context.Background(), d, opts)
		c.do(func() {
			c.sending = false
			c.sendBtn.Enable()
			var nd *app.NoDigitalIDError
			switch {
			case errors.As(err, &nd):
				c.message.Hide()
				c.refuse(nd.Recipients)
			case err != nil:
				c.showMessage(explain(err))
			default:
				c.showMessage(lang.L("compose.sent"))
				if c.OnSent != nil {
					c.OnSent(res)
				}
				c.win.Close()
			}
			if c.onSendEnd != nil {
				c.onSendEnd(err == nil)
			}
		})
	}()
}

// subjectPrompt is "Send without a subject?" with its two buttons.
type subjectPrompt struct {
	dialog       dialog.Dialog
	send, cancel *widget.Button
}

// askNoSubject asks before a message without a subject goes; Send sends it
// as it is, Cancel puts the cursor in Subject.
func (c *Composer) askNoSubject() {
	if c.subjectPrompt != nil {
		return
	}
	p := &subjectPrompt{}
	finish := func() { p.dialog.Hide(); c.subjectPrompt = nil }
	p.send = widget.NewButton(lang.L("compose.nosubject.send"), func() {
		finish()
		c.noSubjectOK = true
		c.send()
	})
	p.send.Importance = widget.HighImportance
	p.cancel = widget.NewButton(lang.L("Cancel"), func() {
		finish()
		c.win.Canvas().Focus(c.subject)
	})
	p.dialog = dialog.NewCustomWithoutButtons(lang.L("compose.nosubject.title"),
		container.NewVBox(widget.NewLabel(lang.L("compose.nosubject.text")), container.NewHBox(p.send, p.cancel)), c.win)
	c.subjectPrompt = p
	p.dialog.Show()
}

// RefusalSentence is principle 3's sentence for recipients that cannot be
// encrypted for, each said from its verdict in the window's language (from
// Reason when it has none).
func RefusalSentence(missing []app.MissingID) string {
	var parts []string
	for _, m := range missing {
		why := m.Reason
		if m.Verdict.Status != "" {
			_, why = verdictMark(m.Verdict)
		}
		parts = append(parts, m.Address+" "+strings.TrimSuffix(why, "."))
	}
	return lang.N("compose.refusal", len(missing), map[string]any{"Reasons": strings.Join(parts, "; ")})
}

func (c *Composer) refuse(missing []app.MissingID) {
	c.missing = missing
	c.refusalText.SetText(RefusalSentence(missing))
	first := missing[0].Address
	if a, err := testaaddr.Parse(first); err == nil {
		first = a.FirstName
	}
	if len(missing) == 1 {
		c.askBtn.SetText(lang.L("compose.askone", map[string]any{"Name": first}))
	} else {
		c.askBtn.SetText(lang.L("compose.askall"))
	}
	c.askBtn.Enable()
	c.refusal.Show()
}

func (c *Composer) askForIDs() {
	var addrs []string
	for _, m := range c.missing {
		addrs = append(addrs, m.Address)
	}
	c.askBtn.Disable()
	go func() {
		err := c.core.RequestSecureLink(context.Background(), addrs)
		c.do(func() {
			if err != nil {
				c.askBtn.Enable()
				c.showMessage(explain(err))
				return
			}
			c.showMessage(lang.L("compose.asked", map[string]any{"Addresses": strings.Join(addrs, ", ")}))
		})
	}()
}

func (c *Composer) sendWithoutEncryption() {
	c.Confirm(lang.L("compose.plain.title"), lang.L("compose.plain.question"),
		func() {
			c.encrypt = false
			c.refreshToggles()
			c.doSend(app.SendOptions{Sign: c.sign, Encrypt: false})
		})
}

// sendEntry is the subject or the message text.
type sendEntry struct {
	widget.Entry
	onSend func()
}

func newSendEntry(onSend func(), multiLine bool) *sendEntry {
	e := &sendEntry{onSend: onSend}
	if multiLine {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut sends on Ctrl+Enter and passes everything else on.
func (e *sendEntry) TypedShortcut(s fyne.Shortcut) {
	if isSendShortcut(s) {
		e.onSend()
		return
	}
	e.Entry.TypedShortcut(s)
}

func isSendShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierShortcutDefault
}
