package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"securemail/app"
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

func TestWizardHappyPathOwnServers(t *testing.T) {
	f := newFakeCore()
	ca := newCA(t)
	h := handout(t, ca, marie)
	w, s := newTestWizard(t, f, nil)
	if !w.backDisabled() || w.nextDisabled() {
		t.Fatal("on Welcome, Back is disabled and Next enabled")
	}
	w.tapNext()
	if w.step != StepAddress || !w.nextDisabled() {
		t.Fatal("the address step must start with Next disabled")
	}
	w.typeAddress("Marie", "Curie", "France (F)")
	if w.addressShown() != marie || w.nextDisabled() {
		t.Fatalf("address shown %q, next disabled %v", w.addressShown(), w.nextDisabled())
	}
	w.tapNext()
	if w.step != StepServers || w.serversChoice() != serversOwn() {
		t.Fatalf("step %d servers %q", w.step, w.serversChoice())
	}
	if !w.nextDisabled() {
		t.Error("Next enabled before the servers are filled in")
	}
	w.typeOwnServers("pop.tcn.f.eu-admin.net", "smtp.tcn.f.eu-admin.net", "marie", "pw")
	w.tapNext()
	if w.step != StepRoot {
		t.Fatalf("step %d, problem %q", w.step, w.problem())
	}
	w.loadRoot(h.RootCA)
	if !strings.Contains(w.rootInfo(), "SHA-256 fingerprint: ") || !strings.Contains(w.rootInfo(), "Valid from") {
		t.Errorf("root shown as %q", w.rootInfo())
	}
	if !w.nextDisabled() || !strings.Contains(w.problem(), "Trust this authority to identify e-mail senders") {
		t.Fatalf("without the tick Next must be disabled with the reason; problem %q", w.problem())
	}
	w.tapTrust()
	w.tapNext()
	w.loadChain(h.ECCA)
	if w.nextDisabled() {
		t.Fatalf("EC CA refused: %q", w.problem())
	}
	w.tapNext()
	w.loadDigitalID(h.MailPFX)
	w.typeIDPassword(h.Password)
	if w.nextDisabled() {
		t.Fatalf("Mail.pfx refused: %q", w.problem())
	}
	if !strings.Contains(w.idInfo(), "Address: "+marie) || !strings.Contains(w.idInfo(), "days left") {
		t.Errorf("Digital ID shown as %q", w.idInfo())
	}
	s.do(func() { w.tapNext() })
	eventually(t, s, "the Done step", func() bool { return w.step == StepDone })
	got := f.setups[0]
	if got.Address != marie || !got.TrustRoot || got.PFXPassword != h.Password || got.POP3.Address != "pop.tcn.f.eu-admin.net:110" ||
		got.SMTP.Address != "smtp.tcn.f.eu-admin.net:587" || len(got.RootCA) == 0 || len(got.ECCA) == 0 || len(got.PFX) == 0 {
		t.Errorf("setup %+v", got)
	}
	if !w.defaultsTicked() {
		t.Error("the defaults sign all / encrypt all must be ticked")
	}
	w.setLinkTo("Jan.Novak@tcn.cz.eu-admin.net")
	s.do(func() { w.tapSendLinks() })
	eventually(t, s, "links requested", func() bool { return len(f.requested) == 1 })
	done := false
	w.OnDone = func() { done = true }
	s.do(func() { w.tapNext() })
	if !done || len(f.saved) != 1 || !f.saved[0].Security.SignAll || !f.saved[0].Security.EncryptAll {
		t.Errorf("finish: done %v saved %+v", done, f.saved)
	}
	// Back always works.
	s.do(func() { w.tapBack(); w.tapBack() })
	if w.step != StepChain {
		t.Errorf("Back twice from Done: step %d", w.step)
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
	w.tapUseBundled()
	if w.step != StepAddress {
		t.Fatalf("step %d", w.step)
	}
	w.pickTester(marie)
	if w.addressShown() != marie {
		t.Fatalf("address %q", w.addressShown())
	}
	w.tapNext() // servers: bundled
	if w.serversChoice() != serversBundled() || w.nextDisabled() {
		t.Fatalf("servers %q problem %q", w.serversChoice(), w.problem())
	}
	w.tapNext() // root, prefilled but not trusted yet
	if w.root.authority == nil || !w.nextDisabled() {
		t.Fatal("the handout's root must be shown and still need the explicit tick")
	}
	w.tapTrust()
	w.tapNext()
	w.tapNext()
	if w.step != StepDigitalID || w.nextDisabled() {
		t.Fatalf("step %d problem %q", w.step, w.problem())
	}
	s.do(func() { w.tapNext() })
	eventually(t, s, "done", func() bool { return w.step == StepDone })
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
	w.tapNext()

	w.typeAddress("Marie Anne", "Curie", "France (F)")
	if !w.nextDisabled() || w.problem() == "" {
		t.Errorf("a name with a space: next disabled %v, problem %q", w.nextDisabled(), w.problem())
	}
	w.typeAddress("Marie", "Curie", "France (F)")
	w.tapNext()
	w.typeOwnServers("pop", "smtp", "u", "p")
	w.setPOP3Port("99999")
	if !w.nextDisabled() || !strings.Contains(w.problem(), "1 to 65535") {
		t.Errorf("bad port: %q", w.problem())
	}
	w.setPOP3Port("110")
	w.tapNext()

	w.loadRoot(h.ECCA) // the intermediate is not a root
	if !w.nextDisabled() || !strings.Contains(w.problem(), "not a root authority") {
		t.Errorf("EC CA as root: %q", w.problem())
	}
	w.loadRoot([]byte("garbage"))
	if !w.nextDisabled() || w.problem() == "" {
		t.Error("a damaged file must be refused with a sentence")
	}
	w.loadRoot(h.RootCA)
	w.tapTrust()
	w.tapNext()

	w.loadChain(foreign.ECCA)
	if !w.nextDisabled() || !strings.Contains(w.problem(), "not issued by the one you trust") {
		t.Errorf("foreign EC CA: %q", w.problem())
	}
	w.loadChain(h.ECCA)
	w.tapNext()

	w.loadDigitalID(h.MailPFX)
	w.typeIDPassword("wrong")
	if !w.nextDisabled() || !strings.Contains(w.problem(), "password") {
		t.Errorf("wrong password: %q", w.problem())
	}
	w.setIDPassword(jan.Password)
	w.loadDigitalID(jan.MailPFX)
	if !w.nextDisabled() || !strings.Contains(w.problem(), "This Digital ID is for Jan.Novak@tcn.cz.eu-admin.net, but your address is "+marie) {
		t.Errorf("someone else's Mail.pfx: %q", w.problem())
	}
	w.setIDPassword(foreign.Password)
	w.loadDigitalID(foreign.MailPFX)
	if !w.nextDisabled() || !strings.Contains(w.problem(), "not issued under the authority you trust") {
		t.Errorf("Mail.pfx of another CA: %q", w.problem())
	}
	w.setIDPassword(h.Password)
	w.loadDigitalID(h.MailPFX)
	if w.nextDisabled() {
		t.Fatalf("the right Mail.pfx refused: %q", w.problem())
	}
	f.setupErr = &app.Problem{What: "The keyring is locked", Do: "unlock it and try again"}
	s.do(func() { w.tapNext() })
	eventually(t, s, "the core's refusal", func() bool { return w.problem() == "The keyring is locked; unlock it and try again." })
	if w.step != StepDigitalID {
		t.Errorf("a refused set-up must stay on the step, not %d", w.step)
	}
	// Back always works, even from a refused step.
	s.do(func() { w.tapBack() })
	if w.step != StepChain {
		t.Errorf("Back: step %d", w.step)
	}
}

func TestWizardBundledUnknownTester(t *testing.T) {
	f := newFakeCore()
	net := &fakeNet{dir: t.TempDir()}
	w, _ := newTestWizard(t, f, net)
	w.tapUseBundled()
	w.typeAddress("Ada", "Lovelace", "United Kingdom (GB)")
	w.tapNext()
	if !w.nextDisabled() || !strings.Contains(w.problem(), "The bundled network has no tester Ada.Lovelace@tcn.gb.eu-admin.net") {
		t.Errorf("problem %q", w.problem())
	}
}

func testcaOpts(email string) testca.IssueOptions {
	return testca.IssueOptions{Email: email, Name: "Marie Curie", Key: testca.P256}
}

// TestClosingAScreenCancelsItsWork: closing the wizard ends the Test
// connection it runs; closing the Secure Link window ends its requests.
func TestClosingAScreenCancelsItsWork(t *testing.T) {
	f := newFakeCore()
	f.connSteps = connSteps(app.POP3, nil, app.StepTCP)
	f.connBlock = true // the checks run until their context ends
	w, s := ownServersWizard(t, f)
	s.do(w.tapTestConnection)
	eventually(t, s, "the first step", func() bool { return strings.Contains(w.testResult(), "✓ POP3 connection") })
	s.do(w.Close)
	eventually(t, s, "the checks to end once the window closed", func() bool { return strings.Contains(w.testResult(), "Test cancelled.") })

	l := NewSecureLinkWindow(test.NewTempApp(t), f)
	if l.ctx.Err() != nil {
		t.Fatal("an open window's context is already cancelled")
	}
	l.win.Close()
	if !errors.Is(l.ctx.Err(), context.Canceled) {
		t.Errorf("after closing the Secure Link window its context is %v", l.ctx.Err())
	}
}
