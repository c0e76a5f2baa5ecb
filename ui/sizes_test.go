package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/app/profile"
	"securemail/mailstore"
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

// windowMin is what a window asks for: its content's minimum size, its
// padding and, for a window with a main menu, the menu bar.
func windowMin(w fyne.Window) fyne.Size {
	s := w.Content().MinSize()
	if w.Padded() {
		s = s.AddWidthHeight(2*theme.Padding(), 2*theme.Padding())
	}
	if w.MainMenu() != nil {
		s.Height += menuBarHeight
	}
	return s
}

// checkFits fails when what (a window's or dialog's minimum, or the size
// it opens at) is larger than a screen.
func checkFits(t *testing.T, name string, what string, s fyne.Size) {
	t.Helper()
	for _, sc := range screens {
		if s.Width > sc.size.Width || s.Height > sc.size.Height {
			t.Errorf("%s: %s %.0f×%.0f does not fit %s (%.0f×%.0f available)", name, what, s.Width, s.Height, sc.name, sc.size.Width, sc.size.Height)
		}
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
	f.links = []app.LinkRow{{Address: longAddr, State: addressbook.LinkReceived}}
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
// it opens at, against the two screens.
func TestEveryWindowFitsTheSmallScreens(t *testing.T) {
	a := test.NewTempApp(t)
	f := sizesCore()
	check := func(name string, w fyne.Window) {
		t.Helper()
		checkFits(t, name, "minimum size", windowMin(w))
		checkFits(t, name, "opening size", w.Canvas().Size())
	}

	m, s := showMainWindow(t, a, f)
	s.do(func() { m.list.list.Select(3) })
	eventually(t, s, "the long message open", func() bool { return m.current != nil && m.current.Message.ID == "m9" })
	s.do(func() { check("main window", m.win) })
	s.do(func() { test.Tap(m.reader.details) })
	s.do(func() { checkFits(t, "Details", "dialog", m.win.Canvas().Overlays().Top().MinSize()) })

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
	checkFits(t, "contact properties", "dialog", b.win.Canvas().Overlays().Top().MinSize())

	check("Secure Link", NewSecureLinkWindow(a, f).win)
	sw := NewSettingsWindow(a, f)
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
	for step := range stepNames {
		w.show(step)
		check("wizard, "+stepNames[step], w.win)
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
