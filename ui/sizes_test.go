package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/profile"
	"securemail/mailstore"
	"securemail/ui/i18n"
)

// The screens every window and dialog must fit (issue 14 point 4), in
// Fyne's logical pixels: 1366×768 at 100 % less a 40 px taskbar and a
// 31 px title bar, and 1920×1080 at 150 % (1280×720 logical) less the same
// taskbar and title bar scaled down (27 + 21). A window fits both when it
// fits the smaller of each side.
var screens = []struct {
	name string
	size fyne.Size
}{
	{"1366×768 at 100 %", fyne.NewSize(1366, 768-40-31)},
	{"1920×1080 at 150 %", fyne.NewSize(1280, 720-27-21)},
}

// menuBarHeight is what the main menu adds above a window's content on
// Linux and Windows (Fyne draws it in the window).
const menuBarHeight = 32

// windowMin is what a window asks for: its canvas's minimum and, for a
// window with a main menu, the menu bar.
func windowMin(w fyne.Window) fyne.Size {
	s := canvasMin(w)
	if w.MainMenu() != nil {
		s.Height += menuBarHeight
	}
	return s
}

// canvasMin is the least a window's canvas is given: its content's minimum
// size and its padding.
func canvasMin(w fyne.Window) fyne.Size {
	s := w.Content().MinSize()
	if w.Padded() {
		s = s.AddWidthHeight(2*theme.Padding(), 2*theme.Padding())
	}
	return s
}

// checkFits fails when what (a window's or dialog's minimum, or the size
// it opens at) is larger than a screen, saying by how many pixels.
func checkFits(t *testing.T, name string, what string, s fyne.Size) {
	t.Helper()
	for _, sc := range screens {
		var over []string
		if d := s.Width - sc.size.Width; d > 0 {
			over = append(over, fmt.Sprintf("%.0f px too wide", d))
		}
		if d := s.Height - sc.size.Height; d > 0 {
			over = append(over, fmt.Sprintf("%.0f px too high", d))
		}
		if len(over) > 0 {
			t.Errorf("%s: %s %.0f×%.0f does not fit %s (%.0f×%.0f available): %s", name, what, s.Width, s.Height, sc.name, sc.size.Width, sc.size.Height, strings.Join(over, ", "))
		}
	}
}

// checkNothingCut lays the window out at the size it opens at — at least
// its minimum, as the real window grows to it — and fails for each widget
// with words in it (a label that neither wraps nor ends in "…", a button, a
// check box, a choice, a text drawn on the canvas, an empty field's
// placeholder, a dialog) given less width than its words need: what a
// longer language would lose off the edge or draw over its neighbour.
// Windows and dialogs are measured whole by checkFits; this finds a part
// squeezed inside one (a dialog narrower than its content, a sentence wider
// than its window on one tab, a search field squeezed by the toolbar).
func checkNothingCut(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	c := w.Canvas()
	size := c.Size().Max(canvasMin(w))
	w.Resize(size.AddWidthHeight(1, 0)) // the test canvas lays out on a change of size only
	w.Resize(size)
	for _, o := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
		reportCut(t, name, o)
	}
}

func reportCut(t *testing.T, name string, o fyne.CanvasObject) {
	t.Helper()
	if !o.Visible() {
		return
	}
	// 0 wide: not laid out (a tab not shown), nothing of it is on screen.
	if what, need := wordsOf(o); what != "" && o.Size().Width > 0 && o.Size().Width+0.5 < need {
		have := o.Size().Width
		t.Errorf("%s: %s is %.0f px wide, its words need %.0f: %.0f px cut off", name, what, have, need, need-have)
	}
	switch c := o.(type) {
	case *fyne.Container:
		for _, k := range c.Objects {
			reportCut(t, name, k)
		}
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(c).Objects() {
			reportCut(t, name, k)
		}
	}
}

// wordsOf names a widget that shows words and the width they need; "" for
// anything else. Most ask for that width as their minimum; an entry asks
// for less (it scrolls what is typed) but its placeholder must show whole.
func wordsOf(o fyne.CanvasObject) (string, float32) {
	switch w := o.(type) {
	case *widget.Label:
		if w.Wrapping == fyne.TextWrapOff && w.Truncation == fyne.TextTruncateOff {
			return fmt.Sprintf("the label %q", w.Text), o.MinSize().Width
		}
	case *widget.Button:
		return fmt.Sprintf("the button %q", w.Text), o.MinSize().Width
	case *widget.Check:
		return fmt.Sprintf("the check box %q", w.Text), o.MinSize().Width
	case *widget.Select:
		return fmt.Sprintf("the choice %q", w.Selected), o.MinSize().Width
	case *canvas.Text:
		return fmt.Sprintf("the text %q", w.Text), o.MinSize().Width
	case *widget.PopUp:
		return "the dialog", o.MinSize().Width
	case *keyEntry:
		return placeholder(&w.Entry)
	case *widget.Entry:
		return placeholder(w)
	}
	return "", 0
}

// placeholder is an empty entry's placeholder and the width it needs.
func placeholder(e *widget.Entry) (string, float32) {
	if e.Text != "" || e.PlaceHolder == "" || e.MultiLine {
		return "", 0
	}
	return fmt.Sprintf("the field %q", e.PlaceHolder), fyne.MeasureText(e.PlaceHolder, theme.TextSize(), e.TextStyle).Width + 2*theme.InnerPadding()
}

// sizeLanguages are the languages every screen is measured in (issue 15
// point 7): German words are about 30 % longer than English ones, French
// about 20 %. Each names what its Settings window and the wizard's Next
// button read, so that a test that silently stayed English fails.
var sizeLanguages = []struct{ code, locale, settings, next string }{
	{"en", "en_GB.UTF-8", "Settings", "Next"},
	{"fr", "fr_FR.UTF-8", "Paramètres", "Suivant"},
	{"de", "de_DE.UTF-8", "Einstellungen", "Weiter"},
}

// inLanguage makes the window speak the language of code (a file of
// ui/i18n) until the test ends, then the language it spoke before. Fyne's
// lang is process-wide and unlocked, so such a test must not run beside
// another: t.Setenv (the locale a desktop session in that language has)
// makes the testing package refuse t.Parallel in it and its parents.
func inLanguage(t *testing.T, code, locale string) {
	t.Helper()
	before := i18n.Current().Code
	t.Cleanup(func() { // runs after t.Setenv's own cleanup: the system's locale is back
		if _, err := i18n.Use(before); err != nil {
			t.Errorf("back to %s: %v", before, err)
		}
	})
	t.Setenv("LANG", locale)
	if got, err := i18n.Use(code); err != nil || got.Code != code {
		t.Fatalf("i18n.Use(%q) = %v, %v", code, got, err)
	}
}

// long is an address and a subject as long as real ones get.
const longAddr = "Maximiliane.Alexandra-Wilhelmine.von-Hohenzollern-Sigmaringen@tcn.de.eu-admin.net"

var longSubject = "Re: Fwd: " + strings.Repeat("Annual report of the joint working group on cross-border card blocking ", 3)

// sizesCore has long names everywhere a window shows one.
func sizesCore() *fakeCore {
	f := readerCore()
	long := msg("m9", "Maximiliane von Hohenzollern <"+longAddr+">", longSubject)
	long.To = strings.Repeat(longAddr+", ", 6) + longAddr
	f.rows[mailstore.Inbox] = append(f.rows[mailstore.Inbox], long.Row)
	f.views["m9"] = &app.MessageView{Message: long, Report: f.views["m1"].Report}
	f.contacts = append(contactsCore().contacts, app.ContactView{Contact: &addressbook.Contact{Address: longAddr, Name: "Maximiliane von Hohenzollern-Sigmaringen"},
		Verdict: addressbook.ContactVerdict{Status: addressbook.Invalid, Reason: "Their Digital ID expired on 2 February 2026; ask them for a new one through a secure link."}})
	f.links = nil // a row in each state: each has its own words and action
	for _, st := range []addressbook.LinkState{addressbook.LinkNone, addressbook.LinkRequested, addressbook.LinkReceived, addressbook.LinkEstablished} {
		f.links = append(f.links, app.LinkRow{Address: longAddr, State: st})
	}
	return f
}

// longNet is a bundled network with long addresses in its handouts, queues
// and log (the relay-queue view once asked for 1886 px).
type longNet struct{ fakeNet }

func (n *longNet) Handouts() ([]Handout, error) {
	return []Handout{{Address: longAddr, Dir: "/home/maximiliane/.config/securemail/testnet/handouts/" + longAddr}}, nil
}

func (n *longNet) Queues() ([]QueueRow, error) {
	return []QueueRow{{Node: "relay-a", From: longAddr, To: strings.Repeat("x", 40) + longAddr, Attempts: 12}}, nil
}

func (n *longNet) Events(int) ([]string, error) {
	return []string{"10:02:03 relay-a deferred <" + longAddr + "> to <" + longAddr + ">: connection refused by b-server (outage until 11:02:03)"}, nil
}

// TestEveryWindowFitsTheSmallScreens opens each window and dialog with long
// addresses and subjects in it and measures what it asks for, and the size
// it opens at, against the two screens — in English, French and German
// (subtests per language, then per screen: .../de/wizard,_root).
func TestEveryWindowFitsTheSmallScreens(t *testing.T) {
	for _, l := range sizeLanguages {
		t.Run(l.code, func(t *testing.T) {
			inLanguage(t, l.code, l.locale)
			everyWindowFits(t, l.code, l.settings, l.next)
		})
	}
}

// everyWindowFits is TestEveryWindowFitsTheSmallScreens in the language
// the window speaks now, code; settings and next are what the Settings
// window's title and the wizard's Next button read in it.
func everyWindowFits(t *testing.T, code, settings, next string) {
	a := test.NewTempApp(t)
	f := sizesCore()
	// fits checks a dialog open in w, check a window; both check that
	// nothing in the window or its dialog is cut.
	fits := func(name, what string, w fyne.Window) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			checkFits(t, code+": "+name, what, w.Canvas().Overlays().Top().MinSize())
			checkNothingCut(t, code+": "+name, w)
		})
	}
	check := func(name string, w fyne.Window) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			checkFits(t, code+": "+name, "minimum size", windowMin(w))
			checkFits(t, code+": "+name, "opening size", w.Canvas().Size())
			checkNothingCut(t, code+": "+name, w)
		})
	}

	m, s := showMainWindow(t, a, f)
	s.do(func() { m.list.list.Select(3) })
	eventually(t, s, "the long message open", func() bool { return m.current != nil && m.current.Message.ID == "m9" })
	s.do(func() { check("main window", m.win) })
	s.do(func() { test.Tap(m.reader.details) })
	s.do(func() { fits("Details", "dialog", m.win) })
	s.do(func() { m.win.Canvas().Overlays().Top().Hide() })
	s.do(func() { m.ShowFolder(mailstore.Trash) }) // the list's bar adds Restore and Empty Trash
	eventually(t, s, "the Trash shown", func() bool { return m.mail.emptyBtn.Visible() })
	s.do(func() { check("main window, Trash", m.win) })

	c := NewComposer(a, f, &compose.Draft{To: []string{longAddr, "Marie.Curie@tcn.f.eu-admin.net", "Eve.Mallory@tcn.b.eu-admin.net", longAddr + "x"},
		Cc: []string{longAddr}, Subject: longSubject, Text: "x"})
	c.AddAttachment(strings.Repeat("annual-report-", 8)+".pdf", []byte("x"))
	c.AddAttachment(strings.Repeat("annex-", 12)+".xlsx", []byte("x"))
	check("composer", c.win)
	c.refuse(c.missingIDs(c.Recipients()))
	check("composer refusing Send", c.win)

	b := NewAddressBookWindow(a, f)
	check("Address Book", b.win)
	b.ShowContact(f.contacts[len(f.contacts)-1])
	fits("contact properties", "dialog", b.win)

	check("Secure Link", NewSecureLinkWindow(a, f).win)
	sw := NewSettingsWindow(a, f)
	if got := sw.win.Title(); got != settings {
		t.Errorf("%s: the Settings window is titled %q, want %q: the window does not speak the language", code, got, settings)
	}
	for i := range sw.tabs.Items {
		sw.tabs.SelectIndex(i)
		check("Settings, "+sw.tabs.Items[i].Text, sw.win)
	}
	net := &longNet{}
	nw := NewNetworkWindow(a, net)
	for i := range nw.tabs.Items {
		nw.tabs.SelectIndex(i)
		check("network panel, "+nw.tabs.Items[i].Text, nw.win)
	}
	w, _ := newTestWizard(t, f, net)
	if got := w.nextBtn.Text; got != next {
		t.Errorf("%s: the wizard's Next button reads %q, want %q: the window does not speak the language", code, got, next)
	}
	for step := range stepNames {
		w.show(step)
		check("wizard, "+strings.TrimPrefix(stepNames[step], "wizard.step."), w.win)
	}
}

// TestListSortAndColumnsArePerProfile: the list opens in the profile's
// order and column widths; tapping a column title sorts by it (Date again:
// oldest first), dragging From resizes it, and both are saved with the
// window's layout when it closes.
func TestListSortAndColumnsArePerProfile(t *testing.T) {
	a := test.NewTempApp(t)
	c := &layoutCore{fakeCore: readerCore(), layout: profile.Layout{Sort: "from", FromWidth: 260, DateWidth: 150}}
	m := NewMainWindow(a, c, nil)
	s := &serial{}
	m.do = s.do
	s.do(m.Show)
	first := func(what string, want func(mailstore.Row) bool) {
		t.Helper()
		eventually(t, s, what, func() bool { r, ok := m.list.row(0); return ok && want(r) })
	}
	first("the list by sender", func(r mailstore.Row) bool { return strings.HasPrefix(r.From, "Eve.Mallory") })
	h := m.list.header
	if h.from.label.Text != "From ▲" || h.date.label.Text != "Date" || m.list.cols[colFrom] != 260 || m.list.cols[colDate] != 150 {
		t.Fatalf("header %q %q, widths %v", h.from.label.Text, h.date.label.Text, m.list.cols)
	}
	s.do(func() { test.Tap(h.subject) })
	first("the list by subject", func(r mailstore.Row) bool { return r.Subject == "Dossier 42" })
	s.do(func() { test.Tap(h.date); test.Tap(h.date) })
	if h.date.label.Text != "Date ▲" || m.list.order != mailstore.ByDateAsc {
		t.Fatalf("Date tapped twice: %q, order %v", h.date.label.Text, m.list.order)
	}
	first("the oldest first", func(r mailstore.Row) bool { return r.ID == "m3" })
	s.do(func() {
		h.from.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(40, 0)})
		h.from.DragEnd()
		h.date.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(-1000, 0)}) // held at the minimum
	})
	s.do(m.win.Close)
	want := profile.Layout{Sort: "oldest", FromWidth: 300, DateWidth: minColumn}
	if got := c.layout; got.Sort != want.Sort || got.FromWidth != want.FromWidth || got.DateWidth != want.DateWidth {
		t.Errorf("saved %+v; want sort %q, From %v, Date %v", got, want.Sort, want.FromWidth, want.DateWidth)
	}
}

// TestEveryRowWordFitsItsColumn (issue 15 point 7): each word a message
// list row can show beside its marks — "Verschlüsselt · Kein eindeutiger
// Absender · Bericht" the longest — fits the word column in every language,
// on at most two lines inside the row, and the everyday "Encrypted ·
// Signed" stays on one.
func TestEveryRowWordFitsItsColumn(t *testing.T) {
	for _, l := range sizeLanguages {
		t.Run(l.code, func(t *testing.T) {
			inLanguage(t, l.code, l.locale)
			test.NewTempApp(t)
			m := newMessageList(context.Background(), newFakeCore(), nil)
			width := m.cols[colWord]
			row := newRowViewWith(m.cols).(*fyne.Container)
			row.Resize(fyne.NewSize(1000, row.MinSize().Height))
			word := row.Objects[colWord].(*fyne.Container)
			for _, w := range rowWords() {
				setWord(word, w, color.Black, width)
				var shown []string
				for _, o := range word.Objects {
					line := o.(*canvas.Text)
					if !line.Visible() {
						continue
					}
					shown = append(shown, line.Text)
					if need := line.MinSize().Width; need > width+0.5 {
						t.Errorf("%s: %q: the line %q needs %.0f px, the column is %.0f: %.0f px drawn over From", l.code, w, line.Text, need, width, need-width)
					}
					if p, s := line.Position(), line.Size(); p.Y < 0 || p.Y+s.Height > word.Size().Height+0.5 {
						t.Errorf("%s: %q: the line %q reaches out of its row (y %.0f to %.0f of %.0f)", l.code, w, line.Text, p.Y, p.Y+s.Height, word.Size().Height)
					}
				}
				if got := strings.Join(shown, " "); got != w {
					t.Errorf("%s: the word %q shows as %q", l.code, w, got)
				}
			}
			everyday := rowWord(mailstore.Row{Encrypted: true, Signed: true, Signature: mailstore.SigValid})
			if a, b := wordLines(everyday, width); b != "" {
				t.Errorf("%s: %q breaks into %q / %q in a %.0f px column", l.code, everyday, a, b, width)
			}
		})
	}
}

// TestEveryLanguageIsMeasured: a language file added to ui/i18n must also
// be added to sizeLanguages, so that its screens are measured too
// (docs/GLOSSARY.md, "Adding a language").
func TestEveryLanguageIsMeasured(t *testing.T) {
	measured := map[string]bool{}
	for _, l := range sizeLanguages {
		measured[l.code] = true
	}
	for _, l := range i18n.Languages() {
		if !measured[l.Code] {
			t.Errorf("the screens are not measured in %s (%s): add it to sizeLanguages with its words for Settings and Next", l.Name, l.Code)
		}
	}
}
