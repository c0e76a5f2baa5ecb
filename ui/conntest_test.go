package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"securemail/app"
	"securemail/app/profile"
	"securemail/tests/testenv"
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
	f.connSteps = []ConnStep{{"POP3", stepConnect, nil}, {"POP3", stepTLS, nil}, {"POP3", stepLogin, nil}, {"POP3", stepStat, nil},
		{"SMTP", stepConnect, nil}, {"SMTP", stepTLS, nil}, {"SMTP", stepEHLO, nil}, {"SMTP", stepAuth, nil}, {"SMTP", stepQuit, nil}}
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the checks to end", func() bool { return w.testConnLabel() == "Test connection" })
	var got string
	s.do(func() { got = w.testResult() })
	for _, want := range []string{"✓ POP3 connect", "✓ POP3 login", "✓ POP3 mailbox size (STAT)", "✓ SMTP TLS, certificate verified",
		"✓ SMTP authentication (AUTH)", "✓ SMTP logout (QUIT)", "All checks passed"} {
		if !strings.Contains(got, want) {
			t.Errorf("result lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "✗") {
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
	refused := errors.New("pop3client: the server refused the user name or password; check them and try again")
	f.connSteps = []ConnStep{{"POP3", stepConnect, nil}, {"POP3", stepTLS, nil}, {"POP3", stepLogin, refused},
		{"SMTP", stepConnect, nil}, {"SMTP", stepTLS, nil}, {"SMTP", stepEHLO, nil}, {"SMTP", stepAuth, nil}, {"SMTP", stepQuit, nil}}
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the checks to end", func() bool { return w.testConnLabel() == "Test connection" })
	var got string
	s.do(func() { got = w.testResult() })
	if !strings.Contains(got, "✗ POP3 login: The server refused the user name or password; check them and try again.") {
		t.Errorf("the failing step must show its sentence:\n%s", got)
	}
	if !strings.Contains(got, "✓ POP3 connect") || strings.Contains(got, "All checks passed") || strings.Contains(got, "pop3client") {
		t.Errorf("result:\n%s", got)
	}
}

func TestWizardTestConnectionCancel(t *testing.T) {
	f := newFakeCore()
	f.connSteps = []ConnStep{{"POP3", stepConnect, nil}}
	f.connBlock = true
	w, s := ownServersWizard(t, f)
	s.do(func() { w.tapTestConnection() })
	eventually(t, s, "the first step", func() bool { return strings.Contains(w.testResult(), "✓ POP3 connect") })
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
		if got, _ := w.setup(); got.ServerCA != nil || w.serverCAInfo() != systemRootsText {
			t.Errorf("after Use the system's authorities: %d bytes, info %q", len(got.ServerCA), w.serverCAInfo())
		}
	})
}

// TestRealTesterNoServer runs the real checks against a port nobody
// listens on: each server fails at connect, in words.
func TestRealTesterNoServer(t *testing.T) {
	addr := testenv.RefusedAddr(t, "127.0.0.1")
	var steps []ConnStep
	s := app.Setup{POP3: profile.Server{Address: addr, TLS: "implicit", Username: "marie"},
		SMTP: profile.Server{Address: addr, TLS: "starttls", Username: "marie"}, POP3Password: "pw"}
	err := testConnection(context.Background(), s, func(st ConnStep) { steps = append(steps, st) })
	if err == nil || len(steps) != 2 {
		t.Fatalf("err %v, steps %+v", err, steps)
	}
	for i, want := range []string{"POP3", "SMTP"} {
		if steps[i].Server != want || steps[i].Step != stepConnect || steps[i].Err == nil {
			t.Errorf("step %d: %+v", i, steps[i])
		}
	}
}
