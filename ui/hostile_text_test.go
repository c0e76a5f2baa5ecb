package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/mailstore"
	"securemail/smime"
)

// shownTexts returns the text of every label and button drawn in c.
func shownTexts(c fyne.CanvasObject) []string {
	var out []string
	for _, o := range test.LaidOutObjects(c) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		}
	}
	return out
}

func hasText(texts []string, want string) bool {
	for _, s := range texts {
		if s == want {
			return true
		}
	}
	return false
}

// TestHiddenCharactersShowAsMarkers: a right-to-left override in the sender
// and subject of a message shows as <U+202E> in the list and in the reader,
// nowhere on screen as the invisible character itself, and the attachment
// named "CON<U+202E>.txt" is offered and saved as "_CON.txt", then
// "_CON (2).txt", the name shown to the user.
func TestHiddenCharactersShowAsMarkers(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	hostile := msg("h1", "Jan Peeters \u202e<ten.nimda-ue.b.ncv@eve>", "Invoice \u202efdp.exe")
	f.rows[mailstore.Inbox] = []mailstore.Row{hostile.Row}
	att := smime.Attachment{Name: "CON\u202e.txt", ContentType: "text/plain", Size: 5, Content: []byte("hello")}
	f.views["h1"] = &app.MessageView{Message: hostile, Report: &smime.Report{
		Text: "Pay \u202e0001\u202c EUR.\r\nThanks\x1b[2J", Attachments: []smime.Attachment{att}}}
	m := NewMainWindow(a, f, nil)
	s := &serial{}
	m.do = s.do
	s.do(func() {
		m.Show()
		m.win.Resize(fyne.NewSize(1100, 700))
	})
	const (
		from    = "Jan Peeters <U+202E><ten.nimda-ue.b.ncv@eve>"
		subject = "Invoice <U+202E>fdp.exe"
	)
	eventually(t, s, "the list row drawn with the markers", func() bool {
		texts := shownTexts(m.win.Content())
		return hasText(texts, from) && hasText(texts, subject)
	})
	s.do(func() { m.list.list.Select(0) })
	eventually(t, s, "the message open", func() bool { return m.reader.subject.Text != "" })
	s.do(func() {
		if m.reader.from.Text != from || m.reader.subject.Text != subject {
			t.Errorf("reader shows From %q, Subject %q; want %q, %q", m.reader.from.Text, m.reader.subject.Text, from, subject)
		}
		if want := "Pay <U+202E>0001<U+202C> EUR.\nThanks<U+001B>[2J"; m.reader.body.Text != want {
			t.Errorf("reader shows the text %q, want %q", m.reader.body.Text, want)
		}
	})
	s.do(func() {
		texts := shownTexts(m.win.Content())
		for _, s := range texts {
			if strings.ContainsAny(s, "\u202e\u202c\x1b") {
				t.Errorf("the window draws %q with the invisible character itself", s)
			}
		}
		if !hasText(texts, "_CON.txt (5 bytes)") {
			t.Errorf("the attachment is not offered as _CON.txt (5 bytes); the window shows %q", texts)
		}
	})

	dir := t.TempDir()
	var save *widget.Button
	s.do(func() {
		m.reader.pickFolder = func(done func(string)) { done(dir) }
		for _, o := range m.reader.files.Objects {
			if b, ok := o.(*widget.Button); ok && b.Text == "Save" {
				save = b
			}
		}
	})
	if save == nil {
		t.Fatal("no Save button beside the attachment")
	}
	for _, want := range []string{"_CON.txt", "_CON (2).txt"} {
		s.do(func() { test.Tap(save) })
		s.do(func() {
			if got, say := m.reader.saved.Text, "Saved as “"+want+"” in "+dir+"."; got != say || !m.reader.saved.Visible() {
				t.Errorf("after Save the reader says %q, want %q", got, say)
			}
		})
		if b, err := os.ReadFile(filepath.Join(dir, want)); err != nil || string(b) != "hello" {
			t.Errorf("%s holds %q, %v", want, b, err)
		}
	}
	s.do(func() { m.reader.SaveAttachment(filepath.Join(dir, "gone"), att) })
	s.do(func() {
		if want := "Not saved: SecureMail could not write " + filepath.Join(dir, "gone", "_CON.txt") + ": the folder no longer exists; check that its disk is connected and try again."; m.reader.saved.Text != want {
			t.Errorf("saving into a missing folder says %q, want %q", m.reader.saved.Text, want)
		}
	})
}

// TestContactNamesShowMarkers: a contact whose name hides a right-to-left
// override shows <U+202E> in the address book row and in its properties.
func TestContactNamesShowMarkers(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	cv := app.ContactView{Contact: &addressbook.Contact{Address: "Ada.Lovelace@tcn.gb.eu-admin.net", Name: "Ada \u202eeve"},
		Verdict: addressbook.ContactVerdict{Status: addressbook.None, Reason: "No Digital ID yet."}}
	f.contacts = []app.ContactView{cv}
	w := NewAddressBookWindow(a, f)
	row := newContactRow()
	w.updateRow(0, row)
	label := row.(*tapRow).content.(*fyneContainer).Objects[0].(*fyneContainer).Objects[0].(*widget.Label).Text
	if want := "Ada <U+202E>eve <Ada.Lovelace@tcn.gb.eu-admin.net>"; label != want {
		t.Errorf("address book row %q, want %q", label, want)
	}
	p := NewContactProperties(f, cv, f.now)
	if texts := shownTexts(p.content); !hasText(texts, "Ada <U+202E>eve") {
		t.Errorf("contact properties show %q, want the name with its marker", texts)
	}
}
