package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app/compose"
)

// The composer's draft keeping: autosave to Drafts, and the question on closing with unsaved text.

// draftEvery is how often typing is saved as a draft: a crash loses at most
// this much of it.
const draftEvery = 5 * time.Second

// closePrompt is the question asked when a composer with unsaved text closes.
type closePrompt struct {
	dialog                dialog.Dialog
	save, discard, cancel *widget.Button
}

// Resume makes the composer edit the draft stored as id (opened from the
// Drafts folder), with the toggles it was left with.
func (c *Composer) Resume(id string, opts compose.DraftOptions) {
	c.draftID, c.ownDraft = id, false
	c.sign, c.encrypt = opts.Sign, opts.Encrypt
	c.refreshToggles()
}

// changed notes an edit and starts the autosave clock at the first one.
func (c *Composer) changed() {
	if !c.ready {
		return
	}
	c.edits++
	if c.autosaving {
		return
	}
	c.autosaving = true
	ticks, stop := c.tick(draftEvery)
	go repeat(ticks, stop, c.done, func() { c.do(c.autosave) })
}

// unsaved says whether something typed is not in the stored draft.
func (c *Composer) unsaved() bool { return c.edits != c.savedEdits && c.hasContent() }

func (c *Composer) hasContent() bool {
	return len(c.Recipients()) > 0 || strings.TrimSpace(c.subject.Text) != "" || strings.TrimSpace(c.body.Text) != "" || len(c.attachments) > 0
}

// autosave keeps the message in Drafts when it changed since the last save.
func (c *Composer) autosave() {
	if c.sending || c.savingDraft || !c.unsaved() {
		return
	}
	c.saveDraft(nil)
}

// saveDraft stores the message as it stands off the UI goroutine; then,
// when set, runs on the UI goroutine with the outcome.
func (c *Composer) saveDraft(then func(error)) {
	d, opts, edits, replaces := c.Draft(), compose.DraftOptions{Sign: c.sign, Encrypt: c.encrypt}, c.edits, c.draftID
	c.savingDraft = true
	go func() {
		id, err := c.core.SaveDraft(context.Background(), replaces, d, opts)
		c.do(func() {
			c.savingDraft = false
			if err != nil {
				c.draftState.SetText("")
				c.showMessage(explain(err))
			} else {
				c.draftID, c.savedEdits = id, edits
				if replaces == "" {
					c.ownDraft = true
				}
				c.draftState.SetText(lang.L("compose.draftsaved"))
				if c.OnDraftSaved != nil {
					c.OnDraftSaved()
				}
			}
			if then != nil {
				then(err)
			}
			if p := c.pendingSend; p != nil {
				c.pendingSend = nil
				c.doSend(*p)
			}
		})
	}()
}

// requestClose is the window's close button: with unsaved text it asks
// "Save draft / Discard / Cancel" first.
func (c *Composer) requestClose() {
	if c.sending || !c.unsaved() {
		c.win.Close()
		return
	}
	if c.closePrompt != nil {
		return
	}
	p := &closePrompt{}
	finish := func() { p.dialog.Hide(); c.closePrompt = nil }
	p.save = widget.NewButton(lang.L("compose.savedraft"), func() {
		finish()
		c.saveDraft(func(err error) {
			if err == nil {
				c.win.Close()
			}
		})
	})
	p.save.Importance = widget.HighImportance
	p.discard = widget.NewButton(lang.L("settings.discard"), func() {
		finish()
		if c.ownDraft && c.draftID != "" {
			id := c.draftID
			go c.core.DiscardDraft(context.Background(), id) // best effort: a leftover draft loses nothing
		}
		c.win.Close()
	})
	p.cancel = widget.NewButton(lang.L("Cancel"), finish)
	p.dialog = dialog.NewCustomWithoutButtons(lang.L("compose.draft.title"),
		container.NewVBox(widget.NewLabel(lang.L("compose.draft.text")),
			container.NewHBox(p.save, p.discard, p.cancel)), c.win)
	c.closePrompt = p
	p.dialog.Show()
}
