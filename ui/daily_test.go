package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
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
