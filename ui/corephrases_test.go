package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/internal/phrase"
	"securemail/mailstore"
	"securemail/smime/crl"
	"securemail/testnet/testca"
	"securemail/ui/i18n"
)

// TestAddressBookSaysTheReasonInGerman: in a German window the address
// book's rows, a contact's properties and the composer's refusal say why
// in German, with the contact's address, from the verdict the core gives
// (its English stays the Reason the command line prints).
func TestAddressBookSaysTheReasonInGerman(t *testing.T) {
	const ada = "Ada.Lovelace@tcn.gb.eu-admin.net"
	if _, err := i18n.Use("de"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("en")
	a := test.NewTempApp(t)
	f := newFakeCore()
	none := addressbook.Evaluate(&addressbook.Contact{Address: ada}, addressbook.Trust{Now: time.Now()})
	damaged := addressbook.Evaluate(&addressbook.Contact{Address: marie,
		DigitalIDs: []*addressbook.DigitalID{{DER: []byte("not a certificate")}}}, addressbook.Trust{Now: time.Now()})
	// An expired Digital ID: the trust check's sentence, passed on.
	ca, err := testca.New(testca.WithCAValidity(time.Now().AddDate(-1, 0, 0), 3650))
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: marie, Key: testca.P256, NotBefore: time.Now().AddDate(0, -2, 0), Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	expired := addressbook.Evaluate(&addressbook.Contact{Address: marie, DigitalIDs: []*addressbook.DigitalID{{DER: is.Certificate.Raw}}},
		addressbook.Trust{Roots: []*x509Certificate{ca.Root}, Intermediates: []*x509Certificate{ca.Intermediate}, Now: time.Now()})
	f.contacts = []app.ContactView{{Contact: &addressbook.Contact{Address: ada}, Verdict: none}, {Contact: &addressbook.Contact{Address: marie}, Verdict: expired}}
	w := NewAddressBookWindow(a, f)
	for i, want := range []string{
		ada + " hat noch keine Digitale ID; bitten Sie um eine signierte Nachricht (sichere Verbindung).",
		"Die Digitale ID von " + marie + " ist am " + i18n.Date(is.Certificate.NotAfter.UTC()) + " abgelaufen.",
	} {
		row := newContactRow()
		w.updateRow(i, row)
		reason := row.(*tapRow).content.(*fyneContainer).Objects[0].(*fyneContainer).Objects[1].(*widget.Label).Text
		if reason != want {
			t.Errorf("row %d: %q, want %q", i, reason, want)
		}
	}
	if strings.Contains(none.Reason, "hat") {
		t.Errorf("the English Reason changed: %q", none.Reason)
	}

	p := NewContactProperties(f, app.ContactView{Contact: &addressbook.Contact{Address: marie}, Verdict: damaged}, time.Now())
	if texts := shownTexts(p.content); !hasText(texts, "X — Diese Digitale ID ist beschädigt.") {
		t.Errorf("properties do not say the status in German: %q", texts)
	}
	item := p.ids.CreateItem()
	p.ids.UpdateItem(0, item)
	if got := item.(*fyneContainer).Objects[0].(*widget.Label).Text; got != "Diese Digitale ID ist beschädigt." {
		t.Errorf("the damaged Digital ID's line: %q", got)
	}
	p.ids.Select(0)
	p.view()
	if p.details.Text != "Diese Digitale ID ist beschädigt." {
		t.Errorf("the damaged Digital ID's details: %q", p.details.Text)
	}

	refusal := RefusalSentence([]app.MissingID{{Address: marie, Reason: "has no usable Digital ID (This Digital ID is damaged)", Verdict: damaged}})
	if want := marie + " deren Digitale ID nicht verwendbar ist: Diese Digitale ID ist beschädigt, daher kann diese Nachricht für diesen Empfänger nicht verschlüsselt werden."; refusal != want {
		t.Errorf("refusal: %q, want %q", refusal, want)
	}
}

// TestImportCRLSaysItInFrench: Settings says what an imported revocation
// list holds, and why a file is refused, in French.
func TestImportCRLSaysItInFrench(t *testing.T) {
	if _, err := i18n.Use("fr"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("en")
	a := test.NewTempApp(t)
	f := newFakeCore()
	ca := newCA(t)
	f.roots = []*x509Certificate{ca.Root, ca.Intermediate}
	w := NewSettingsWindow(a, f)
	now := time.Now()
	good, err := ca.NewCRL([]testca.Revocation{{Serial: "0A", Email: marie, At: now, Reason: crl.KeyCompromise}}, 3, now)
	if err != nil {
		t.Fatal(err)
	}
	w.ImportCRLData(good)
	want := "Liste de révocation de TESTA Test EC CA importée : 1 ID numérique révoqué ; prochaine mise à jour le " + i18n.Date(now.Add(testca.CRLValidity).UTC()) + "."
	if w.message.Text != want {
		t.Errorf("message %q, want %q", w.message.Text, want)
	}
	w.ImportCRLData([]byte("not a list"))
	if want := "Ce fichier n'est pas une liste de révocation de certificats (.crl, DER ou PEM) ; rien n'a été importé."; w.message.Text != want {
		t.Errorf("a text file: %q, want %q", w.message.Text, want)
	}
}

// TestMessageListSaysToInFrenchAndGerman: the Sent, Outbox and Drafts
// folders list "To: …" in the window's language; the Inbox lists the sender
// as written, even one that looks like a template.
func TestMessageListSaysToInFrenchAndGerman(t *testing.T) {
	a := test.NewTempApp(t)
	defer i18n.Use("en")
	const jan = "Jan Peeters <Jan.Peeters@tcn.b.eu-admin.net>"
	for _, c := range []struct{ language, to, none string }{
		{"fr", "À : " + jan, "À : (aucun destinataire)"},
		{"de", "An: " + jan, "An: (kein Empfänger)"},
		{"en", "To: " + jan, "To: (no recipient)"},
	} {
		if _, err := i18n.Use(c.language); err != nil {
			t.Fatal(err)
		}
		f := newFakeCore()
		f.rows[mailstore.Sent] = []mailstore.Row{{ID: "s1", Folder: mailstore.Sent, To: jan, Subject: "Dossier 7", Date: time.Now(), Seen: true},
			{ID: "s2", Folder: mailstore.Sent, Subject: "Dossier 8", Date: time.Now().Add(-time.Hour), Seen: true}}
		f.rows[mailstore.Inbox] = []mailstore.Row{{ID: "i1", Folder: mailstore.Inbox, From: "{{.From}} <Eve.Mallory@tcn.b.eu-admin.net>", Subject: "x", Date: time.Now()}}
		w := NewMainWindow(a, f, nil)
		s := &serial{}
		w.do = s.do
		s.do(w.Show)
		eventually(t, s, "the Inbox listed", func() bool { _, ok := w.list.row(0); return ok && w.list.folder == mailstore.Inbox })
		var from string
		s.do(func() { from = rowPerson(w, 0) })
		if from != "{{.From}} <Eve.Mallory@tcn.b.eu-admin.net>" {
			t.Errorf("%s: the Inbox lists %q", c.language, from)
		}
		s.do(func() { w.ShowFolder(mailstore.Sent) })
		eventually(t, s, "the Sent folder listed", func() bool { _, ok := w.list.row(1); return ok && w.list.folder == mailstore.Sent })
		var to, none string
		s.do(func() { to, none = rowPerson(w, 0), rowPerson(w, 1) })
		if to != c.to || none != c.none {
			t.Errorf("%s: the Sent folder lists %q and %q, want %q and %q", c.language, to, none, c.to, c.none)
		}
		s.do(w.win.Close)
	}
}

// queuedNet is a bundled network with one message waiting for two
// recipients, their states as app/bundled words them.
type queuedNet struct{ fakeNet }

func (n *queuedNet) Queues() ([]QueueRow, error) {
	deferred := phrase.New("network.queue.state.deferred", "deferred", nil)
	pending := phrase.New("network.queue.state.pending", "pending", nil)
	return []QueueRow{{Node: "relay", From: marie, To: "English only", Attempts: 2, NextAttempt: time.Now(), Recipients: []phrase.Phrase{
		phrase.New("network.queue.rcpt.reply", "{{.To}} ({{.State}}: {{.Reply}})", phrase.Args{"To": "Jan.Novak@tcn.b.eu-admin.net", "State": deferred, "Reply": "451 4.4.1 try later"}),
		phrase.New("network.queue.rcpt", "{{.To}} ({{.State}})", phrase.Args{"To": "Ada.Lovelace@tcn.gb.eu-admin.net", "State": pending}),
	}}}, nil
}

// TestQueuesSayTheStateInGerman: the network panel's Queues tab says each
// recipient's state in the window's language, the server's reply as the
// server wrote it.
func TestQueuesSayTheStateInGerman(t *testing.T) {
	if _, err := i18n.Use("de"); err != nil {
		t.Fatal(err)
	}
	defer i18n.Use("en")
	w := NewNetworkWindow(test.NewTempApp(t), &queuedNet{})
	want := "Jan.Novak@tcn.b.eu-admin.net (zurückgestellt: 451 4.4.1 try later), Ada.Lovelace@tcn.gb.eu-admin.net (wartend)"
	if !strings.Contains(w.queues.Text, want) {
		t.Errorf("queues %q, want them to say %q", w.queues.Text, want)
	}
}
