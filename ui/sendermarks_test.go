package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"securemail/app"
	"securemail/internal/mailheader"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/ui/i18n"
)

// englishMarks are the English words of the sender's marks.
var englishMarks = []string{"no From field", "empty From field", "one of several From fields", "not a readable sender address",
	mailheader.FlagOtherAddress}

// TestSenderMarksInTheLanguage: messages whose From field is missing, empty,
// doubled, a group, or whose display name holds another address — stored in
// a real mail store, one of them signed by Eve with Jan's address in its
// name — show their sender's warning in French and in German in the message
// list, the reader and Details, never in English; the store's English text,
// what the command line prints, is unchanged.
func TestSenderMarksInTheLanguage(t *testing.T) {
	ctx := context.Background()
	st, err := mailstore.Open(ctx, t.TempDir(), mailstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	type shown struct{ en, fr, de string }
	cases := []struct {
		header string
		want   shown
	}{
		{"Subject: m1\r\n", shown{"(no From field)", "(pas de champ De (From))", "(kein Von-Feld (From))"}},
		{"From: <>\r\nSubject: m2\r\n", shown{"(empty From field)", "(champ De (From) vide)", "(leeres Von-Feld (From))"}},
		{"From: a@x.eu\r\nFrom: b@x.eu\r\nSubject: m3\r\n", shown{"a@x.eu — one of several From fields",
			"a@x.eu — l'un de plusieurs champs De (From)", "a@x.eu — eines von mehreren Von-Feldern (From)"}},
		{"From: team: a@x.eu, b@x.eu;\r\nSubject: m4\r\n", shown{"team: a@x.eu, b@x.eu; — not a readable sender address",
			"team: a@x.eu, b@x.eu; — pas une adresse d'expéditeur lisible", "team: a@x.eu, b@x.eu; — keine lesbare Absenderadresse"}},
		{"From: \"jan@x.eu\" <eve@x.eu>\r\nSubject: m5\r\n", shown{"jan@x.eu <eve@x.eu> — the name shown contains another address",
			"jan@x.eu <eve@x.eu> — le nom affiché contient une autre adresse", "jan@x.eu <eve@x.eu> — der angezeigte Name enthält eine andere Adresse"}},
		{"From: Jan <jan@x.eu>\r\nSubject: m6\r\n", shown{"Eve Kask <eve@x.eu> — the name shown contains another address",
			"Eve Kask <eve@x.eu> — le nom affiché contient une autre adresse", "Eve Kask <eve@x.eu> — der angezeigte Name enthält eine andere Adresse"}},
	}
	f := newFakeCore()
	want := map[string]shown{}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i, c := range cases {
		raw := c.header + "Date: " + at.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z) + "\r\n\r\nbody\r\n"
		id, err := st.Add(ctx, mailstore.Inbox, []byte(raw), mailstore.AddOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if i == len(cases)-1 { // signed by Eve: the sender is her certified address, Jan's in the From field's name
			s := mailheader.Shown(mailheader.ParseFrom("Jan <jan@x.eu>"), "eve@x.eu", "Eve Kask")
			if err := st.SetSecurity(ctx, id, mailstore.Security{Signed: true, Signature: mailstore.SigAddressMismatch,
				Signer: "eve@x.eu", Sender: &s}); err != nil {
				t.Fatal(err)
			}
		}
		m, err := st.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.From != c.want.en {
			t.Errorf("%s: the store's English %q, want %q", m.Subject, m.From, c.want.en)
		}
		want[m.Subject] = c.want
		f.views[id] = &app.MessageView{Message: m, Report: &smime.Report{Text: "body"}}
	}
	rows, err := st.List(ctx, mailstore.Inbox, mailstore.ByDateDesc, 0, 100)
	if err != nil || len(rows) != len(cases) {
		t.Fatalf("listed %d (%v)", len(rows), err)
	}
	f.rows[mailstore.Inbox] = rows

	t.Cleanup(func() { i18n.Use("en") })
	for _, code := range []string{"fr", "de"} {
		if _, err := i18n.Use(code); err != nil {
			t.Fatal(err)
		}
		in := func(w shown) string {
			if code == "fr" {
				return w.fr
			}
			return w.de
		}
		a := test.NewTempApp(t)
		m := NewMainWindow(a, f, nil)
		s := &serial{}
		m.do = s.do
		s.do(func() {
			m.Show()
			m.win.Resize(fyne.NewSize(1366, 768))
		})
		eventually(t, s, code+": the list drawn", func() bool { return hasText(shownTexts(m.list.list), in(want[rows[0].Subject])) })
		for i, r := range rows {
			w := want[r.Subject]
			s.do(func() { m.list.list.Select(i) })
			eventually(t, s, code+": "+r.Subject+" open, its row drawn", func() bool {
				return m.reader.subject.Text == r.Subject && hasText(shownTexts(m.list.list), in(w))
			})
			s.do(func() {
				if m.reader.from.Text != in(w) {
					t.Errorf("%s: the reader shows %s from %q, want %q", code, r.Subject, m.reader.from.Text, in(w))
				}
			})
			p := NewProperties(f, f.views[r.ID], at)
			if line := lang.L("mail.from") + ": " + in(w); !hasText(p.lines, line) {
				t.Errorf("%s: Details of %s show %q, want the line %q", code, r.Subject, p.lines, line)
			}
			for _, l := range p.lines {
				for _, mark := range englishMarks {
					if strings.Contains(l, mark) {
						t.Errorf("%s: Details of %s show the English mark: %q", code, r.Subject, l)
					}
				}
			}
		}
		s.do(func() { m.win.Close() })
	}
}
