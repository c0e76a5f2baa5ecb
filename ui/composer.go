package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/compose"
	"securemail/internal/displaytext"
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
	tick          func(d time.Duration) (<-chan time.Time, func()) // the autosave clock; tests replace it
	draftID       string                                           // the draft in the store, "" before the first save
	ownDraft      bool                                             // draftID was created by this composer (Discard removes it)
	edits         int                                              // changes made; savedEdits: those in the stored draft
	savedEdits    int                                              //
	savingDraft   bool                                             // a save is under way
	pendingSend   *app.SendOptions                                 // Send was pressed during a save
	ready         bool                                             // built: changes from now on are the user's
	autosaving    bool                                             // the autosave loop runs
	done          chan struct{}                                    // closed with the window
	draftState    *widget.Label                                    // "Draft saved."
	closePrompt   *closePrompt                                     // open while "Save draft / Discard / Cancel" is asked
	subjectPrompt *subjectPrompt                                   // open while "Send without a subject?" is asked
	noSubjectOK   bool                                             // the user said Send to that question
	// OnDraftSaved, when set, is told that Drafts changed (the main window reloads it).
	OnDraftSaved func()
}

// NewComposer opens a composer on a draft (empty for a new message).
func NewComposer(a fyne.App, core Sender, d *compose.Draft) *Composer {
	c := &Composer{win: a.NewWindow(lang.L("compose.title")), core: core, draft: d, contacts: map[string]app.ContactView{}, do: fyne.Do}
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

func (c *Composer) build() {
	c.to = c.recipientEntry()
	c.cc = c.recipientEntry()
	c.to.SetText(strings.Join(c.draft.To, ", "))
	c.cc.SetText(strings.Join(c.draft.Cc, ", "))
	c.subject = newSendEntry(c.send, false)
	c.subject.SetText(c.draft.Subject)
	// A reply's subject is the sender's text: the title shows hidden characters as <U+XXXX>.
	c.subject.OnChanged = func(s string) { c.win.SetTitle(displaytext.Line(orText(s, lang.L("compose.title")))); c.changed() }
	c.win.SetTitle(displaytext.Line(orText(c.draft.Subject, lang.L("compose.title"))))
	c.body = newSendEntry(c.send, true)
	c.body.SetText(c.draft.Text)
	c.body.OnChanged = func(string) { c.changed() }
	c.chips = container.NewHBox()
	c.files = container.NewHBox()
	c.attachments = append(c.attachments, c.draft.Attachments...)
	c.signToggle = widget.NewButtonWithIcon(lang.L("compose.sign"), MarkValid.Icon(), func() { c.sign = !c.sign; c.refreshToggles(); c.changed() })
	c.encryptToggle = widget.NewButtonWithIcon(lang.L("compose.encrypt"), MarkEncrypted.Icon(), func() { c.encrypt = !c.encrypt; c.refreshToggles(); c.changed() })
	c.attachBtn = widget.NewButtonWithIcon(lang.L("compose.attach"), theme.FileIcon(), c.attachWithDialog)
	c.sendBtn = widget.NewButtonWithIcon(lang.L("compose.send"), theme.MailSendIcon(), c.send)
	c.sendBtn.Importance = widget.HighImportance
	c.message = widget.NewLabel("")
	c.message.Wrapping = fyne.TextWrapWord
	c.message.Hide()

	c.refusalText = widget.NewLabel("")
	c.refusalText.Wrapping = fyne.TextWrapWord
	c.askBtn = widget.NewButton(lang.L("compose.ask"), c.askForIDs)
	c.sendPlainBtn = widget.NewButton(lang.L("compose.sendplain"), c.sendWithoutEncryption)
	c.refusal = container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(MarkNoKey.Icon()), nil, c.refusalText),
		container.NewHBox(c.askBtn, c.sendPlainBtn))
	c.refusal.Hide()

	c.draftState = widget.NewLabel("")
	bar := container.NewHBox(c.sendBtn, widget.NewSeparator(), c.signToggle, c.encryptToggle, widget.NewSeparator(), c.attachBtn, c.draftState)
	form := widget.NewForm(widget.NewFormItem(lang.L("mail.to"), c.to), widget.NewFormItem(lang.L("mail.cc"), c.cc), widget.NewFormItem(lang.L("mail.subject"), c.subject))
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
