package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/mailstore"
	"securemail/smime"
	"securemail/testnet/testca"
)

// rowPerson is what the message list shows in row id's person column.
func rowPerson(m *MainWindow, id int) string {
	o := newRowView()
	m.list.update(id, o)
	return o.(*fyneContainer).Objects[3].(*widget.Label).Text
}

// TestNamesPeopleCanRead (issue 14 point 6): a signer's Digital ID reads
// "CN=…, Email=…" in Details, never an object identifier with hex; the
// address book names a contact beside one spelling of the address; the
// Sent folder lists the recipients, not the user.
func TestNamesPeopleCanRead(t *testing.T) {
	const lower, written = "jan.peeters@tcn.b.eu-admin.net", "Jan.Peeters@tcn.b.eu-admin.net"
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(testca.IssueOptions{Email: lower, Name: "Jan Peeters"})
	if err != nil {
		t.Fatal(err)
	}

	// Details of a message he signed.
	m := msg("m1", "Jan Peeters <"+written+">", "Dossier 7")
	p := NewProperties(newFakeCore(), &app.MessageView{Message: m, Report: &smime.Report{Signed: true, Signature: "valid",
		Signer: lower, SignerCertificate: is.Certificate, SignerMatchesFrom: true}}, time.Now())
	details := strings.Join(p.Lines, "\n")
	if !strings.Contains(details, "Digital ID (certificate) of: CN=Jan Peeters, Email="+lower) || strings.Contains(details, "1.2.840") ||
		!strings.Contains(details, "Issued by: CN="+is.Certificate.Issuer.CommonName) {
		t.Fatalf("Details read:\n%s", details)
	}

	// The address book, on the real core: his Digital ID file, then a
	// message with his spelling of the address.
	core := realProfile(t)
	a := test.NewTempApp(t)
	if _, err := AppCore(core).ImportDigitalID(is.Certificate.Raw); err != nil {
		t.Fatal(err)
	}
	if err := core.Book.Learn(written, "Jan Peeters"); err != nil {
		t.Fatal(err)
	}
	ab := NewAddressBookWindow(a, AppCore(core))
	if ab.List.Length() != 1 {
		t.Fatalf("%d address book rows for one person", ab.List.Length())
	}
	row := newContactRow()
	ab.updateRow(0, row)
	grid := row.(*tapRow).content.(*fyneContainer).Objects[0].(*fyneContainer)
	if got := grid.Objects[0].(*widget.Label).Text; got != "Jan Peeters <"+written+">" {
		t.Fatalf("address book row %q; want his name beside his address", got)
	}

	// The Sent folder shows to whom.
	f := newFakeCore()
	sent := mailstore.Row{ID: "s1", Folder: mailstore.Sent, From: f.settings.Account.Address, To: "Jan Peeters <" + written + ">",
		Subject: "Dossier 7", Date: time.Now(), Seen: true}
	f.rows[mailstore.Sent] = []mailstore.Row{sent}
	w := NewMainWindow(a, f, nil)
	s := &serial{}
	w.do = s.do
	s.do(w.Show)
	s.do(func() { w.ShowFolder(mailstore.Sent) })
	eventually(t, s, "the Sent folder listed", func() bool { _, ok := w.list.row(0); return ok && w.list.folder == mailstore.Sent })
	var person string
	s.do(func() { person = rowPerson(w, 0) })
	if person != "To: Jan Peeters <"+written+">" {
		t.Fatalf("the Sent folder lists %q; want the recipient", person)
	}
}

// WatchContacts: the fake's address book never changes by itself.
func (f *fakeCore) WatchContacts(func()) func() { return func() {} }

// watchingCore is a fakeCore whose test says when the address book changed.
type watchingCore struct {
	*fakeCore
	fns []func()
}

func (w *watchingCore) WatchContacts(fn func()) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fns = append(w.fns, fn)
	return func() {}
}

// addContact adds a contact and tells the watchers, as the real address
// book does when a Digital ID arrives.
func (w *watchingCore) addContact(cv app.ContactView) {
	w.mu.Lock()
	w.contacts = append(append([]app.ContactView(nil), w.contacts...), cv)
	fns := w.fns
	w.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// chipTexts are the recipient marks' words under To and Cc.
func chipTexts(c *Composer) []string {
	var out []string
	for _, o := range c.Chips.Objects {
		out = append(out, o.(*fyneContainer).Objects[1].(*widget.Label).Text)
	}
	return out
}

// TestComposerLearnsArrivingDigitalID (issue 14 point 1): Send refused for
// want of Ada's Digital ID; her Digital ID arrives while the composer is
// open (a secure-link reply fetched, a file imported): her mark and the
// refusal update at once, without reopening, and Send then encrypts.
func TestComposerLearnsArrivingDigitalID(t *testing.T) {
	const ada = "Ada.Lovelace@tcn.gb.eu-admin.net"
	w := &watchingCore{fakeCore: contactsCore()}
	w.settings.Security.SignAll, w.settings.Security.EncryptAll = true, true
	a := test.NewTempApp(t)
	c := NewComposer(a, w, &compose.Draft{})
	s := &serial{}
	c.do = s.do
	s.do(func() {
		test.Type(c.To, ada)
		test.Type(c.Subject, "Dossier 9")
		test.Tap(c.SendBtn)
	})
	var refused bool
	s.do(func() { refused = c.Refusal.Visible() && strings.Contains(c.RefusalText.Text, ada) })
	if !refused || len(w.sent) != 0 {
		t.Fatalf("Send without Ada's Digital ID: refusal shown %v, %d sent", refused, len(w.sent))
	}
	// Her Digital ID arrives, filed under the certificate's spelling.
	w.addContact(app.ContactView{Contact: &addressbook.Contact{Address: strings.ToLower(ada), Name: "Ada Lovelace"},
		Verdict: addressbook.ContactVerdict{Status: addressbook.Valid, Reason: "Digital ID valid until 2 April 2026.", Usable: &addressbook.DigitalID{}}})
	eventually(t, s, "the refusal gone and Ada's key mark", func() bool {
		chips := chipTexts(c)
		return !c.Refusal.Visible() && len(chips) == 1 && strings.Contains(chips[0], "(key: can be encrypted for)") &&
			strings.Contains(c.Message.Text, "can be sent encrypted")
	})
	s.do(func() { test.Tap(c.SendBtn) })
	eventually(t, s, "sent", func() bool { w.mu.Lock(); defer w.mu.Unlock(); return len(w.sent) == 1 })
	if o := w.sent[0].Opts; !o.Encrypt {
		t.Fatalf("sent with %+v; want encrypted", o)
	}
}
