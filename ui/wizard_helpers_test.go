package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The wizard's test helpers: tests drive and read the wizard through these,
// as a user would through its widgets, never through the widgets' fields.

func newTestWizard(t *testing.T, f *fakeCore, net Network) (*Wizard, *serial) {
	a := test.NewTempApp(t)
	f.account = false
	w := NewWizard(a, f, net)
	s := &serial{}
	w.do = s.do
	return w, s
}

// The frame.
func (w *Wizard) tapNext()             { test.Tap(w.nextBtn) }
func (w *Wizard) tapBack()             { test.Tap(w.backBtn) }
func (w *Wizard) nextDisabled() bool   { return w.nextBtn.Disabled() }
func (w *Wizard) backDisabled() bool   { return w.backBtn.Disabled() }
func (w *Wizard) problem() string      { return w.problemLabel.Text }
func (w *Wizard) tapUseBundled()       { test.Tap(w.welcome.useBundled) }
func (w *Wizard) addressShown() string { return w.addr.shown.Text }

// typeAddress types the name and picks the country, as a user would.
func (w *Wizard) typeAddress(first, surname, countryLabel string) {
	w.addr.first.SetText("")
	w.addr.surname.SetText("")
	test.Type(w.addr.first, first)
	test.Type(w.addr.surname, surname)
	w.addr.country.SetSelected(countryLabel)
}

// pickTester picks one of the bundled network's testers.
func (w *Wizard) pickTester(addr string) { w.addr.tester.SetSelected(addr) }

// The servers step.
func (w *Wizard) serversChoice() string { return w.servers.choice.Selected }
func (w *Wizard) setPOP3Port(p string)  { w.servers.pop3Port.SetText(p) }
func (w *Wizard) tapTestConnection()    { test.Tap(w.servers.tester.button) }
func (w *Wizard) testConnLabel() string { return w.servers.tester.button.Text }
func (w *Wizard) testResult() string    { return w.servers.tester.result.Text }
func (w *Wizard) serverCAInfo() string  { return w.servers.caInfo.Text }
func (w *Wizard) tapClearServerCA()     { test.Tap(w.servers.clearCA) }

// typeOwnServers types the own servers' hosts, user name and password.
func (w *Wizard) typeOwnServers(pop3, smtp, user, password string) {
	test.Type(w.servers.pop3Host, pop3)
	test.Type(w.servers.smtpHost, smtp)
	test.Type(w.servers.user, user)
	test.Type(w.servers.password, password)
}

// The authority and Digital ID steps.
func (w *Wizard) rootInfo() string         { return w.root.info.Text }
func (w *Wizard) tapTrust()                { test.Tap(w.root.trust) }
func (w *Wizard) idInfo() string           { return w.id.info.Text }
func (w *Wizard) typeIDPassword(pw string) { test.Type(w.id.password, pw) }
func (w *Wizard) setIDPassword(pw string)  { w.id.password.SetText(pw) }

// The Done step.
func (w *Wizard) defaultsTicked() bool { return w.done.signAll.Checked && w.done.encryptAll.Checked }
func (w *Wizard) setLinkTo(s string)   { w.done.linkTo.SetText(s) }
func (w *Wizard) tapSendLinks()        { test.Tap(w.done.sendLinks) }
