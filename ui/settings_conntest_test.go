package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"securemail/app"
)

// TestSettingsTestConnection: Settings checks the saved account with the
// wizard's checks, one line per step, the failing step with its sentence;
// the button cancels while they run, and closing the window ends them.
func TestSettingsTestConnection(t *testing.T) {
	f := newFakeCore()
	refused := &app.Problem{What: "The SMTP server refused the login", Do: "check the user name and password"}
	f.connSteps = append(connSteps(app.POP3, nil, app.StepDNS, app.StepTCP, app.StepTLS, app.StepLogin),
		connSteps(app.SMTP, nil, app.StepDNS, app.StepTCP, app.StepTLS)...)
	f.connSteps = append(f.connSteps, connSteps(app.SMTP, refused, app.StepLogin)...)
	w := NewSettingsWindow(test.NewTempApp(t), f)
	s := &serial{}
	w.test.do = s.do
	s.do(func() { test.Tap(w.test.button) })
	eventually(t, s, "the checks to end", func() bool { return w.test.button.Text == "Test connection" })
	var got string
	s.do(func() { got = w.test.result.Text })
	for _, want := range []string{"✓ POP3 name lookup (DNS)\n✓ POP3 connection", "✓ POP3 login",
		"✗ SMTP login: The SMTP server refused the login; check the user name and password.", "A check failed: see the step marked ✗."} {
		if !strings.Contains(got, want) {
			t.Errorf("result lacks %q:\n%s", want, got)
		}
	}
	if f.testedAccount != 1 {
		t.Errorf("the saved account was tested %d times", f.testedAccount)
	}

	f.connSteps, f.connBlock = connSteps(app.POP3, nil, app.StepTCP), true
	s.do(func() { test.Tap(w.test.button) })
	eventually(t, s, "the first step", func() bool { return strings.Contains(w.test.result.Text, "✓ POP3 connection") })
	s.do(func() { w.win.Close() })
	eventually(t, s, "the checks to end once the window closed", func() bool { return strings.Contains(w.test.result.Text, "Test cancelled.") })
}
