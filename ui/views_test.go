package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/addressbook"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/smime/crl"
	"securemail/testnet/testca"
)

func TestAddressBookMarks(t *testing.T) {
	a := test.NewTempApp(t)
	f := contactsCore()
	f.contacts = append(f.contacts, app.ContactView{Contact: &addressbook.Contact{Address: "Ada.Lovelace@tcn.gb.eu-admin.net"},
		Verdict: addressbook.ContactVerdict{Status: addressbook.None, Reason: "Ada.Lovelace@tcn.gb.eu-admin.net has no Digital ID yet; ask for a signed mail (secure link)."}})
	w := NewAddressBookWindow(a, f)
	w.win.Resize(w.win.Canvas().Size().Max(w.win.Content().MinSize()))
	want := []struct {
		mark   Mark
		word   string
		reason string
	}{
		{MarkContactOK, "V", "Digital ID valid until 2 April 2026."},
		{MarkInvalid, "X", "Their Digital ID expired on 2 February 2026."},
		{MarkInvalid, "X", "has no Digital ID yet"},
	}
	for i, wnt := range want {
		row := newContactRow()
		w.updateRow(i, row)
		b := row.(*tapRow).content.(*fyneContainer)
		left := b.Objects[1].(*fyneContainer)
		icon := left.Objects[0].(*widget.Icon)
		word := left.Objects[1].(*widget.Label).Text
		reason := b.Objects[0].(*fyneContainer).Objects[1].(*widget.Label).Text
		if icon.Resource == nil || icon.Resource.Name() != wnt.mark.Icon().Name() || word != wnt.word || !strings.Contains(reason, wnt.reason) {
			t.Errorf("row %d: icon %v word %q reason %q", i, icon.Resource, word, reason)
		}
	}
}

func TestContactPropertiesDigitalIDs(t *testing.T) {
	f := newFakeCore()
	ca := newCA(t)
	is, err := ca.Issue(testcaOpts(marie))
	if err != nil {
		t.Fatal(err)
	}
	d := &addressbook.DigitalID{DER: is.Certificate.Raw, Default: true}
	cv := app.ContactView{Contact: &addressbook.Contact{Address: marie, DigitalIDs: []*addressbook.DigitalID{d}},
		Verdict: addressbook.ContactVerdict{Status: addressbook.Valid, IDs: []addressbook.Verdict{{ID: d, NotAfter: is.Certificate.NotAfter}}}}
	p := NewContactProperties(f, cv, time.Now())
	if !p.removeBtn.Disabled() {
		t.Error("Remove enabled with nothing selected")
	}
	p.ids.Select(0)
	test.Tap(p.viewBtn)
	if !strings.Contains(p.details.Text, "Valid ") || !strings.Contains(p.details.Text, d.Fingerprint()) {
		t.Errorf("details %q", p.details.Text)
	}
	p.ids.Select(0)
	test.Tap(p.setDefaultBtn)
	p.ids.Select(0)
	test.Tap(p.removeBtn)
	if len(f.defaults) != 1 || len(f.removed) != 1 || !strings.HasSuffix(f.removed[0], d.Fingerprint()) {
		t.Errorf("defaults %v removed %v", f.defaults, f.removed)
	}
}

func TestContactFormValidatesAddress(t *testing.T) {
	f := newFakeCore()
	cf := NewContactForm(f, nil)
	test.Type(cf.address, "marie@example.com")
	if !cf.saveBtn.Disabled() || cf.check.Text == "" {
		t.Errorf("a non-TESTA address: save disabled %v, check %q", cf.saveBtn.Disabled(), cf.check.Text)
	}
	cf.address.SetText(marie)
	test.Type(cf.name, "Marie Curie")
	test.Tap(cf.saveBtn)
	if len(f.contacts) != 1 || f.contacts[0].Contact.Name != "Marie Curie" {
		t.Errorf("contacts %+v", f.contacts)
	}
}

func TestSecureLinkRows(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	f.links = []app.LinkRow{{Address: "A.B@tcn.b.eu-admin.net", State: addressbook.LinkNone},
		{Address: "C.D@tcn.b.eu-admin.net", State: addressbook.LinkRequested},
		{Address: "E.F@tcn.b.eu-admin.net", State: addressbook.LinkReceived},
		{Address: "G.H@tcn.b.eu-admin.net", State: addressbook.LinkEstablished}}
	w := NewSecureLinkWindow(a, f)
	s := &serial{}
	w.do = s.do
	wantState := []string{"Not linked", "Request sent", "Their ID received", "Linked"}
	wantAction := []string{"Send request", "", "Reply signed", ""}
	for i := range f.links {
		if LinkStateText(f.links[i].State) != wantState[i] || linkAction(f.links[i].State) != wantAction[i] {
			t.Errorf("row %d: %q / %q", i, LinkStateText(f.links[i].State), linkAction(f.links[i].State))
		}
		cell := w.table.CreateCell()
		w.updateCell(widget.TableCellID{Row: i, Col: 2}, cell)
		btn := cell.(*fyneContainer).Objects[1].(*widget.Button)
		lbl := cell.(*fyneContainer).Objects[0].(*widget.Label)
		if wantAction[i] == "" {
			if btn.Visible() || lbl.Text != "—" {
				t.Errorf("row %d must show —", i)
			}
			continue
		}
		if !btn.Visible() || btn.Text != wantAction[i] {
			t.Errorf("row %d button %q", i, btn.Text)
		}
		s.do(func() { test.Tap(btn) })
	}
	eventually(t, s, "actions done", func() bool { return len(f.requested) == 1 && len(f.replied) == 1 })
	if f.requested[0][0] != "A.B@tcn.b.eu-admin.net" || f.replied[0] != "E.F@tcn.b.eu-admin.net" {
		t.Errorf("requested %v replied %v", f.requested, f.replied)
	}
}

func TestSettingsSaveAndMyDigitalID(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	ca := newCA(t)
	is, err := ca.Issue(testcaOpts(marie))
	if err != nil {
		t.Fatal(err)
	}
	f.now = is.Certificate.NotAfter.Add(-10*24*time.Hour - time.Hour)
	f.myIDs = []digitalid.MyID{{Certificate: is.Certificate, Address: marie, Fingerprint: "AB:CD", Current: true}}
	f.roots = []*x509Certificate{ca.Root}
	w := NewSettingsWindow(a, f)
	if !strings.Contains(w.myID.Text, "(10 days left)") {
		t.Errorf("my Digital ID %q", w.myID.Text)
	}
	if w.checkEvery.Selected != "Never" || !w.signAll.Checked || !w.encryptAll.Checked {
		t.Errorf("check %q sign %v encrypt %v", w.checkEvery.Selected, w.signAll.Checked, w.encryptAll.Checked)
	}
	test.Tap(w.encryptAll)
	w.checkEvery.SetSelected("Every 5 minutes")
	w.leaveOnSrv.SetSelected("Keep 7 days")
	test.Tap(w.saveBtn)
	got := f.saved[0]
	if got.Security.EncryptAll || !got.Security.SignAll || got.CheckEvery != profile.Duration(5*time.Minute) || got.LeaveOnServerDays != 7 {
		t.Errorf("saved %+v", got)
	}
	if w.message.Text != "Settings saved." {
		t.Errorf("message %q", w.message.Text)
	}
}

func TestNetworkPanel(t *testing.T) {
	a := test.NewTempApp(t)
	n := &fakeNet{dir: "/tmp/net", handouts: []Handout{{Address: marie, Dir: "/tmp/net/handouts/" + marie}}}
	w := NewNetworkWindow(a, n)
	if !strings.Contains(w.handouts.Text, marie) || !strings.Contains(w.queues.Text, "attempts 3") || !strings.Contains(w.log.Text, "relay received") {
		t.Errorf("panel: %q / %q / %q", w.handouts.Text, w.queues.Text, w.log.Text)
	}
	test.Tap(w.downBtn)
	if w.message.Text != "Pick the node to take down first." {
		t.Errorf("message %q", w.message.Text)
	}
	w.node.SetSelected("relay")
	test.Tap(w.downBtn)
	if len(n.outages) != 1 || n.outages[0] != "relay 10m0s" {
		t.Errorf("outages %v", n.outages)
	}
}

func TestPropertiesShowSignerAndAdd(t *testing.T) {
	f := readerCore()
	ca := newCA(t)
	is, err := ca.Issue(testcaOpts(marie))
	if err != nil {
		t.Fatal(err)
	}
	v := f.views["m1"]
	v.Report.SignerCertificate = is.Certificate
	v.Report.SigningTime = time.Now()
	v.Message.Arrived = time.Now()
	p := NewProperties(f, v, time.Now())
	s := &serial{}
	p.do = s.do
	joined := strings.Join(p.lines, "\n")
	for _, want := range []string{"Encryption: AES-256-GCM", "Signer: " + marie, "Signed at (as the signer claims): ", "Valid when it arrived: yes", "Valid now: yes", "Chain: ", "SHA-256 fingerprint: "} {
		if !strings.Contains(joined, want) {
			t.Errorf("properties lack %q:\n%s", want, joined)
		}
	}
	s.do(func() { test.Tap(p.addBtn) })
	eventually(t, s, "added", func() bool { return p.result.Text == "Added to the address book for "+marie+"." })
}

// TestSettingsImportCRL: "Import CRL…" in the Trusted authorities tab says
// what a good list holds, and why another file is refused.
func TestSettingsImportCRL(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	ca := newCA(t)
	other := newCA(t)
	f.roots = []*x509Certificate{ca.Root, ca.Intermediate}
	w := NewSettingsWindow(a, f)
	if w.importCRLBtn.Text != "Import CRL…" {
		t.Fatalf("button %q", w.importCRLBtn.Text)
	}
	now := time.Now()
	good, err := ca.NewCRL([]testca.Revocation{{Serial: "0A", Email: marie, At: now, Reason: crl.KeyCompromise}}, 3, now)
	if err != nil {
		t.Fatal(err)
	}
	w.ImportCRLData(good)
	want := "Revocation list of TESTA Test EC CA imported: 1 Digital ID revoked; next update " + now.Add(testca.CRLValidity).UTC().Format("2 January 2006") + "."
	if w.message.Text != want {
		t.Errorf("message %q, want %q", w.message.Text, want)
	}
	w.ImportCRLData([]byte("not a list"))
	if !strings.HasPrefix(w.message.Text, "This file is not a certificate revocation list") {
		t.Errorf("a text file: %q", w.message.Text)
	}
	foreign, _ := other.NewCRL(nil, 1, now)
	w.ImportCRLData(foreign)
	if !strings.Contains(w.message.Text, "signature does not verify") && !strings.Contains(w.message.Text, "does not know") {
		t.Errorf("another CA's list: %q", w.message.Text)
	}
}
