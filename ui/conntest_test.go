package ui

import (
	"bytes"
	"fyne.io/fyne/v2/lang"
	"strings"
	"testing"

	"securemail/app"
)

// ownServersWizard is a wizard with the address and own servers filled in.
func ownServersWizard(t *testing.T, f *fakeCore) (*Wizard, *serial) {
	t.Helper()
	w, s := newTestWizard(t, f, nil)
	s.do(func() {
		w.typeAddress("Marie", "Curie", "France (F)")
		w.show(StepServers)
		w.typeOwnServers("pop.tcn.f.eu-admin.net", "smtp.tcn.f.eu-admin.net", "marie", "pw")
	})
	return w, s
}

func TestWizardTestConnectionAllPass(t *testing.T) {
	f := newFakeCore()
	f.connSteps = append(connSteps(app.POP3, nil, app.StepDNS, app.StepTCP, app.StepTLS, app.StepLogin, app.StepMailbox),
		connSteps(app.SMTP, nil, app.StepDNS, app.StepTCP, app.StepTLS, app.StepCapabilities, app.StepLogin, app.StepLogout)...)
	f.connSteps = append(f.connSteps, app.ConnStep{Protocol: app.SMTP, Kind: app.StepTestMessage, Skipped: "no sender and recipient given"})
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the checks to end", func() bool { return w.testConnLabel() == "Test connection" })
	var got string
	s.do(func() { got = w.testResult() })
	for _, want := range []string{"✓ POP3 name lookup (DNS)\n✓ POP3 connection", "✓ POP3 login", "✓ POP3 mailbox size", "✓ SMTP TLS, certificate verified",
		"✓ SMTP capabilities", "✓ SMTP login", "✓ SMTP logout", "All checks passed"} {
		if !strings.Contains(got, want) {
			t.Errorf("result lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "✗") || strings.Contains(got, "test message") {
		t.Errorf("a passed test shows a failure:\n%s", got)
	}
	ts := f.tested[0]
	if ts.POP3.Address != "pop.tcn.f.eu-admin.net:110" || ts.POP3.TLS != "starttls" || ts.POP3.Username != "marie" ||
		ts.POP3Password != "pw" || ts.SMTP.Address != "smtp.tcn.f.eu-admin.net:587" || ts.ServerCA != nil {
		t.Errorf("tested with %+v", ts)
	}
}

func TestWizardTestConnectionFailingStep(t *testing.T) {
	f := newFakeCore()
	refused := &app.Problem{What: "The POP3 server refused the login", Do: "check the user name and password"}
	f.connSteps = append(connSteps(app.POP3, nil, app.StepDNS, app.StepTCP, app.StepTLS), connSteps(app.POP3, refused, app.StepLogin)...)
	f.connSteps = append(f.connSteps, connSteps(app.SMTP, nil, app.StepDNS, app.StepTCP, app.StepTLS, app.StepLogin, app.StepLogout)...)
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the checks to end", func() bool { return w.testConnLabel() == "Test connection" })
	var got string
	s.do(func() { got = w.testResult() })
	if !strings.Contains(got, "✗ POP3 login: The POP3 server refused the login; check the user name and password.") {
		t.Errorf("the failing step must show its sentence:\n%s", got)
	}
	if !strings.Contains(got, "✓ POP3 connection") || strings.Contains(got, "All checks passed") || strings.Contains(got, "app:") {
		t.Errorf("result:\n%s", got)
	}
}

func TestWizardTestConnectionCancel(t *testing.T) {
	f := newFakeCore()
	f.connSteps = connSteps(app.POP3, nil, app.StepTCP)
	f.connBlock = true
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the first step", func() bool { return strings.Contains(w.testResult(), "✓ POP3 connection") })
	s.do(func() {
		if w.testConnLabel() != "Cancel" {
			t.Errorf("while testing the button reads %q, not Cancel", w.testConnLabel())
		}
		w.tapTestConnection()
	})
	eventually(t, s, "the cancel", func() bool { return strings.Contains(w.testResult(), "Test cancelled.") })
	s.do(func() {
		if w.testConnLabel() != "Test connection" {
			t.Errorf("after cancelling the button reads %q", w.testConnLabel())
		}
	})
}

func TestWizardServerCA(t *testing.T) {
	f := newFakeCore()
	h := handout(t, newCA(t), marie)
	w, s := ownServersWizard(t, f)
	s.do(func() {
		if w.nextDisabled() {
			t.Fatalf("servers filled in, Next disabled: %q", w.problem())
		}
		w.loadServerCA([]byte("not a certificate"))
		if !w.nextDisabled() || !strings.Contains(w.problem(), "Open the PEM or DER file of the authority") {
			t.Errorf("a bad CA file: next disabled %v, problem %q", w.nextDisabled(), w.problem())
		}
		w.loadServerCA(h.RootCA)
		if w.nextDisabled() || !strings.Contains(w.serverCAInfo(), "verified against: ") || !strings.Contains(w.serverCAInfo(), "valid until") {
			t.Errorf("a good CA file: next disabled %v (%q), info %q", w.nextDisabled(), w.problem(), w.serverCAInfo())
		}
		w.tapTestConnection()
	})
	eventually(t, s, "the checks to end", func() bool { return w.testConnLabel() == "Test connection" })
	if !bytes.Equal(f.tested[0].ServerCA, h.RootCA) {
		t.Error("Test connection must use the servers' CA file")
	}
	s.do(func() {
		if got, _ := w.setup(); !bytes.Equal(got.ServerCA, h.RootCA) {
			t.Error("the set-up must carry the servers' CA file")
		}
		w.tapClearServerCA()
		if got, _ := w.setup(); got.ServerCA != nil || w.serverCAInfo() != lang.L(systemRootsText) {
			t.Errorf("after Use the system's authorities: %d bytes, info %q", len(got.ServerCA), w.serverCAInfo())
		}
	})
}

// connSteps are steps of one server, all with err.
func connSteps(p app.Protocol, err error, kinds ...app.StepKind) []app.ConnStep {
	var out []app.ConnStep
	for _, k := range kinds {
		out = append(out, app.ConnStep{Protocol: p, Kind: k, Err: err})
	}
	return out
}
