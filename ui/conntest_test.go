package ui

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

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
		test.Type(w.POP3Host, "pop.tcn.f.eu-admin.net")
		test.Type(w.SMTPHost, "smtp.tcn.f.eu-admin.net")
		test.Type(w.User, "marie")
		test.Type(w.Password, "pw")
	})
	return w, s
}

func TestWizardTestConnectionAllPass(t *testing.T) {
	f := newFakeCore()
	f.connSteps = []ConnStep{{"POP3", stepConnect, nil}, {"POP3", stepTLS, nil}, {"POP3", stepLogin, nil}, {"POP3", stepStat, nil},
		{"SMTP", stepConnect, nil}, {"SMTP", stepTLS, nil}, {"SMTP", stepEHLO, nil}, {"SMTP", stepAuth, nil}, {"SMTP", stepQuit, nil}}
	w, s := ownServersWizard(t, f)
	s.do(func() { test.Tap(w.TestConn) })
	eventually(t, s, "the checks to end", func() bool { return w.TestConn.Text == "Test connection" })
	var got string
	s.do(func() { got = w.TestResult.Text })
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
	s.do(func() { test.Tap(w.TestConn) })
	eventually(t, s, "the checks to end", func() bool { return w.TestConn.Text == "Test connection" })
	var got string
	s.do(func() { got = w.TestResult.Text })
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
	s.do(func() { test.Tap(w.TestConn) })
	eventually(t, s, "the first step", func() bool { return strings.Contains(w.TestResult.Text, "✓ POP3 connect") })
	s.do(func() {
		if w.TestConn.Text != "Cancel" {
			t.Errorf("while testing the button reads %q, not Cancel", w.TestConn.Text)
		}
		test.Tap(w.TestConn)
	})
	eventually(t, s, "the cancel", func() bool { return strings.Contains(w.TestResult.Text, "Test cancelled.") })
	s.do(func() {
		if w.TestConn.Text != "Test connection" {
			t.Errorf("after cancelling the button reads %q", w.TestConn.Text)
		}
	})
}

func TestWizardServerCA(t *testing.T) {
	f := newFakeCore()
	h := handout(t, newCA(t), marie)
	w, s := ownServersWizard(t, f)
	s.do(func() {
		if w.Next.Disabled() {
			t.Fatalf("servers filled in, Next disabled: %q", w.Problem.Text)
		}
		w.LoadServerCA([]byte("not a certificate"))
		if !w.Next.Disabled() || !strings.Contains(w.Problem.Text, "Open the PEM or DER file of the authority") {
			t.Errorf("a bad CA file: next disabled %v, problem %q", w.Next.Disabled(), w.Problem.Text)
		}
		w.LoadServerCA(h.RootCA)
		if w.Next.Disabled() || !strings.Contains(w.ServerCAInfo.Text, "verified against: ") || !strings.Contains(w.ServerCAInfo.Text, "valid until") {
			t.Errorf("a good CA file: next disabled %v (%q), info %q", w.Next.Disabled(), w.Problem.Text, w.ServerCAInfo.Text)
		}
		test.Tap(w.TestConn)
	})
	eventually(t, s, "the checks to end", func() bool { return w.TestConn.Text == "Test connection" })
	if !bytes.Equal(f.tested[0].ServerCA, h.RootCA) {
		t.Error("Test connection must use the servers' CA file")
	}
	s.do(func() {
		if got, _ := w.setup(); !bytes.Equal(got.ServerCA, h.RootCA) {
			t.Error("the set-up must carry the servers' CA file")
		}
		test.Tap(w.ClearServerCA)
		if got, _ := w.setup(); got.ServerCA != nil || w.ServerCAInfo.Text != systemRootsText {
			t.Errorf("after Use the system's authorities: %d bytes, info %q", len(got.ServerCA), w.ServerCAInfo.Text)
		}
	})
}

// TestRealTesterNoServer runs the real checks against a port nobody
// listens on: each server fails at connect, in words.
func TestRealTesterNoServer(t *testing.T) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testenv.FreePort(t)))
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
