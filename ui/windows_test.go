package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/compose"
)

// tapButton taps the button labelled text inside o (a dialog, a window's
// content); it fails when there is none.
func tapButton(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button", text)
}

// labelsIn joins the texts of the labels inside o.
func labelsIn(o fyne.CanvasObject) string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestSettingsAddsARootCAWithTheWizardsConfirmation: "Add Root CA…" in
// Trusted authorities shows the file's authority as the wizard does (name,
// fingerprint, validity) and trusts it only after the same tick and Trust;
// an EC CA is refused with the wizard's sentence; Esc or Cancel trust
// nothing.
func TestSettingsAddsARootCAWithTheWizardsConfirmation(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	f.now = f.now.AddDate(-1, 0, 0) // the wizard's fake clock would say the same
	ca := newCA(t)
	h := handout(t, ca, marie)
	w := NewSettingsWindow(a, f)
	w.tabs.SelectIndex(2)
	if w.tabs.Selected().Text != "Trusted authorities" || w.addRoot.Text != "Add Root CA…" {
		t.Fatalf("tab %q, button %q", w.tabs.Selected().Text, w.addRoot.Text)
	}
	// The EC CA is not a root.
	w.AddRootData(h.ECCA)
	c := w.rootConfirm
	if !strings.HasPrefix(c.problem.Text, "This file is not a root authority") || !c.tick.Disabled() || !c.trust.Disabled() {
		t.Fatalf("EC CA: problem %q, tick disabled %v, Trust disabled %v", c.problem.Text, c.tick.Disabled(), c.trust.Disabled())
	}
	tapButton(t, w.win.Canvas().Overlays().Top(), "Cancel")
	// The root: shown as the wizard shows it, trusted only once ticked.
	w.AddRootData(h.RootCA)
	c = w.rootConfirm
	_, wizardInfo, _ := inspectRoot(h.RootCA, f.Now())
	if c.info.Text != wizardInfo || !strings.Contains(c.info.Text, "SHA-256 fingerprint: ") || c.tick.Text != lang.L(trustRootTick) {
		t.Fatalf("confirmation shows %q with tick %q; the wizard shows %q", c.info.Text, c.tick.Text, wizardInfo)
	}
	if !c.trust.Disabled() {
		t.Fatal("Trust is enabled before the tick")
	}
	pressKey(w.win, fyne.KeyEscape)
	if len(f.roots) != 0 || w.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc: %d roots trusted, dialog open %v", len(f.roots), w.win.Canvas().Overlays().Top() != nil)
	}
	w.AddRootData(h.RootCA)
	c = w.rootConfirm
	test.Tap(c.tick)
	test.Tap(c.trust)
	if len(f.roots) != 1 || !f.roots[0].Equal(ca.Root) {
		t.Fatalf("trusted %d roots", len(f.roots))
	}
	if w.win.Canvas().Overlays().Top() != nil || !strings.HasSuffix(w.message.Text, "is now trusted to identify e-mail senders.") || w.roots.Length() != 1 {
		t.Errorf("after Trust: dialog open %v, message %q, %d roots listed", w.win.Canvas().Overlays().Top() != nil, w.message.Text, w.roots.Length())
	}
}

// slowSend is a core whose sending waits until the test lets it go, and
// whose Send/Receive runs until it is cancelled.
type slowSend struct {
	*fakeCore
	started chan struct{}
	release chan error
}

func (c *slowSend) Send(ctx context.Context, d *compose.Draft, o app.SendOptions) (*app.SendResult, error) {
	c.started <- struct{}{}
	if err := <-c.release; err != nil {
		return nil, err
	}
	return c.fakeCore.Send(ctx, d, o)
}

func (c *slowSend) Fetch(ctx context.Context, _ app.Progress) (*app.FetchResult, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestClosingWhileMailIsSentLosesNothing: closing the main window while a
// composer sends asks; "Close when sent" closes once the server took the
// message, "Keep open" keeps it; a send that fails keeps the window and
// the composer with its text; a Send/Receive is stopped and the window
// closes when it has; with nothing being sent the window closes at once.
func TestClosingWhileMailIsSentLosesNothing(t *testing.T) {
	a := test.NewTempApp(t)
	core := &slowSend{fakeCore: contactsCore(), started: make(chan struct{}, 1), release: make(chan error, 1)}
	isOpen := func(w fyne.Window) bool { return slices.Contains(a.Driver().AllWindows(), w) }
	open := func() (*MainWindow, *serial) {
		m := NewMainWindow(a, core, nil)
		s := &serial{}
		m.do = s.do
		s.do(m.Show)
		return m, s
	}
	send := func(m *MainWindow, s *serial) *Composer {
		t.Helper()
		s.do(func() { pressShortcut(m.win, ctrl(fyne.KeyN)) })
		c := m.composers[len(m.composers)-1]
		s.do(func() {
			c.to.SetText("Marie.Curie@tcn.f.eu-admin.net")
			c.subject.SetText("Dossier 42")
			c.body.SetText("Card 42 is blocked.")
			test.Tap(c.sendBtn)
		})
		<-core.started
		return c
	}
	for _, choice := range []string{"Close when sent", "Keep open"} {
		m, s := open()
		c := send(m, s)
		s.do(m.requestClose)
		if !isOpen(m.win) || m.win.Canvas().Overlays().Top() == nil {
			t.Fatalf("closing while sending: open %v, asked %v", isOpen(m.win), m.win.Canvas().Overlays().Top() != nil)
		}
		if txt := labelsIn(m.win.Canvas().Overlays().Top()); !strings.Contains(txt, "A message is being sent.") {
			t.Errorf("the question reads %q", txt)
		}
		s.do(func() { tapButton(t, m.win.Canvas().Overlays().Top(), choice) })
		if !isOpen(m.win) {
			t.Fatalf("%s: the window closed before the message was sent", choice)
		}
		core.release <- nil
		eventually(t, s, "the message sent", func() bool { return !c.sending })
		if got := isOpen(m.win); got != (choice == "Keep open") {
			t.Errorf("%s: window open %v once the message was sent", choice, got)
		}
		core.mu.Lock()
		n := len(core.sent)
		core.mu.Unlock()
		if n == 0 {
			t.Errorf("%s: nothing was sent", choice)
		}
		if isOpen(m.win) {
			m.win.Close()
		}
	}

	// A send that fails keeps everything open.
	m, s := open()
	c := send(m, s)
	s.do(m.requestClose)
	s.do(func() { tapButton(t, m.win.Canvas().Overlays().Top(), "Close when sent") })
	core.release <- errors.New("smtp: the server refused the message")
	eventually(t, s, "the send ended", func() bool { return !c.sending })
	if !isOpen(m.win) || !isOpen(c.win) || c.body.Text != "Card 42 is blocked." || !strings.HasPrefix(m.status.Text, "A message could not be sent") {
		t.Errorf("failed send: window open %v, composer open %v with %q, status %q", isOpen(m.win), isOpen(c.win), c.body.Text, m.status.Text)
	}
	c.win.Close()

	// A Send/Receive is stopped, then the window closes.
	s.do(func() { pressKey(m.win, fyne.KeyF5) })
	s.do(m.requestClose)
	eventually(t, s, "Send/Receive stopped and the window closed", func() bool { return !isOpen(m.win) })

	// Nothing being sent: the window closes at once.
	m, s = open()
	s.do(m.requestClose)
	if isOpen(m.win) {
		t.Error("an idle window did not close")
	}
}

// TestSettingsCloseAsksWhenChangesAreNotSaved: Esc or Close with an edit
// not saved asks Save / Discard / Cancel (Esc answers Cancel); Save saves
// and closes; unchanged, the window closes at once.
func TestSettingsCloseAsksWhenChangesAreNotSaved(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	isOpen := func(w fyne.Window) bool { return slices.Contains(a.Driver().AllWindows(), w) }
	w := NewSettingsWindow(a, f)
	w.Show()
	w.win.Canvas().Focus(w.name)
	typeFocused(t, w.win.Canvas(), "Jan Novák")
	pressKey(w.win, fyne.KeyEscape)
	asked := w.win.Canvas().Overlays().Top()
	if asked == nil || !isOpen(w.win) || !strings.Contains(labelsIn(asked), "not saved") {
		t.Fatal("Esc with an unsaved edit did not ask")
	}
	pressKey(w.win, fyne.KeyEscape) // Cancel
	if w.win.Canvas().Overlays().Top() != nil || !isOpen(w.win) || w.name.Text != "Jan Novák" {
		t.Fatal("Esc on the question did not answer Cancel")
	}
	test.Tap(w.closeBtn)
	tapButton(t, w.win.Canvas().Overlays().Top(), "Save")
	if len(f.saved) != 1 || f.saved[0].Account.DisplayName != "Jan Novák" || isOpen(w.win) {
		t.Fatalf("Save: saved %d, window open %v", len(f.saved), isOpen(w.win))
	}
	w = NewSettingsWindow(a, f)
	w.Show()
	test.Tap(w.closeBtn)
	if isOpen(w.win) {
		t.Error("unchanged settings did not close at once")
	}
}
