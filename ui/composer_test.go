package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
)

func contactsCore() *fakeCore {
	f := newFakeCore()
	f.contacts = []app.ContactView{
		{Contact: &addressbook.Contact{Address: "Marie.Curie@tcn.f.eu-admin.net", Name: "Marie Curie"},
			Verdict: addressbook.ContactVerdict{Status: addressbook.Valid, Reason: "Digital ID valid until 2 April 2026.", Usable: &addressbook.DigitalID{}}},
		{Contact: &addressbook.Contact{Address: "Eve.Mallory@tcn.b.eu-admin.net"},
			Verdict: addressbook.ContactVerdict{Status: addressbook.Invalid, Reason: "Their Digital ID expired on 2 February 2026."}},
	}
	return f
}

func newTestComposer(t *testing.T, f *fakeCore) (*Composer, *serial) {
	a := test.NewTempApp(t)
	c := NewComposer(a, f, &compose.Draft{})
	s := &serial{}
	c.do = s.do
	return c, s
}

func TestComposerTogglesDefaultFromSettingsAndSend(t *testing.T) {
	f := contactsCore()
	f.settings.Security.SignAll, f.settings.Security.EncryptAll = true, true
	c, s := newTestComposer(t, f)
	if !c.sign || !c.encrypt {
		t.Fatal("Sign and Encrypt must be pressed by default when the settings say sign and encrypt all")
	}
	s.do(func() {
		test.Type(c.to, "curie")
		if opts := c.completions(c.to.Text); len(opts) != 1 || opts[0] != "Marie.Curie@tcn.f.eu-admin.net" {
			t.Errorf("completion %v", opts)
		}
		c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		if m, _ := c.recipientMark("Marie.Curie@tcn.f.eu-admin.net"); m != MarkKey {
			t.Errorf("Marie has a valid Digital ID: want the key mark, got %v", m)
		}
		test.Type(c.subject, "Dossier 42")
		test.Type(c.body, "Card 42 is blocked.")
		test.Tap(c.signToggle) // sign off
		test.Tap(c.signToggle) // and on again
		test.Tap(c.sendBtn)
	})
	eventually(t, s, "sent", func() bool { return len(f.sent) == 1 })
	got := f.sent[0]
	if !got.Opts.Sign || !got.Opts.Encrypt || got.Draft.Subject != "Dossier 42" || got.Draft.Text != "Card 42 is blocked." ||
		got.Draft.From != "Jan.Novak@tcn.cz.eu-admin.net" {
		t.Errorf("sent %+v with %+v", got.Draft, got.Opts)
	}
}

func TestComposerSignOnlyNeedsNoDigitalID(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	s.do(func() {
		c.to.SetText("Ada.Lovelace@tcn.gb.eu-admin.net")
		c.subject.SetText("Dossier 42")
		test.Tap(c.encryptToggle) // encrypt off
		test.Tap(c.sendBtn)
	})
	eventually(t, s, "sent", func() bool { return len(f.sent) == 1 })
	if o := f.sent[0].Opts; !o.Sign || o.Encrypt {
		t.Errorf("options %+v", o)
	}
}

func TestComposerRefusesToEncryptWithoutDigitalID(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	var asked string
	c.Confirm = func(title, q string, yes func()) { asked = q; yes() }
	s.do(func() {
		c.to.SetText("Ada.Lovelace@tcn.gb.eu-admin.net")
		c.subject.SetText("Dossier 42")
		test.Tap(c.sendBtn)
	})
	if len(f.sent) != 0 {
		t.Fatal("a message left although a recipient has no Digital ID")
	}
	if c.refusal.Hidden {
		t.Fatal("no refusal shown")
	}
	want := "Ada.Lovelace@tcn.gb.eu-admin.net has no Digital ID yet, so this message cannot be encrypted for this recipient."
	if c.refusalText.Text != want {
		t.Errorf("refusal %q\nwant    %q", c.refusalText.Text, want)
	}
	if c.askBtn.Text != "Ask Ada for their Digital ID" || c.sendPlainBtn.Text != "Send without encryption…" {
		t.Errorf("buttons %q / %q", c.askBtn.Text, c.sendPlainBtn.Text)
	}
	s.do(func() { test.Tap(c.askBtn) })
	eventually(t, s, "request sent", func() bool { return len(f.requested) == 1 })
	if f.requested[0][0] != "Ada.Lovelace@tcn.gb.eu-admin.net" {
		t.Errorf("requested %v", f.requested)
	}
	s.do(func() { test.Tap(c.sendPlainBtn) })
	if !strings.Contains(asked, "without encryption") {
		t.Errorf("no confirmation asked: %q", asked)
	}
	eventually(t, s, "sent plain", func() bool { return len(f.sent) == 1 })
	if f.sent[0].Opts.Encrypt || !f.sent[0].Opts.Sign {
		t.Errorf("options %+v", f.sent[0].Opts)
	}
}

func TestComposerShowsCoreRefusal(t *testing.T) {
	f := contactsCore()
	f.sendErr = &app.NoDigitalIDError{Recipients: []app.MissingID{{Address: "Marie.Curie@tcn.f.eu-admin.net", Reason: "whose Digital ID expired on 2 November 2026"}}}
	c, s := newTestComposer(t, f)
	s.do(func() {
		c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		c.subject.SetText("Dossier 42")
		test.Tap(c.sendBtn)
	})
	eventually(t, s, "refusal", func() bool { return !c.refusal.Hidden })
	if !strings.HasPrefix(c.refusalText.Text, "Marie.Curie@tcn.f.eu-admin.net whose Digital ID expired on 2 November 2026, so") {
		t.Errorf("refusal %q", c.refusalText.Text)
	}
	if c.askBtn.Text != "Ask Marie for their Digital ID" {
		t.Errorf("ask %q", c.askBtn.Text)
	}
}

func TestComposerExpiredContactIsStruckKey(t *testing.T) {
	c, _ := newTestComposer(t, contactsCore())
	m, why := c.recipientMark("eve.mallory@tcn.b.eu-admin.net")
	if m != MarkNoKey || !strings.Contains(why, "expired") {
		t.Errorf("Eve: %v %q", m, why)
	}
}

// TestComposerRefusesBadAddress (issue 14 point 7): an invalid recipient is
// explained once, in its mark line; the line under the form only says to
// correct it, without repeating why.
func TestComposerRefusesBadAddress(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	s.do(func() {
		test.Type(c.to, "Dossier 43")
		c.subject.SetText("Dossier 43")
		test.Tap(c.sendBtn)
	})
	var chips []string
	s.do(func() { chips = chipTexts(c) })
	if len(f.sent) != 0 || c.message.Hidden || len(chips) != 1 || !strings.Contains(chips[0], "space") {
		t.Fatalf("message %q, marks %q", c.message.Text, chips)
	}
	if strings.Contains(c.message.Text, "space") || strings.Contains(c.message.Text, "Dossier 43") {
		t.Errorf("the reason is said twice: mark %q and message %q", chips[0], c.message.Text)
	}
}

// TestComposerAsksBeforeSendingWithoutSubject (issue 14 point 7): Send with
// an empty subject asks "Send without a subject?"; Cancel sends nothing and
// Send sends it as it is.
func TestComposerAsksBeforeSendingWithoutSubject(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	s.do(func() {
		c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		test.Type(c.body, "Card 42 is blocked.")
		test.Tap(c.sendBtn)
	})
	if c.subjectPrompt == nil || len(f.sent) != 0 {
		t.Fatalf("no question before sending without a subject (%d sent)", len(f.sent))
	}
	s.do(func() { test.Tap(c.subjectPrompt.cancel) })
	if c.subjectPrompt != nil || len(f.sent) != 0 || c.sending {
		t.Fatal("Cancel must send nothing")
	}
	s.do(func() { test.Tap(c.sendBtn) })
	if c.subjectPrompt == nil {
		t.Fatal("the question must be asked again after Cancel")
	}
	s.do(func() { test.Tap(c.subjectPrompt.send) })
	eventually(t, s, "sent without a subject", func() bool { return len(f.sent) == 1 })
	if f.sent[0].Draft.Subject != "" || f.sent[0].Draft.Text != "Card 42 is blocked." {
		t.Errorf("sent %+v", f.sent[0].Draft)
	}
}

func TestComposerShowsSendError(t *testing.T) {
	f := contactsCore()
	f.sendErr = &app.Problem{What: "The server refused the message"}
	c, s := newTestComposer(t, f)
	s.do(func() {
		c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		c.subject.SetText("Dossier 42")
		test.Tap(c.sendBtn)
	})
	eventually(t, s, "error shown", func() bool { return c.message.Text == "The server refused the message." })
}

func TestComposerCtrlEnterSendsFromAnyField(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	s.do(func() {
		c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		c.subject.SetText("Dossier 42")
		c.to.TypedShortcut(ctrlEnter)
	})
	eventually(t, s, "sent from To", func() bool { return len(f.sent) == 1 })
	c2, s2 := newTestComposer(t, f)
	s2.do(func() {
		c2.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
		c2.subject.SetText("Dossier 42")
		c2.body.TypedShortcut(ctrlEnter)
	})
	eventually(t, s2, "sent from the text", func() bool { return len(f.sent) == 2 })
}

// TestStartComposingOpensTheLinksDraft: a mailto: link opens the main window
// and, over it, a composer filled from the link.
func TestStartComposingOpensTheLinksDraft(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	f.account = true
	d := &compose.Draft{To: []string{"Marie.Curie@tcn.f.eu-admin.net"}, Subject: "Dossier 42", Text: "Bonjour"}
	StartComposing(a, f, nil, nil, d)
	var titles []string
	var composer fyne.Window
	for _, w := range a.Driver().AllWindows() {
		titles = append(titles, w.Title())
		if w.Title() == "Dossier 42" {
			composer = w
		}
	}
	if !slices.Contains(titles, "SecureMail") || composer == nil {
		t.Fatalf("windows %q; want the main window and a composer titled Dossier 42", titles)
	}
	var entries []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *recipientField:
			entries = append(entries, v.Text)
		case *sendEntry:
			entries = append(entries, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(composer.Content())
	slices.Sort(entries) // the layout's order: the body first
	want := []string{"", "Bonjour", "Dossier 42", "Marie.Curie@tcn.f.eu-admin.net"}
	if !slices.Equal(entries, want) {
		t.Errorf("composer fields %q, want %q", entries, want)
	}
}
