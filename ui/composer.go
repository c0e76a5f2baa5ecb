package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/internal/displaytext"
	"securemail/internal/mailheader"
	"securemail/internal/safefile"
	"securemail/testaaddr"
	"securemail/ui/i18n"
)

// Composer is the window in which a message is written.
type Composer struct {
	win  fyne.Window
	core Sender

	to, cc               *recipientField
	chips                *fyne.Container
	subject              *sendEntry
	body                 *sendEntry
	signToggle           *widget.Button
	encryptToggle        *widget.Button
	attachBtn, sendBtn   *widget.Button
	files                *fyne.Container
	refusal              *fyne.Container
	refusalText          *widget.Label
	askBtn, sendPlainBtn *widget.Button
	message              *widget.Label
	sign, encrypt        bool
	attachments          []compose.Attachment
	contacts             map[string]app.ContactView
	draft                *compose.Draft
	missing              []app.MissingID
	OnSent               func(*app.SendResult)
	// Confirm asks a yes/no question; tests replace it.
	Confirm func(title, question string, yes func())
	sending bool
	do      func(func())
	// onSendEnd, when set, is told on the UI goroutine that a send ended
	// and whether the message went (the main window's closing waits on it).
	onSendEnd func(sent bool)

	// Drafts: what is typed is kept in Drafts every draftEvery and, on
	// request, when the window closes.
	tick        func(d time.Duration) (<-chan time.Time, func()) // the autosave clock; tests replace it
	draftID     string                                           // the draft in the store, "" before the first save
	ownDraft    bool                                             // draftID was created by this composer (Discard removes it)
	edits       int                                              // changes made; savedEdits: those in the stored draft
	savedEdits  int                                              //
	savingDraft bool                                             // a save is under way
	pendingSend *app.SendOptions                                 // Send was pressed during a save
	ready       bool                                             // built: changes from now on are the user's
	autosaving  bool                                             // the autosave loop runs
	done        chan struct{}                                    // closed with the window
	draftState  *widget.Label                                    // "Draft saved."
	closePrompt *closePrompt                                     // open while "Save draft / Discard / Cancel" is asked
	// OnDraftSaved, when set, is told that Drafts changed (the main window reloads it).
	OnDraftSaved func()
}

// draftEvery is how often typing is saved as a draft: a crash loses at most
// this much of it.
const draftEvery = 5 * time.Second

// closePrompt is the question asked when a composer with unsaved text closes.
type closePrompt struct {
	dialog                dialog.Dialog
	save, discard, cancel *widget.Button
}

// NewComposer opens a composer on a draft (empty for a new message).
func NewComposer(a fyne.App, core Sender, d *compose.Draft) *Composer {
	c := &Composer{win: a.NewWindow("New message"), core: core, draft: d, contacts: map[string]app.ContactView{}, do: fyne.Do}
	c.Confirm = func(title, q string, yes func()) {
		dialog.ShowConfirm(title, q, func(ok bool) {
			if ok {
				yes()
			}
		}, c.win)
	}
	if s, err := core.Settings(); err == nil {
		c.sign, c.encrypt = s.Security.SignAll, s.Security.EncryptAll
	}
	if cs, err := core.Contacts(); err == nil {
		c.setContacts(cs)
	}
	c.build()
	// A recipient's Digital ID may arrive while the message is written
	// (their secure-link reply is fetched, a file is imported): the marks
	// and the refusal follow at once.
	stop := core.WatchContacts(func() { go c.contactsChanged() })
	c.done = make(chan struct{})
	c.tick = func(d time.Duration) (<-chan time.Time, func()) {
		t := time.NewTicker(d)
		return t.C, t.Stop
	}
	c.win.SetOnClosed(func() {
		stop()
		close(c.done)
	})
	c.win.SetCloseIntercept(c.requestClose)
	c.ready = true
	return c
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
	go func() {
		defer stop()
		for {
			select {
			case <-ticks:
				c.do(c.autosave)
			case <-c.done:
				return
			}
		}
	}()
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
				c.showMessage(app.Explain(err).String())
			} else {
				c.draftID, c.savedEdits = id, edits
				if replaces == "" {
					c.ownDraft = true
				}
				c.draftState.SetText("Draft saved.")
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
	p.save = widget.NewButton("Save draft", func() {
		finish()
		c.saveDraft(func(err error) {
			if err == nil {
				c.win.Close()
			}
		})
	})
	p.save.Importance = widget.HighImportance
	p.discard = widget.NewButton("Discard", func() {
		finish()
		if c.ownDraft && c.draftID != "" {
			id := c.draftID
			go c.core.DiscardDraft(context.Background(), id) // best effort: a leftover draft loses nothing
		}
		c.win.Close()
	})
	p.cancel = widget.NewButton("Cancel", finish)
	p.dialog = dialog.NewCustomWithoutButtons("Save this message as a draft?",
		container.NewVBox(widget.NewLabel("What you wrote since the last save would be lost."),
			container.NewHBox(p.save, p.discard, p.cancel)), c.win)
	c.closePrompt = p
	p.dialog.Show()
}

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
		c.showMessage("Every recipient's Digital ID is now in your address book: this message can be sent encrypted.")
	})
}

// missingIDs lists the recipients mail cannot be encrypted for, and why.
func (c *Composer) missingIDs(rcpts []string) []app.MissingID {
	var missing []app.MissingID
	for _, r := range rcpts {
		if m, why := c.recipientMark(r); m != MarkKey {
			missing = append(missing, app.MissingID{Address: r, Reason: why})
		}
	}
	return missing
}

func (c *Composer) build() {
	c.to = c.recipientEntry()
	c.cc = c.recipientEntry()
	c.to.SetText(strings.Join(c.draft.To, ", "))
	c.cc.SetText(strings.Join(c.draft.Cc, ", "))
	c.subject = newSendEntry(c.send, false)
	c.subject.SetText(c.draft.Subject)
	// A reply's subject is the sender's text: the title shows hidden characters as <U+XXXX>.
	c.subject.OnChanged = func(s string) { c.win.SetTitle(displaytext.Line(orText(s, "New message"))); c.changed() }
	c.win.SetTitle(displaytext.Line(orText(c.draft.Subject, "New message")))
	c.body = newSendEntry(c.send, true)
	c.body.SetText(c.draft.Text)
	c.body.OnChanged = func(string) { c.changed() }
	c.chips = container.NewHBox()
	c.files = container.NewHBox()
	c.attachments = append(c.attachments, c.draft.Attachments...)
	c.signToggle = widget.NewButtonWithIcon("Sign", MarkValid.Icon(), func() { c.sign = !c.sign; c.refreshToggles(); c.changed() })
	c.encryptToggle = widget.NewButtonWithIcon("Encrypt", MarkEncrypted.Icon(), func() { c.encrypt = !c.encrypt; c.refreshToggles(); c.changed() })
	c.attachBtn = widget.NewButtonWithIcon("Attach", theme.FileIcon(), c.attachWithDialog)
	c.sendBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), c.send)
	c.sendBtn.Importance = widget.HighImportance
	c.message = widget.NewLabel("")
	c.message.Wrapping = fyne.TextWrapWord
	c.message.Hide()

	c.refusalText = widget.NewLabel("")
	c.refusalText.Wrapping = fyne.TextWrapWord
	c.askBtn = widget.NewButton("Ask for their Digital ID", c.askForIDs)
	c.sendPlainBtn = widget.NewButton("Send without encryption…", c.sendWithoutEncryption)
	c.refusal = container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(MarkNoKey.Icon()), nil, c.refusalText),
		container.NewHBox(c.askBtn, c.sendPlainBtn))
	c.refusal.Hide()

	c.draftState = widget.NewLabel("")
	bar := container.NewHBox(c.sendBtn, widget.NewSeparator(), c.signToggle, c.encryptToggle, widget.NewSeparator(), c.attachBtn, c.draftState)
	form := widget.NewForm(widget.NewFormItem("To", c.to), widget.NewFormItem("Cc", c.cc), widget.NewFormItem("Subject", c.subject))
	// The recipients' marks and the attachments scroll sideways rather than
	// widen the window past the screen (docs/UX.md §6).
	top := container.NewVBox(bar, form, container.NewHScroll(c.chips), c.refusal, c.message)
	c.win.SetContent(container.NewBorder(top, container.NewHScroll(c.files), nil, nil, c.body))
	c.win.Resize(fyne.NewSize(760, 560))
	c.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { c.send() })
	c.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { c.send() })
	escCloses(c.win, nil) // Esc closes an open dialog, never the message being written
	c.refreshToggles()
	c.refreshChips()
	c.refreshFiles()
}

// Show opens the window with the cursor where typing starts: in To for a
// new message or a forward, in the text for a reply.
func (c *Composer) Show() {
	c.win.Show()
	if strings.TrimSpace(c.to.Text) == "" {
		c.win.Canvas().Focus(c.to)
	} else {
		c.win.Canvas().Focus(c.body)
	}
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

// recipientMark says whether mail to addr can be encrypted, and why not.
func (c *Composer) recipientMark(addr string) (Mark, string) {
	cv, ok := c.contacts[mailheader.AddressKey(addr)]
	if !ok || cv.Verdict.Status == addressbook.None {
		return MarkNoKey, "has no Digital ID yet"
	}
	if cv.Verdict.Status == addressbook.Valid {
		return MarkKey, cv.Verdict.Reason
	}
	return MarkNoKey, "whose Digital ID cannot be used: " + strings.TrimSuffix(cv.Verdict.Reason, ".")
}

func (c *Composer) refreshChips() {
	if c.chips == nil {
		return
	}
	c.chips.RemoveAll()
	for _, r := range c.Recipients() {
		// Fyne has no tooltips: the reason a key is struck is written beside it.
		m, why := c.recipientMark(r)
		text := r + " (key: can be encrypted for)"
		if m == MarkNoKey {
			text = r + " (no key: " + strings.TrimSuffix(why, ".") + ")"
		}
		l := widget.NewLabel(text)
		if _, err := testaaddr.Parse(r); err != nil {
			l.SetText(r + " — " + app.Explain(err).String())
			m = MarkInvalid
		}
		c.chips.Add(container.NewHBox(widget.NewIcon(m.Icon()), l))
	}
	c.chips.Refresh()
}

func (c *Composer) refreshToggles() {
	for _, t := range []struct {
		b  *widget.Button
		on bool
	}{{c.signToggle, c.sign}, {c.encryptToggle, c.encrypt}} {
		if t.on {
			t.b.Importance = widget.HighImportance
		} else {
			t.b.Importance = widget.LowImportance
		}
		t.b.Refresh()
	}
	if !c.encrypt {
		c.refusal.Hide()
	}
}

func (c *Composer) refreshFiles() {
	c.files.RemoveAll()
	for i, a := range c.attachments {
		i := i
		c.files.Add(widget.NewLabel(fmt.Sprintf("%s (%s)", a.Name, humanSize(len(a.Data)))))
		c.files.Add(widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			c.attachments = append(c.attachments[:i], c.attachments[i+1:]...)
			c.refreshFiles()
			c.changed()
		}))
	}
	c.files.Refresh()
}

// AddAttachment attaches a file's bytes, unless the message would then be
// too large to send: that is said at once, with the sizes, and the file
// is not attached.
func (c *Composer) AddAttachment(name string, data []byte) {
	a := compose.Attachment{Name: safefile.Name(name), Data: data}
	if err := c.core.CheckAttachment(c.Draft(), a, app.SendOptions{Sign: c.sign, Encrypt: c.encrypt}); err != nil {
		c.showMessage(attachRefusal(err))
		return
	}
	c.attachments = append(c.attachments, a)
	c.refreshFiles()
	c.changed()
}

// attachRefusal words why a file was not attached: for a size, in the
// user's units, the file's, the message's as sent and the limit's.
func attachRefusal(err error) string {
	var tl *app.TooLargeError
	if !errors.As(err, &tl) {
		return "The file was not attached: " + app.Explain(err).String()
	}
	why := "base64 makes attachments about a third larger"
	if tl.Encrypted {
		why = "base64 makes attachments about a third larger, and encryption about a third again"
	}
	by := "your settings allow messages of at most " + i18n.Size(tl.Limit.Octets)
	if tl.Limit.Server != "" {
		by = "the mail server " + tl.Limit.Server + " accepts messages of at most " + i18n.Size(tl.Limit.Octets)
	}
	return fmt.Sprintf("%s (%s) was not attached: with it the message would be %s as sent (%s), and %s. Send the file in smaller parts, or compressed.",
		displaytext.Line(tl.Name), i18n.Size(tl.Size), i18n.Size(tl.Encoded), why, by)
}

func (c *Composer) attachWithDialog() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err != nil {
			errDialog(err, c.win)
			return
		}
		c.AddAttachment(r.URI().Name(), data)
	}, c.win)
}

// Draft is the message as it stands.
func (c *Composer) Draft() *compose.Draft {
	d := *c.draft
	d.To, d.Cc = nil, nil
	for _, p := range strings.Split(c.to.Text, ",") {
		if p = strings.TrimSpace(p); p != "" {
			d.To = append(d.To, p)
		}
	}
	for _, p := range strings.Split(c.cc.Text, ",") {
		if p = strings.TrimSpace(p); p != "" {
			d.Cc = append(d.Cc, p)
		}
	}
	d.Subject, d.Text, d.Attachments = c.subject.Text, c.body.Text, c.attachments
	if s, err := c.core.Settings(); err == nil {
		d.From, d.FromName = s.Account.Address, s.Account.DisplayName
	}
	return &d
}

// send checks principle 3 before anything leaves, then sends off the UI goroutine.
func (c *Composer) send() {
	if c.sending {
		return
	}
	rcpts := c.Recipients()
	if len(rcpts) == 0 {
		c.showMessage("Add at least one recipient in To.")
		return
	}
	for _, r := range rcpts {
		if _, err := testaaddr.Parse(r); err != nil {
			c.showMessage(fmt.Sprintf("%s is not a TESTA address: %s", r, app.Explain(err).String()))
			return
		}
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
	c.showMessage("Sending…")
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
				c.showMessage(app.Explain(err).String())
			default:
				c.showMessage("Sent.")
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

// RefusalSentence is principle 3's sentence for recipients that cannot be
// encrypted for.
func RefusalSentence(missing []app.MissingID) string {
	var parts []string
	for _, m := range missing {
		parts = append(parts, m.Address+" "+strings.TrimSuffix(m.Reason, "."))
	}
	who := "them"
	if len(missing) == 1 {
		who = "this recipient"
	}
	return strings.Join(parts, "; ") + ", so this message cannot be encrypted for " + who + "."
}

func (c *Composer) refuse(missing []app.MissingID) {
	c.missing = missing
	c.refusalText.SetText(RefusalSentence(missing))
	first := missing[0].Address
	if a, err := testaaddr.Parse(first); err == nil {
		first = a.FirstName
	}
	if len(missing) == 1 {
		c.askBtn.SetText("Ask " + first + " for their Digital ID")
	} else {
		c.askBtn.SetText("Ask them for their Digital IDs")
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
				c.showMessage(app.Explain(err).String())
				return
			}
			c.showMessage("A signed secure link request was sent to " + strings.Join(addrs, ", ") +
				". Once they reply, their Digital ID is in your address book and you can send this message encrypted.")
		})
	}()
}

func (c *Composer) sendWithoutEncryption() {
	c.Confirm("Send without encryption?",
		"Anyone who can read the mail on its way could read this message. Send it without encryption?",
		func() {
			c.encrypt = false
			c.refreshToggles()
			c.doSend(app.SendOptions{Sign: c.sign, Encrypt: false})
		})
}

func (c *Composer) showMessage(s string) {
	c.message.SetText(s)
	c.message.Show()
}

func orText(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// A focused entry receives the shortcuts typed in it, so the composer's
// fields pass Ctrl+Enter on to Send themselves.

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

func isSendShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierShortcutDefault
}
