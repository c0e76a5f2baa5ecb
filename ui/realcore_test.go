package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"securemail/app"
	"securemail/app/compose"
	"securemail/app/keystore"
	"securemail/mailstore"
	"securemail/testnet"
	"securemail/tests/testenv"
)

const (
	alainAddr = "Alain.Dupont@tcn.b.eu-admin.net"
	marieAddr = "Marie.Curie@tcn.f.eu-admin.net"
)

// realProfile opens a real App on a temp profile, keys in a sealed file.
func realProfile(t *testing.T) *app.App {
	t.Helper()
	dir := t.TempDir()
	keys, err := keystore.NewSealedFiles(filepath.Join(dir, "keys"), []byte("a test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), dir, app.Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestRealCoreExchange drives the views on the real core and the real
// bundled network: Marie is set up through the wizard, Alain from his
// handout; Marie's signed mail reaches Alain's main window with a valid
// banner, which puts her Digital ID in his address book (V); his signed and
// encrypted answer opens in Marie's window as encrypted for her.
func TestRealCoreExchange(t *testing.T) {
	netDir := t.TempDir()
	cfgFile := filepath.Join(t.TempDir(), "net.toml")
	os.WriteFile(cfgFile, []byte("auth_failure_delay = \"20ms\"\n[[country]]\ncode = \"B\"\n[[country.tester]]\nname = \"Alain.Dupont\"\n[[country]]\ncode = \"F\"\n[[country.tester]]\nname = \"Marie.Curie\"\n"), 0o600)
	cfg, ca, err := testnet.Prepare(netDir, cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	n, err := testnet.Start(testnet.Options{Dir: netDir, Config: cfg, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	net := &fakeNet{dir: netDir, handouts: []Handout{
		{Address: alainAddr, Dir: testnet.HandoutDir(netDir, alainAddr)},
		{Address: marieAddr, Dir: testnet.HandoutDir(netDir, marieAddr)}}}

	fa := test.NewTempApp(t)
	s := &serial{}

	// Marie: the wizard on the real core.
	marie := AppCore(realProfile(t))
	w := NewWizard(fa, marie, net)
	w.do = s.do
	s.do(func() {
		w.tapUseBundled()
		w.pickTester(marieAddr)
		w.tapNext() // servers
		w.tapNext() // root
		w.tapTrust()
		w.tapNext() // chain
		w.tapNext() // Digital ID
		w.tapNext() // set up
	})
	eventuallyFor(t, s, 30*time.Second, "Marie set up", func() bool { return w.step == StepDone })
	if !marie.HasAccount() {
		t.Fatal("the wizard finished but no account is stored")
	}

	// Alain: from his handout.
	alainApp := realProfile(t)
	if err := alainApp.SetupFromHandout(context.Background(), testnet.HandoutDir(netDir, alainAddr), true); err != nil {
		t.Fatal(err)
	}
	alain := AppCore(alainApp)

	// Marie writes to Alain, signed only (she has no Digital ID of his).
	c := NewComposer(fa, marie, nil2draft())
	c.do = s.do
	s.do(func() {
		c.to.SetText(alainAddr)
		c.subject.SetText("Dossier 42")
		c.body.SetText("Card 42 was reported stolen.")
		test.Tap(c.encryptToggle)
		test.Tap(c.sendBtn)
	})
	eventuallyFor(t, s, 30*time.Second, "Marie's mail sent", func() bool { return !c.sending && c.message.Text != "Sending…" })
	if c.message.Text != "Sent." {
		t.Fatalf("sending failed: %q %q", c.message.Text, c.refusalText.Text)
	}

	// Alain receives it in the main window.
	m := NewMainWindow(fa, alain, net)
	m.do = s.do
	s.do(m.Show)
	fetchInWindow(t, s, m, "Dossier 42")
	s.do(func() { m.list.list.Select(0) })
	eventuallyFor(t, s, 20*time.Second, "the valid banner", func() bool {
		return len(m.reader.bannerTexts) == 1 && m.reader.bannerTexts[0] == "Signed by Marie Curie <marie.curie@tcn.f.eu-admin.net> — valid."
	})
	if m.reader.body.Text != "Card 42 was reported stolen." {
		t.Errorf("text %q", m.reader.body.Text)
	}
	ab := NewAddressBookWindow(fa, alain)
	var marieRow *app.ContactView
	for i := range ab.rows {
		if strings.EqualFold(ab.rows[i].Contact.Address, marieAddr) {
			marieRow = &ab.rows[i]
		}
	}
	if marieRow == nil {
		t.Fatal("Marie's Digital ID was not added to Alain's address book")
	}
	if mk, word := ContactMark(marieRow.Verdict); mk != MarkContactOK || word != "V" {
		t.Errorf("Marie in Alain's address book: %v %q (%s)", mk, word, marieRow.Verdict.Reason)
	}

	// Alain answers signed and encrypted.
	r := NewComposer(fa, alain, compose.Reply(m.current.Original(), false, alainAddr))
	r.do = s.do
	if !r.sign || !r.encrypt {
		t.Fatal("the reply must start signed and encrypted (the defaults)")
	}
	s.do(func() {
		r.body.SetText("Blocked. " + r.body.Text)
		test.Tap(r.sendBtn)
	})
	eventuallyFor(t, s, 30*time.Second, "Alain's reply sent", func() bool { return !r.sending && r.message.Text != "Sending…" })
	if r.message.Text != "Sent." {
		t.Fatalf("the reply was not sent: %q %q", r.message.Text, r.refusalText.Text)
	}
	mm := NewMainWindow(fa, marie, net)
	mm.do = s.do
	s.do(mm.Show)
	fetchInWindow(t, s, mm, "Re: Dossier 42")
	s.do(func() { mm.list.list.Select(0) })
	eventuallyFor(t, s, 20*time.Second, "the encrypted banner", func() bool {
		return len(mm.reader.bannerTexts) == 2 && mm.reader.bannerTexts[0] == "Signed by Alain Dupont <alain.dupont@tcn.b.eu-admin.net> — valid." &&
			strings.HasPrefix(mm.reader.bannerTexts[1], "Encrypted for you (")
	})
	if !strings.HasPrefix(mm.reader.body.Text, "Blocked.") {
		t.Errorf("decrypted text %q", mm.reader.body.Text)
	}
}

// fetchInWindow presses Send/Receive until a message with that subject is listed first.
func fetchInWindow(t *testing.T, s *serial, m *MainWindow, subject string) {
	t.Helper()
	testenv.Eventually(t, time.Minute, func() error {
		s.do(func() { test.Tap(m.sendReceiveBtn) })
		eventuallyFor(t, s, 30*time.Second, "Send/Receive done", func() bool { return m.cancelWork == nil })
		var first mailstore.Row
		var ok bool
		eventually(t, s, "list loaded", func() bool {
			first, ok = m.list.row(0)
			return ok || m.list.length() == 0
		})
		if ok && first.Subject == subject {
			return nil
		}
		var status string
		s.do(func() { status = m.status.Text })
		return fmt.Errorf("%q did not arrive; status %q", subject, status)
	})
}

func nil2draft() *composeDraft { return &composeDraft{} }
