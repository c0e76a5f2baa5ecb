package app

import (
	"errors"

	"securemail/app/keystore"
)

// SetPasswords replaces the POP3 and SMTP passwords in the keystore, under
// the names SetupAccount uses, so the next fetch and send log in with them.
// An empty smtp means the same as pop3. Nothing is stored when the keyring
// cannot be used or pop3 is empty.
func (a *App) SetPasswords(pop3, smtp string) error {
	if pop3 == "" {
		return refusal(sentence("app.Setup.pop3PasswordEmpty", "The POP3 password is empty", "type the password of your mailbox", nil))
	}
	if smtp == "" {
		smtp = pop3
	}
	if ok, err := keyringUsable(a.Keys); !ok {
		return err
	}
	if err := a.Keys.Set(secretPOP3, []byte(pop3)); err != nil {
		return because(sentence("app.Setup.pop3PasswordKeyring", "The POP3 password could not be put in the keyring", "", nil), err)
	}
	if err := a.Keys.Set(secretSMTP, []byte(smtp)); err != nil {
		return because(sentence("app.Setup.smtpPasswordKeyring", "The SMTP password could not be put in the keyring", "", nil), err)
	}
	return nil
}

// CheckPassphrase tells whether keys — a passphrase-protected key file —
// opens with the passphrase it was given, by reading the stored POP3
// password: keystore.ErrWrongPassphrase when it does not. A store that
// holds no password yet (no account set up) passes.
func CheckPassphrase(keys keystore.Store) error {
	_, err := keys.Get(secretPOP3)
	if err == nil || errors.Is(err, keystore.ErrNotFound) {
		return nil
	}
	return err
}
