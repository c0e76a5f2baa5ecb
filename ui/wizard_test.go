package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"securemail/testnet/testca"
)

const marie = "Marie.Curie@tcn.f.eu-admin.net"

// handout issues a tester's files with a fresh test CA.
func handout(t *testing.T, ca *testca.CA, email string) *testca.Handout {
	t.Helper()
	h, err := ca.Handout(testca.IssueOptions{Email: email, Name: "Marie Curie", Key: testca.P256}, "s3cret-pw", false)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func newCA(t *testing.T) *testca.CA {
	t.Helper()
	ca, err := testca.New()
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func newTestWizard(t *testing.T, f *fakeCore, net Network) (*Wizard, *serial) {
	a := test.NewTempApp(t)
	f.account = false
	w := NewWizard(a, f, net)
	s := &serial{}
	w.do = s.do
	return w, s
}

func (w *Wizard) typeAddress(first, surname, countryLabel string) {
	w.First.SetText("")
	w.Surname.SetText("")
	test.Type(w.First, first)
	test.Type(w.Surname, surname)
	w.Country.SetSelected(countryLabel)
}

func TestWizardHappyPathOwnServers(t *testing.T) {
	f := newFakeCore()
	ca := newCA(t)
	h := handout(t, ca, marie)
	w, s := newTestWizard(t, f, nil)
	if !w.Back.Disabled() || w.Next.Disabled() {
		t.Fatal("on Welcome, Back is disabled and Next enabled")
	}
	test.Tap(w.Next)
	if w.Step != StepAddress || !w.Next.Disabled() {
		t.Fatal("the address step must start with Next disabled")
	}
	w.typeAddress("Marie", "Curie", "France (F)")
	if w.AddressShown.Text != marie || w.Next.Disabled() {
		t.Fatalf("address shown %q, next disabled %v", w.AddressShown.Text, w.Next.Disabled())
	}
	test.Tap(w.Next)
	if w.Step != StepServers || w.Servers.Selected != serversOwn {
		t.Fatalf("step %d servers %q", w.Step, w.Servers.Selected)
	}
	if !w.Next.Disabled() {
		t.Error("Next enabled before the servers are filled in")
	}
	test.Type(w.POP3Host, "pop.tcn.f.eu-admin.net")
	test.Type(w.SMTPHost, "smtp.tcn.f.eu-admin.net")
	test.Type(w.User, "marie")
	test.Type(w.Password, "pw")
	test.Tap(w.Next)
	if w.Step != StepRoot {
		t.Fatalf("step %d, problem %q", w.Step, w.Problem.Text)
	}
	w.LoadRoot(h.RootCA)
	if !strings.Contains(w.RootInfo.Text, "SHA-256 fingerprint: ") || !strings.Contains(w.RootInfo.Text, "Valid from") {
		t.Errorf("root shown as %q", w.RootInfo.Text)
	}
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "Trust this authority to identify e-mail senders") {
		t.Fatalf("without the tick Next must be disabled with the reason; problem %q", w.Problem.Text)
	}
	test.Tap(w.Trust)
	test.Tap(w.Next)
	w.LoadChain(h.ECCA)
	if w.Next.Disabled() {
		t.Fatalf("EC CA refused: %q", w.Problem.Text)
	}
	test.Tap(w.Next)
	w.LoadDigitalID(h.MailPFX)
	test.Type(w.IDPassword, h.Password)
	if w.Next.Disabled() {
		t.Fatalf("Mail.pfx refused: %q", w.Problem.Text)
	}
	if !strings.Contains(w.IDInfo.Text, "Address: "+marie) || !strings.Contains(w.IDInfo.Text, "days left") {
		t.Errorf("Digital ID shown as %q", w.IDInfo.Text)
	}
	s.do(func() { test.Tap(w.Next) })
	eventually(t, s, "the Done step", func() bool { return w.Step == StepDone })
	got := f.setups[0]
	if got.Address != marie || !got.TrustRoot || got.PFXPassword != h.Password || got.POP3.Address != "pop.tcn.f.eu-admin.net:110" ||
		got.SMTP.Address != "smtp.tcn.f.eu-admin.net:587" || len(got.RootCA) == 0 || len(got.ECCA) == 0 || len(got.PFX) == 0 {
		t.Errorf("setup %+v", got)
	}
	if !w.SignAll.Checked || !w.EncryptAll.Checked {
		t.Error("the defaults sign all / encrypt all must be ticked")
	}
	w.LinkTo.SetText("Jan.Novak@tcn.cz.eu-admin.net")
	s.do(func() { test.Tap(w.SendLinks) })
	eventually(t, s, "links requested", func() bool { return len(f.requested) == 1 })
	done := false
	w.OnDone = func() { done = true }
	s.do(func() { test.Tap(w.Next) })
	if !done || len(f.saved) != 1 || !f.saved[0].Security.SignAll || !f.saved[0].Security.EncryptAll {
		t.Errorf("finish: done %v saved %+v", done, f.saved)
	}
	// Back always works.
	s.do(func() { test.Tap(w.Back); test.Tap(w.Back) })
	if w.Step != StepChain {
		t.Errorf("Back twice from Done: step %d", w.Step)
	}
}

// fakeNet is a bundled network with handouts written in a temp folder.
type fakeNet struct {
	dir      string
	handouts []Handout
	outages  []string
}

func (n *fakeNet) Dir() string                  { return n.dir }
func (n *fakeNet) Running() bool                { return true }
func (n *fakeNet) Handouts() ([]Handout, error) { return n.handouts, nil }
func (n *fakeNet) Nodes() []string              { return []string{"b-server", "f-server", "relay", "relay-a"} }
func (n *fakeNet) Queues() ([]QueueRow, error) {
	return []QueueRow{{Node: "relay", From: marie, To: "Jan.Novak@tcn.b.eu-admin.net", Attempts: 3, NextAttempt: time.Now()}}, nil
}
func (n *fakeNet) Events(int) ([]string, error) {
	return []string{"10:02:03 relay received <m1@x> from f-server"}, nil
}
func (n *fakeNet) Outage(node string, d time.Duration) error {
	n.outages = append(n.outages, node+" "+d.String())
	return nil
}

func TestWizardBundledHandout(t *testing.T) {
	f := newFakeCore()
	ca := newCA(t)
	dir := t.TempDir()
	hdir := filepath.Join(dir, "handouts", marie)
	if err := testca.WriteHandout(hdir, handout(t, ca, marie)); err != nil {
		t.Fatal(err)
	}
	net := &fakeNet{dir: dir, handouts: []Handout{{Address: marie, Dir: hdir}}}
	w, s := newTestWizard(t, f, net)
	test.Tap(w.UseBundled)
	if w.Step != StepAddress {
		t.Fatalf("step %d", w.Step)
	}
	w.Handout.SetSelected(marie)
	if w.AddressShown.Text != marie {
		t.Fatalf("address %q", w.AddressShown.Text)
	}
	test.Tap(w.Next) // servers: bundled
	if w.Servers.Selected != serversBundled || w.Next.Disabled() {
		t.Fatalf("servers %q problem %q", w.Servers.Selected, w.Problem.Text)
	}
	test.Tap(w.Next) // root, prefilled but not trusted yet
	if w.root == nil || !w.Next.Disabled() {
		t.Fatal("the handout's root must be shown and still need the explicit tick")
	}
	test.Tap(w.Trust)
	test.Tap(w.Next)
	test.Tap(w.Next)
	if w.Step != StepDigitalID || w.Next.Disabled() {
		t.Fatalf("step %d problem %q", w.Step, w.Problem.Text)
	}
	s.do(func() { test.Tap(w.Next) })
	eventually(t, s, "done", func() bool { return w.Step == StepDone })
	if len(f.handouts) != 1 || f.handouts[0] != hdir {
		t.Errorf("SetupFromHandout %v", f.handouts)
	}
}

func TestWizardRefusals(t *testing.T) {
	f := newFakeCore()
	ca, other := newCA(t), newCA(t)
	h := handout(t, ca, marie)
	foreign := handout(t, other, marie)
	jan := handout(t, ca, "Jan.Novak@tcn.cz.eu-admin.net")
	w, s := newTestWizard(t, f, nil)
	test.Tap(w.Next)

	w.typeAddress("Marie Anne", "Curie", "France (F)")
	if !w.Next.Disabled() || w.Problem.Text == "" {
		t.Errorf("a name with a space: next disabled %v, problem %q", w.Next.Disabled(), w.Problem.Text)
	}
	w.typeAddress("Marie", "Curie", "France (F)")
	test.Tap(w.Next)
	test.Type(w.POP3Host, "pop")
	test.Type(w.SMTPHost, "smtp")
	test.Type(w.User, "u")
	test.Type(w.Password, "p")
	w.POP3Port.SetText("99999")
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "1 to 65535") {
		t.Errorf("bad port: %q", w.Problem.Text)
	}
	w.POP3Port.SetText("110")
	test.Tap(w.Next)

	w.LoadRoot(h.ECCA) // the intermediate is not a root
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "not a root authority") {
		t.Errorf("EC CA as root: %q", w.Problem.Text)
	}
	w.LoadRoot([]byte("garbage"))
	if !w.Next.Disabled() || w.Problem.Text == "" {
		t.Error("a damaged file must be refused with a sentence")
	}
	w.LoadRoot(h.RootCA)
	test.Tap(w.Trust)
	test.Tap(w.Next)

	w.LoadChain(foreign.ECCA)
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "not issued by the one you trust") {
		t.Errorf("foreign EC CA: %q", w.Problem.Text)
	}
	w.LoadChain(h.ECCA)
	test.Tap(w.Next)

	w.LoadDigitalID(h.MailPFX)
	test.Type(w.IDPassword, "wrong")
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "password") {
		t.Errorf("wrong password: %q", w.Problem.Text)
	}
	w.IDPassword.SetText(jan.Password)
	w.LoadDigitalID(jan.MailPFX)
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "This Digital ID is for Jan.Novak@tcn.cz.eu-admin.net, but your address is "+marie) {
		t.Errorf("someone else's Mail.pfx: %q", w.Problem.Text)
	}
	w.IDPassword.SetText(foreign.Password)
	w.LoadDigitalID(foreign.MailPFX)
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "not issued under the authority you trust") {
		t.Errorf("Mail.pfx of another CA: %q", w.Problem.Text)
	}
	w.IDPassword.SetText(h.Password)
	w.LoadDigitalID(h.MailPFX)
	if w.Next.Disabled() {
		t.Fatalf("the right Mail.pfx refused: %q", w.Problem.Text)
	}
	f.setupErr = errors.New("app: the keyring is locked; unlock it and try again")
	s.do(func() { test.Tap(w.Next) })
	eventually(t, s, "the core's refusal", func() bool { return w.Problem.Text == "The keyring is locked; unlock it and try again." })
	if w.Step != StepDigitalID {
		t.Errorf("a refused set-up must stay on the step, not %d", w.Step)
	}
	// Back always works, even from a refused step.
	s.do(func() { test.Tap(w.Back) })
	if w.Step != StepChain {
		t.Errorf("Back: step %d", w.Step)
	}
}

func TestWizardBundledUnknownTester(t *testing.T) {
	f := newFakeCore()
	net := &fakeNet{dir: t.TempDir()}
	w, _ := newTestWizard(t, f, net)
	test.Tap(w.UseBundled)
	w.typeAddress("Ada", "Lovelace", "United Kingdom (GB)")
	test.Tap(w.Next)
	if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "The bundled network has no tester Ada.Lovelace@tcn.gb.eu-admin.net") {
		t.Errorf("problem %q", w.Problem.Text)
	}
}

func testcaOpts(email string) testca.IssueOptions {
	return testca.IssueOptions{Email: email, Name: "Marie Curie", Key: testca.P256}
}
