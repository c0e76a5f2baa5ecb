package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
)

// overlayButton finds the button labelled text in the window's top dialog.
func overlayButton(t *testing.T, win fyne.Window, text string) *widget.Button {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog is open (looking for %q)", text)
	}
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.TempWidgetRenderer(t, v)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	if found == nil {
		t.Fatalf("the dialog has no %q button", text)
	}
	return found
}

func TestSettingsChangePassword(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFakeCore()
	w := NewSettingsWindow(a, f)
	w.win.Resize(fyne.NewSize(680, 440))

	// Typed differently twice: refused with one sentence, nothing stored.
	test.Tap(w.changePasswordBtn)
	test.Type(w.passwords.pop3, "new secret")
	test.Type(w.passwords.pop3Again, "new secrte")
	test.Tap(overlayButton(t, w.win, "Change"))
	if len(f.passwords) != 0 {
		t.Fatalf("mismatched passwords were stored: %v", f.passwords)
	}
	if w.message.Text != "The two POP3 passwords you typed differ; type the same new password twice." {
		t.Errorf("mismatch message %q", w.message.Text)
	}

	// Cancel stores nothing.
	test.Tap(w.changePasswordBtn)
	test.Type(w.passwords.pop3, "new secret")
	test.Type(w.passwords.pop3Again, "new secret")
	test.Tap(overlayButton(t, w.win, "Cancel"))
	if len(f.passwords) != 0 {
		t.Fatalf("a cancelled change was stored: %v", f.passwords)
	}

	// Typed the same twice, SMTP left empty: stored.
	test.Tap(w.changePasswordBtn)
	test.Type(w.passwords.pop3, "new secret")
	test.Type(w.passwords.pop3Again, "new secret")
	test.Tap(overlayButton(t, w.win, "Change"))
	if len(f.passwords) != 1 || f.passwords[0] != [2]string{"new secret", ""} {
		t.Fatalf("stored %v; want the new POP3 password and an empty SMTP one", f.passwords)
	}
	if w.message.Text != "The new passwords are saved; the next Send/Receive logs in with them." {
		t.Errorf("success message %q", w.message.Text)
	}

	// A different SMTP password, mistyped once, then right.
	test.Tap(w.changePasswordBtn)
	test.Type(w.passwords.pop3, "p1 secret")
	test.Type(w.passwords.pop3Again, "p1 secret")
	test.Type(w.passwords.smtp, "s1 secret")
	test.Tap(overlayButton(t, w.win, "Change"))
	if len(f.passwords) != 1 || w.message.Text != "The two SMTP passwords you typed differ; type the same new password twice, or leave both empty." {
		t.Fatalf("mistyped SMTP: stored %v, message %q", f.passwords, w.message.Text)
	}
	test.Tap(w.changePasswordBtn)
	for e, s := range map[*widget.Entry]string{w.passwords.pop3: "p1 secret", w.passwords.pop3Again: "p1 secret",
		w.passwords.smtp: "s1 secret", w.passwords.smtpAgain: "s1 secret"} {
		test.Type(e, s)
	}
	test.Tap(overlayButton(t, w.win, "Change"))
	if len(f.passwords) != 2 || f.passwords[1] != [2]string{"p1 secret", "s1 secret"} {
		t.Fatalf("stored %v", f.passwords)
	}
}

func TestSettingsChangePasswordCoreRefusal(t *testing.T) {
	a := test.NewTempApp(t)
	f := &refusingPasswords{fakeCore: newFakeCore(), err: &app.Problem{What: "No OS keyring is available", Do: "start your desktop's keyring"}}
	w := NewSettingsWindow(a, f)
	test.Tap(w.changePasswordBtn)
	test.Type(w.passwords.pop3, "new secret")
	test.Type(w.passwords.pop3Again, "new secret")
	test.Tap(overlayButton(t, w.win, "Change"))
	if w.message.Text != "No OS keyring is available; start your desktop's keyring." {
		t.Errorf("refusal message %q", w.message.Text)
	}
}

type refusingPasswords struct {
	*fakeCore
	err error
}

func (r *refusingPasswords) SetPasswords(string, string) error { return r.err }
