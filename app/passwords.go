package app

import (
	"errors"
	"fmt"
)

// SetPasswords replaces the POP3 and SMTP passwords in the keystore, under
// the names SetupAccount uses, so the next fetch and send log in with them.
// An empty smtp means the same as pop3. Nothing is stored when the keyring
// cannot be used or pop3 is empty.
func (a *App) SetPasswords(pop3, smtp string) error {
	if pop3 == "" {
		return errors.New("app: the POP3 password is empty; type the password of your mailbox")
	}
	if smtp == "" {
		smtp = pop3
	}
	if ok, err := keyringUsable(a.Keys); !ok {
		return err
	}
	if err := a.Keys.Set(secretPOP3, []byte(pop3)); err != nil {
		return fmt.Errorf("app: the POP3 password could not be put in the keyring: %w", err)
	}
	if err := a.Keys.Set(secretSMTP, []byte(smtp)); err != nil {
		return fmt.Errorf("app: the SMTP password could not be put in the keyring: %w", err)
	}
	return nil
}
