package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
)

// PasswordChange is the "Change password…" form of the settings window:
// the new POP3 password twice and, optionally, a different SMTP password
// twice (empty means the same as POP3).
type PasswordChange struct {
	pop3, pop3Again *widget.Entry
	smtp, smtpAgain *widget.Entry
}

func newPasswordChange() *PasswordChange {
	p := &PasswordChange{pop3: widget.NewPasswordEntry(), pop3Again: widget.NewPasswordEntry(),
		smtp: widget.NewPasswordEntry(), smtpAgain: widget.NewPasswordEntry()}
	p.smtp.SetPlaceHolder(lang.L("password.smtp.placeholder"))
	return p
}

// items are the form's rows.
func (p *PasswordChange) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(lang.L("password.pop3"), p.pop3), widget.NewFormItem(lang.L("keys.again"), p.pop3Again),
		widget.NewFormItem(lang.L("password.smtp"), p.smtp), widget.NewFormItem(lang.L("keys.again"), p.smtpAgain),
	}
}

// passwords checks the form and returns the two passwords, or one sentence.
func (p *PasswordChange) passwords() (pop3, smtp string, err error) {
	switch {
	case p.pop3.Text == "":
		return "", "", &app.Problem{What: lang.L("password.empty.what"), Do: lang.L("password.empty.do")}
	case p.pop3.Text != p.pop3Again.Text:
		return "", "", &app.Problem{What: lang.L("password.pop3differ.what"), Do: lang.L("password.pop3differ.do")}
	case p.smtp.Text != p.smtpAgain.Text:
		return "", "", &app.Problem{What: lang.L("password.smtpdiffer.what"), Do: lang.L("password.smtpdiffer.do")}
	}
	return p.pop3.Text, p.smtp.Text, nil
}

// changePasswordWithDialog asks for the new passwords and stores them on
// confirmation.
func (w *SettingsWindow) changePasswordWithDialog() {
	w.passwords = newPasswordChange()
	d := dialog.NewForm(lang.L("password.title"), lang.L("password.change"), lang.L("Cancel"), w.passwords.items(), func(ok bool) {
		if ok {
			w.ChangePasswords()
		}
	}, w.win)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}

// ChangePasswords stores the passwords typed in w.Passwords (the confirmed
// dialog) and reports the outcome in one sentence.
func (w *SettingsWindow) ChangePasswords() {
	if w.passwords == nil {
		return
	}
	pop3, smtp, err := w.passwords.passwords()
	if err == nil {
		err = w.core.SetPasswords(pop3, smtp)
	}
	if err != nil {
		w.message.SetText(explain(err))
		return
	}
	w.message.SetText(lang.L("password.saved"))
}
