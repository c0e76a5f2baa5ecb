package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app/compose"
	"securemail/mailstore"
)

// pressShortcut delivers a shortcut as Fyne's desktop driver does
// (internal/driver/glfw/window.go, triggersShortcut, v2.7.1): the main
// menu's items first, then the focused widget when it takes shortcuts,
// then the canvas.
func pressShortcut(w fyne.Window, s fyne.Shortcut) {
	if mm := w.MainMenu(); mm != nil {
		for _, m := range mm.Items {
			for _, it := range m.Items {
				if it.Shortcut != nil && it.Shortcut.ShortcutName() == s.ShortcutName() && it.Action != nil {
					it.Action()
					return
				}
			}
		}
	}
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// pressKey delivers a plain key as the desktop driver does
// (processKeyPressed): to the focused widget, else to the canvas.
func pressKey(w fyne.Window, k fyne.KeyName) {
	e := &fyne.KeyEvent{Name: k}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(e)
		return
	}
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(e)
	}
}

// typeFocused types chars into the focused widget, as the driver does
// (processCharInput); it fails when nothing has focus.
func typeFocused(t *testing.T, c fyne.Canvas, chars string) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatalf("typing %q with nothing focused", chars)
	}
	for _, r := range chars {
		f.TypedRune(r)
	}
}

// windowTitles lists the titles of the open windows but the main one.
func windowTitles(a fyne.App, main fyne.Window) []string {
	var out []string
	for _, w := range a.Driver().AllWindows() {
		if w != main {
			out = append(out, w.Title())
		}
	}
	return out
}

func closeOthers(a fyne.App, main fyne.Window) {
	for _, w := range slices.Clone(a.Driver().AllWindows()) {
		if w != main {
			w.Close()
		}
	}
}

// TestShortcutsWorkWhicheverWidgetHasFocus: with a message row focused (as
// a click leaves it), with the search field focused, with the reader's
// text focused and with nothing focused, each shortcut of docs/UX.md §7 does its
// thing; Delete in the search field edits the text, not the mail.
func TestShortcutsWorkWhicheverWidgetHasFocus(t *testing.T) {
	a := test.NewTempApp(t)
	f := readerCore()
	m, s := showMainWindow(t, a, f)
	c := m.win.Canvas()
	openFirst := func() {
		t.Helper()
		eventually(t, s, "the first row loaded", func() bool { _, ok := m.list.row(0); return ok })
		s.do(func() {
			c.Focus(m.list.list) // a click on a row focuses the list (widget/list.go listItem.onTapped)
			m.list.list.Select(0)
		})
		eventually(t, s, "the message open", func() bool { return m.current != nil && m.current.Message.ID == m.list.search0() })
	}
	focuses := []struct {
		name  string
		focus func()
	}{
		{"a list row", func() { c.Focus(m.list.list) }},
		{"the search field", func() { c.Focus(m.searchEntry) }},
		{"the reader's text", func() { c.Focus(selectableIn(t, m.reader.body)) }},
		{"the folder list", func() { c.Focus(m.folders) }},
		{"nothing", func() { c.Unfocus() }},
	}
	shortcuts := []struct {
		name  string
		sc    fyne.Shortcut
		title string
	}{
		{"Ctrl+N", ctrl(fyne.KeyN), "New message"},
		{"Ctrl+R", ctrl(fyne.KeyR), "Re: " + f.views["m1"].Message.Subject},
		{"Ctrl+Shift+R", ctrlShift(fyne.KeyR), "Re: " + f.views["m1"].Message.Subject},
		{"Ctrl+Shift+F", ctrlShift(fyne.KeyF), "Fwd: " + f.views["m1"].Message.Subject},
		{"Ctrl+L", ctrl(fyne.KeyL), "Fwd: " + f.views["m1"].Message.Subject},
		{"Ctrl+Shift+B", ctrlShift(fyne.KeyB), "Address Book"},
	}
	for _, fc := range focuses {
		if fc.name == "the reader's text" || fc.name == "a list row" {
			openFirst()
		}
		for _, sc := range shortcuts {
			if fc.name == "the reader's text" && sc.name == "Ctrl+L" {
				// Fyne's selectable text keeps the shortcuts it does not
				// use; only the main menu's (Ctrl+Shift+F here) win over it.
				continue
			}
			s.do(func() {
				closeOthers(a, m.win)
				fc.focus()
				pressShortcut(m.win, sc.sc)
			})
			var got []string
			s.do(func() { got = windowTitles(a, m.win) })
			if !slices.Equal(got, []string{sc.title}) {
				t.Errorf("%s with %s focused: windows %q, want %q", sc.name, fc.name, got, sc.title)
			}
		}
		s.do(func() { closeOthers(a, m.win) })

		// Ctrl+F puts the cursor in the search field.
		s.do(func() { fc.focus(); pressShortcut(m.win, ctrl(fyne.KeyF)) })
		if c.Focused() != m.searchEntry {
			t.Errorf("Ctrl+F with %s focused: focus on %T, want the search field", fc.name, c.Focused())
		}

		// F5 and Ctrl+M: Send/Receive.
		keys := []func(){func() { pressShortcut(m.win, ctrl(fyne.KeyM)) }}
		if fc.name != "the reader's text" { // it keeps plain keys: Ctrl+M there
			keys = append(keys, func() { pressKey(m.win, fyne.KeyF5) })
		}
		for _, k := range keys {
			before := f.fetchCount()
			s.do(func() { fc.focus(); k() })
			eventually(t, s, "Send/Receive done", func() bool { return m.cancelWork == nil })
			if n := f.fetchCount(); n != before+1 {
				t.Errorf("F5 / Ctrl+M with %s focused: %d fetches, want %d", fc.name, n, before+1)
			}
		}
	}

	// Delete with a row focused moves the open message to the Trash.
	openFirst()
	s.do(func() { c.Focus(m.list.list); pressKey(m.win, fyne.KeyDelete) })
	eventually(t, s, "the message deleted", func() bool { return m.list.length() == 2 })
	if m.status.Text != "Message moved to Trash." || len(f.rows[mailstore.Trash]) != 1 {
		t.Errorf("after Delete on a row: status %q, Trash %d", m.status.Text, len(f.rows[mailstore.Trash]))
	}
	// Delete in the search field deletes a character, not the message.
	openFirst()
	s.do(func() {
		m.searchEntry.SetText("ab")
		c.Focus(m.searchEntry)
		m.searchEntry.CursorColumn = 0
		pressKey(m.win, fyne.KeyDelete)
	})
	if m.searchEntry.Text != "b" || m.list.length() != 2 {
		t.Errorf("Delete in the search field: text %q, %d messages (want \"b\" and 2)", m.searchEntry.Text, m.list.length())
	}
}

func (f *fakeCore) fetchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches
}

// showMainWindow opens the main window on f and waits for its Inbox.
func showMainWindow(t *testing.T, a fyne.App, f *fakeCore) (*MainWindow, *serial) {
	t.Helper()
	m := NewMainWindow(a, f, nil)
	s := &serial{}
	m.do = s.do
	s.do(m.Show)
	eventually(t, s, "the Inbox listed", func() bool { return m.list.length() == len(f.rows[mailstore.Inbox]) && len(m.list.pages) == 1 })
	return m, s
}

// search0 is the ID of the first row shown.
func (m *messageList) search0() string {
	r, _ := m.row(0)
	return r.ID
}

// selectableIn finds the focusable part of a selectable label (what a
// click on the reader's text focuses).
func selectableIn(t *testing.T, l *widget.Label) fyne.Focusable {
	t.Helper()
	for _, o := range test.LaidOutObjects(l) {
		if f, ok := o.(fyne.Focusable); ok {
			return f
		}
	}
	t.Fatal("the label has no focusable part; is it selectable?")
	return nil
}

// TestEscClosesSecondaryWindowsAndDialogs: Esc, with a list row or an
// entry focused or nothing, closes the open dialog first and then the
// Address Book, Secure Link, Settings and network windows; each also has
// a Close button. In the main window and the composer Esc closes only a
// dialog.
func TestEscClosesSecondaryWindowsAndDialogs(t *testing.T) {
	a := test.NewTempApp(t)
	f := readerCore()
	f.contacts = contactsCore().contacts
	open := func(w fyne.Window) bool {
		return slices.Contains(a.Driver().AllWindows(), w)
	}
	type win struct {
		name  string
		open  func() (fyne.Window, *widget.Button, fyne.Focusable)
		focus string
	}
	wins := []win{
		{"Address Book", func() (fyne.Window, *widget.Button, fyne.Focusable) {
			w := NewAddressBookWindow(a, f)
			return w.win, w.closeBtn, w.list
		}, "its list"},
		{"Secure Link", func() (fyne.Window, *widget.Button, fyne.Focusable) {
			w := NewSecureLinkWindow(a, f)
			return w.win, w.close, w.table
		}, "its table"},
		{"Settings", func() (fyne.Window, *widget.Button, fyne.Focusable) {
			w := NewSettingsWindow(a, f)
			return w.win, w.closeBtn, w.name
		}, "an entry"},
		{"Settings (trusted authorities)", func() (fyne.Window, *widget.Button, fyne.Focusable) {
			w := NewSettingsWindow(a, f)
			w.tabs.SelectIndex(2)
			if w.tabs.Selected().Text != "Trusted authorities" {
				t.Fatalf("tab %q", w.tabs.Selected().Text)
			}
			return w.win, w.closeBtn, w.roots
		}, "the authorities"},
		{"Offline TESTA network", func() (fyne.Window, *widget.Button, fyne.Focusable) {
			w := NewNetworkWindow(a, &fakeNet{})
			return w.win, w.close, nil
		}, "nothing"},
	}
	for _, wc := range wins {
		w, _, focus := wc.open()
		w.Show()
		if focus != nil {
			w.Canvas().Focus(focus)
			if w.Canvas().Focused() != focus {
				t.Fatalf("%s: %s cannot take the focus", wc.name, wc.focus)
			}
		}
		dialog.ShowInformation("A question", "Something to say", w)
		pressKey(w, fyne.KeyEscape)
		if w.Canvas().Overlays().Top() != nil || !open(w) {
			t.Errorf("%s: the first Esc left the dialog open or closed the window", wc.name)
		}
		if focus != nil {
			w.Canvas().Focus(focus)
		}
		pressKey(w, fyne.KeyEscape)
		if open(w) {
			t.Errorf("%s: Esc with %s focused left the window open", wc.name, wc.focus)
		}
		w, closeBtn, _ := wc.open() // a fresh window for the Close button
		w.Show()
		if closeBtn == nil || closeBtn.Text != "Close" {
			t.Fatalf("%s has no Close button", wc.name)
		}
		test.Tap(closeBtn)
		if open(w) {
			t.Errorf("%s: Close left the window open", wc.name)
		}
	}

	// Details (the message's security properties) is a dialog of the main
	// window with a Close button; Esc closes it and not the window.
	m, s := showMainWindow(t, a, f)
	s.do(func() { m.win.Canvas().Focus(m.list.list); m.list.list.Select(0) })
	eventually(t, s, "open", func() bool { return m.current != nil })
	s.do(func() { test.Tap(m.reader.details) })
	if m.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Details did not open")
	}
	s.do(func() { pressKey(m.win, fyne.KeyEscape) })
	if m.win.Canvas().Overlays().Top() != nil || !open(m.win) {
		t.Error("Esc did not close Details, or closed the main window")
	}

	// The composer: Esc closes its dialog, never the message being written.
	c := NewComposer(a, f, &compose.Draft{})
	c.Show()
	dialog.ShowInformation("A question", "Something to say", c.win)
	pressKey(c.win, fyne.KeyEscape)
	pressKey(c.win, fyne.KeyEscape)
	if c.win.Canvas().Overlays().Top() != nil || !open(c.win) {
		t.Error("Esc in the composer: the dialog stayed or the composer closed")
	}
	// Esc on "Save draft / Discard / Cancel" answers Cancel: the text stays,
	// and closing asks again.
	c.body.SetText("Unsaved words.")
	c.requestClose()
	pressKey(c.win, fyne.KeyEscape)
	if c.win.Canvas().Overlays().Top() != nil || !open(c.win) || c.body.Text != "Unsaved words." {
		t.Fatal("Esc on the draft question did not answer Cancel")
	}
	c.requestClose()
	if c.win.Canvas().Overlays().Top() == nil {
		t.Error("after Esc, closing the composer no longer asks")
	}
}

// TestWizardByKeyboardAlone: Enter presses Next, Tab walks a step's
// fields in the order shown, arrows choose in a list, Space ticks; the
// files are what the file dialog (itself keyboard-driven) hands over.
func TestWizardByKeyboardAlone(t *testing.T) {
	f := newFakeCore()
	ca := newCA(t)
	h := handout(t, ca, marie)
	w, s := newTestWizard(t, f, nil)
	win := w.win
	c := win.Canvas()
	typeIn := func(chars string) { typeFocused(t, c, chars) }
	pressKey(win, fyne.KeyReturn)
	if w.step != StepAddress {
		t.Fatalf("Enter on Welcome: step %d", w.step)
	}
	test.FocusNext(c)
	typeIn("Marie")
	test.FocusNext(c)
	typeIn("Curie")
	test.FocusNext(c)
	for i := 0; i < 40 && w.addressShown() != marie; i++ {
		pressKey(win, fyne.KeyRight) // the country list, one country per press
	}
	if w.addressShown() != marie {
		t.Fatalf("address %q after choosing the country by arrows", w.addressShown())
	}
	test.FocusPrevious(c) // back in Surname: Enter there presses Next
	pressKey(win, fyne.KeyReturn)
	if w.step != StepServers {
		t.Fatalf("Enter in Surname: step %d, problem %q", w.step, w.problem())
	}
	for _, v := range []string{"pop.tcn.f.eu-admin.net", "smtp.tcn.f.eu-admin.net", "marie", "pw"} {
		w.focusOn(t, v)
		typeIn(v)
	}
	pressKey(win, fyne.KeyReturn) // Enter in the password field
	if w.step != StepRoot {
		t.Fatalf("Enter after the servers: step %d, problem %q", w.step, w.problem())
	}
	w.loadRoot(h.RootCA)
	c.Focus(w.root.trust)
	typeIn(" ")
	c.Unfocus()
	pressKey(win, fyne.KeyReturn)
	if w.step != StepChain {
		t.Fatalf("Space on the tick, Enter: step %d, problem %q", w.step, w.problem())
	}
	w.loadChain(h.ECCA)
	pressKey(win, fyne.KeyReturn)
	w.loadDigitalID(h.MailPFX)
	c.Focus(w.id.password)
	typeIn(h.Password)
	s.do(func() { pressKey(win, fyne.KeyReturn) })
	eventually(t, s, "the Done step", func() bool { return w.step == StepDone })
	done := false
	w.OnDone = func() { done = true }
	c.Unfocus()
	s.do(func() { pressKey(win, fyne.KeyReturn) })
	if !done {
		t.Error("Enter on Done did not finish")
	}
}

// focusOn moves the focus by Tab to the servers step's empty field that
// takes v (host, host, user, password in that order): it fails when Tab
// never reaches it.
func (w *Wizard) focusOn(t *testing.T, v string) {
	t.Helper()
	targets := map[string]*widget.Entry{"pop.tcn.f.eu-admin.net": w.servers.pop3Host, "smtp.tcn.f.eu-admin.net": w.servers.smtpHost,
		"marie": w.servers.user, "pw": w.servers.password}
	want := targets[v]
	for i := 0; i < 30; i++ {
		test.FocusNext(w.win.Canvas())
		if w.win.Canvas().Focused() == want {
			return
		}
	}
	t.Fatalf("Tab never reaches the field for %q", v)
}

// tabToNextField presses Tab until a field that takes text has the focus
// (passing buttons, such as a field's own drop-down button) and fails
// unless it is want.
func tabToNextField(t *testing.T, c fyne.Canvas, want fyne.Focusable, from string) {
	t.Helper()
	for i := 0; i < 5; i++ {
		test.FocusNext(c)
		if _, ok := c.Focused().(*widget.Button); !ok {
			break
		}
	}
	if c.Focused() != want {
		t.Fatalf("Tab from %s: focus on %T, not on the next field", from, c.Focused())
	}
}

// TestComposerByKeyboardAlone: the cursor starts in To, Tab goes To → Cc →
// Subject → text, Ctrl+Enter sends from any of them.
func TestComposerByKeyboardAlone(t *testing.T) {
	f := contactsCore()
	c, s := newTestComposer(t, f)
	cv := c.win.Canvas()
	s.do(c.Show)
	if cv.Focused() != c.to {
		t.Fatalf("a new message starts with the focus on %T, want To", cv.Focused())
	}
	s.do(func() {
		typeFocused(t, cv, "Marie.Curie@tcn.f.eu-admin.net")
		tabToNextField(t, cv, c.cc, "To")
		tabToNextField(t, cv, c.subject, "Cc")
		typeFocused(t, cv, "Dossier 42")
		tabToNextField(t, cv, c.body, "Subject")
		typeFocused(t, cv, "Card 42 is blocked.")
		pressShortcut(c.win, ctrl(fyne.KeyReturn))
	})
	eventually(t, s, "sent", func() bool { return len(f.sent) == 1 })
	if d := f.sent[0].Draft; d.Subject != "Dossier 42" || d.Text != "Card 42 is blocked." || len(d.To) != 1 {
		t.Errorf("sent %+v", d)
	}
	// A reply starts in the text.
	r := NewComposer(fyne.CurrentApp(), f, &compose.Draft{To: []string{"Marie.Curie@tcn.f.eu-admin.net"}, Subject: "Re: x"})
	r.Show()
	if r.win.Canvas().Focused() != r.body {
		t.Errorf("a reply starts with the focus on %T, want the text", r.win.Canvas().Focused())
	}
}
